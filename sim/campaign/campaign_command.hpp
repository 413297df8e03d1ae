#pragma once

#include "campaign/campaign_runner.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace popex {

/**
 * `popex-sim campaign FILE.yaml [-j N] [--out DIR] [--resume] [--shard I/N] [--dry-run]`, or with `--slurm`
 * `[--slurm-shards N] [--partition P] [--time-limit T] [--submit]`.
 */
struct CampaignCommandOptions {
  std::string file;     //!< campaign YAML (docs/campaigns.md)
  int jobs = 0;         //!< -j: runs at once, >= 0; 0 = the number of cores (default)
  std::string out_dir;  //!< --out: default results/<campaign name>
  bool resume = false;  //!< --resume: skip finished runs, retry failed ones
  std::string shard;    //!< --shard I/N: run only the runs whose index % N == I; empty = all
  bool dry_run = false; //!< --dry-run: list the runs, run nothing
  // Slurm (docs/campaigns.md, "Slurm"): write a job array and its merge step instead of running.
  bool slurm  = false;                   //!< --slurm: write OUT/slurm/{array.sbatch,merge.sbatch,submit.sh}
  bool submit = false;                   //!< --submit: --slurm, then run submit.sh (sbatch) and print the job ids
  std::optional<long long> slurm_shards; //!< --slurm-shards N: array tasks, 1..min(runs, 1000); default runs / J
  std::optional<std::string> partition;  //!< --partition P: sbatch --partition; default the cluster's default
  std::optional<std::string> time_limit; //!< --time-limit T: sbatch --time of every job; default the partition's
  std::vector<std::string> simgrid_args; //!< --cfg=/--log= given to popex-sim, passed on to the array tasks
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
                         const std::function<void(const RunSpec&)>& preflight            = {},
                         const std::function<void(const std::string&)>& before_runs = {});

/** Runs the merge command. Returns 0, or 1 if some run failed. Throws ConfigError on bad input. */
int run_merge_command(const MergeCommandOptions& options);

} // namespace popex
