#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace popex {

/**
 * The folders of one run inside `OUT/runs/`:
 * - `<id>.tmp/` while it runs (or left over by a killed campaign),
 * - `<id>/` once it finished (renamed from .tmp, so it is complete),
 * - `<id>.failed/` after a failure, with `reason.txt` (one line) and whatever the run wrote, `run.log` included.
 */
struct RunFolder {
  std::filesystem::path runs_dir;
  std::string run_id;

  std::filesystem::path done() const { return runs_dir / run_id; }
  std::filesystem::path tmp() const { return runs_dir / (run_id + ".tmp"); }
  std::filesystem::path failed() const { return runs_dir / (run_id + ".failed"); }
};

enum class RunState { MISSING, OK, FAILED };

/** What a run folder says about its run. */
struct RunResult {
  RunState state = RunState::MISSING;
  std::string reason;                     //!< for FAILED
  std::vector<std::string> metric_names;  //!< for OK: the header of the run's summary.csv
  std::vector<std::string> metric_values; //!< for OK: its data row
};

/**
 * Reads `<id>/summary.csv`, else `<id>.failed/reason.txt`. A done folder whose results do not check out (see
 * check_run_results) counts as FAILED.
 */
RunResult read_run_result(const RunFolder& folder);

/**
 * Checks a done run's results, as `--resume` does before it trusts them: summary.csv is whole (see
 * check_run_summary, and it ends with a line break), and images.csv, when there is one, has as many rows as the
 * summary's `images`. Throws std::runtime_error saying what is wrong.
 */
void check_run_results(const RunFolder& folder);

/**
 * Checks that a run's summary.csv is one header line and one data row with as many fields and no empty or
 * duplicated column name. Throws std::runtime_error saying what is wrong.
 */
void check_run_summary(const std::filesystem::path& summary_csv);

} // namespace popex
