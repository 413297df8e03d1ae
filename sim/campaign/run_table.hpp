#pragma once

#include "campaign/run_spec.hpp"

#include <string>
#include <vector>

namespace popex {

/**
 * The list of all the runs of a campaign, as written to `runs.csv` (`run_id,<axis columns>,seed`). A campaign folder
 * and every shard of it carry the same table, so that `merge` knows the full list and can check the shards belong
 * together.
 */
struct RunTable {
  struct Row {
    std::string run_id;
    std::vector<std::string> axis_values; //!< CSV texts, one per axis column
    long long seed = 0;
  };

  std::vector<std::string> axis_names; //!< dotted axis keys, in column order
  std::vector<Row> rows;               //!< in run order (which is run id order)

  static RunTable from_runs(const Campaign& campaign, const std::vector<RunSpec>& runs);
  /** Parses the text of a runs.csv; throws ConfigError naming `file` if it is not one. */
  static RunTable parse(const std::string& text, const std::string& file);
  /** The runs.csv text: header, then one line per run. */
  std::string to_csv() const;
};

} // namespace popex
