#pragma once

#include "campaign/run_spec.hpp"

#include <cstdio>
#include <functional>
#include <map>
#include <string>

namespace popex {

/** A slice of a campaign: the runs whose index % count == index. */
struct Shard {
  std::size_t index = 0; //!< 0-based, < count
  std::size_t count = 1; //!< >= 1; 1 = the whole campaign
};

/** How to run a campaign (docs/campaigns.md). */
struct CampaignOptions {
  std::string file;     //!< campaign YAML
  unsigned jobs = 0;    //!< runs at once; 0 = the number of cores
  std::string out_dir;  //!< output folder; empty = results/<name>
  bool resume = false;  //!< skip the runs already finished in out_dir; retry the failed ones
  Shard shard;          //!< run only this slice; default: everything
  bool dry_run = false; //!< print the run list (run_id, axes, seed) and run nothing
  /**
   * Optional check of one run per grid point, called in the parent before any run starts (e.g. load and validate
   * the scenario with the overrides applied). A ConfigError stops the campaign before it starts. It must not start
   * a SimGrid engine: each run needs a fresh one in its child.
   */
  std::function<void(const RunSpec&)> preflight;
  /** Called once in the parent, with the campaign's mode, after every check and before the first run is forked
   *  (never for a dry run or when nothing is left to run): where the simulate mode loads the SimGrid engine, so
   *  that each forked run inherits it. */
  std::function<void(const std::string& mode)> before_runs;
  std::FILE* listing = stdout; //!< where --dry-run prints
};

/**
 * Runs a campaign: expands it, forks one child per run (at most `jobs` at once) calling `by_mode.at(mode)`, and
 * writes OUT/summary.csv, OUT/summary_by_point.csv, OUT/runs.csv, OUT/campaign.resolved.yaml and appends to
 * OUT/campaign.log. Returns 0 if every run of the slice succeeded, 1 if any failed.
 * Throws ConfigError on a bad campaign file, an unknown mode, a bad shard, or an OUT folder that holds another
 * campaign (or this one's results without `resume`).
 */
int run_campaign(const CampaignOptions& options, const std::map<std::string, RunFunction>& by_mode);

/**
 * The expanded campaign as YAML: its settings and every run with its overrides. Free of paths and host details, so
 * that the shards of a campaign write the same file.
 */
std::string resolved_campaign_yaml(const Campaign& campaign, const std::vector<RunSpec>& runs);

} // namespace popex
