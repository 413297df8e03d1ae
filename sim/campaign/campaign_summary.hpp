#pragma once

#include "campaign/run_table.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace popex {

/** Two-sided 95% Student t quantile t_{0.975, df} (df >= 1): exact table to 30, Cornish-Fisher beyond (< 1e-6). */
double student_t_975(std::size_t df);

/** True for the metrics that get a 95% confidence interval in summary_by_point.csv: `latency_s` and `*_latency_s`. */
bool has_confidence_interval(const std::string& metric);

/** How the runs of a summary ended. */
struct SummaryCounts {
  std::size_t ok     = 0;
  std::size_t failed = 0; //!< failed or with no results
};

/**
 * Writes `OUT/summary.csv` (one row per run of `rows`, in run id order) and `OUT/summary_by_point.csv` (one row per
 * point: mean of every numeric metric over the ok seeds, and `<metric>_ci95` for latencies), reading the run folders
 * in `OUT/runs/`. Both depend only on the run folders' summary.csv files and reasons, never on timing or host, so
 * they are byte-identical however the runs were scheduled. `rows` indexes `table.rows`, ascending.
 */
SummaryCounts write_campaign_summaries(const std::filesystem::path& out_dir, const RunTable& table,
                                       const std::vector<std::size_t>& rows);

} // namespace popex
