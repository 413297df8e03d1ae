#pragma once

#include <string>
#include <vector>

namespace popex {

/**
 * Merges the output folders of the shards of one campaign into `out_dir`: checks that they carry the same runs.csv
 * and campaign.resolved.yaml and that every run of the campaign is in one of them (a finished run is preferred to a
 * failed one), hard-links (or copies, across file systems) the run folders into `out_dir/runs/`, and writes the same
 * summary.csv and summary_by_point.csv as a single-machine run. `out_dir` may be one of the shards.
 * Returns 0, or 1 if any run failed. Throws ConfigError naming the missing run ids, or the shard that differs.
 */
int merge_campaign_shards(const std::string& out_dir, const std::vector<std::string>& shard_dirs);

} // namespace popex
