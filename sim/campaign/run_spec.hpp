#pragma once

#include "campaign/campaign_spec.hpp"

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace popex {

/** One run of a campaign: a point of the grid and a seed. Everything a run function needs to reproduce it. */
struct RunSpec {
  std::size_t index = 0;       //!< 0-based position in the campaign's run list
  std::string run_id;          //!< "r" + index zero-padded to the width of the last index: r000 .. r119
  std::size_t point_index = 0; //!< 0-based grid point; the runs of one point differ only by seed
  std::vector<std::pair<std::string, std::string>> axes;      //!< (axis key, CSV text), in column order
  long long seed = 1;                                         //!< replica seed
  std::vector<std::pair<std::string, std::string>> overrides; //!< `set`, then the axes: (dotted key, YAML text)
  std::string scenario_file;                                  //!< scenario to load, then apply `overrides` to
  std::string mode;                                           //!< simulate | analytic | both
};

/**
 * Runs one RunSpec, writing its files into `out_dir` (which exists and is empty), always including `summary.csv`:
 * one header line and one data row of metrics. Throws on failure. The campaign calls it in a forked child, with
 * stdout and stderr going to `out_dir/run.log`.
 */
using RunFunction = std::function<void(const RunSpec&, const std::string& out_dir)>;

/**
 * Expands a campaign into its runs: the cartesian product of its axis groups in order (the last group varies
 * fastest; a zip group advances all its axes together), with the seeds innermost. Deterministic.
 */
std::vector<RunSpec> expand_runs(const Campaign& campaign);

/** "r" + `index` zero-padded to the number of digits of `total - 1` (at least one). */
std::string format_run_id(std::size_t index, std::size_t total);

} // namespace popex
