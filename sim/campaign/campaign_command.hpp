#pragma once

#include "campaign/campaign_runner.hpp"

#include <map>
#include <string>
#include <vector>

namespace popex {

/** `popex-sim campaign FILE.yaml [-j N] [--out DIR] [--resume] [--shard I/N] [--dry-run]`. */
struct CampaignCommandOptions {
  std::string file;     //!< campaign YAML (docs/campaigns.md)
  int jobs = 0;         //!< -j: runs at once, >= 0; 0 = the number of cores (default)
  std::string out_dir;  //!< --out: default results/<campaign name>
  bool resume = false;  //!< --resume: skip finished runs, retry failed ones
  std::string shard;    //!< --shard I/N: run only the runs whose index % N == I; empty = all
  bool dry_run = false; //!< --dry-run: list the runs, run nothing
};

/** `popex-sim merge --out DIR SHARD_DIR...`. */
struct MergeCommandOptions {
  std::string out_dir;                 //!< --out: the merged campaign folder (may be one of the shards)
  std::vector<std::string> shard_dirs; //!< the shards' --out folders
};

/**
 * Parses `--shard I/N` strictly: two decimal integers with 0 <= I < N. Throws ConfigError
 * "--shard must be I/N with 0 <= I < N, e.g. 0/4 (got '3/3')".
 */
Shard parse_shard(const std::string& text);

/**
 * Runs the campaign command with the run functions of the modes (simulate, analytic, both). `preflight`, if given,
 * checks one run per grid point in the parent before anything runs (see CampaignOptions). Returns the exit code:
 * 0 all runs ok, 1 some failed. Throws ConfigError on bad input (exit code 2).
 */
int run_campaign_command(const CampaignCommandOptions& options, const std::map<std::string, RunFunction>& by_mode,
                         const std::function<void(const RunSpec&)>& preflight = {});

/** Runs the merge command. Returns 0, or 1 if some run failed. Throws ConfigError on bad input. */
int run_merge_command(const MergeCommandOptions& options);

} // namespace popex
