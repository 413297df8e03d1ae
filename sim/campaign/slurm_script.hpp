#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace popex {

/**
 * What `popex-sim campaign FILE --slurm` puts in its scripts (docs/campaigns.md, "Slurm"). Every path is absolute:
 * the jobs run on other nodes, from other folders.
 */
struct SlurmJobOptions {
  std::string campaign_name;             //!< the campaign's name; jobs are popex-<name> and popex-<name>-merge
  std::string popex_sim;                 //!< the popex-sim binary every job runs
  std::string campaign_file;             //!< the campaign YAML
  std::string out_dir;                   //!< --out: shards in OUT/shard-I, merged results in OUT, scripts in OUT/slurm
  std::string work_dir;                  //!< the folder the jobs run from: relative paths in `set` values resolve there
  std::size_t shards     = 1;            //!< --slurm-shards: array tasks 0..shards-1, >= 1
  std::size_t runs       = 1;            //!< the campaign's number of runs (for the comments)
  unsigned jobs_per_task = 1;            //!< -j of every array task, and its --cpus-per-task; >= 1
  std::string partition;                 //!< --partition; empty = the cluster's default partition
  std::string time_limit;                //!< --time of every job; empty = the partition's default
  std::vector<std::string> simgrid_args; //!< --cfg=... and --log=..., passed on to every array task
};

/** The three files that `--slurm` writes into OUT/slurm/. */
struct SlurmScripts {
  std::string array;  //!< array.sbatch: one array task per shard
  std::string merge;  //!< merge.sbatch: `popex-sim merge` of every shard into OUT
  std::string submit; //!< submit.sh: submits the array, then the merge with --dependency=afterany on it
};

inline constexpr const char* kSlurmDir        = "slurm";        //!< subfolder of OUT with the scripts and job logs
inline constexpr const char* kSlurmArrayFile  = "array.sbatch"; //!< in OUT/slurm
inline constexpr const char* kSlurmMergeFile  = "merge.sbatch"; //!< in OUT/slurm
inline constexpr const char* kSlurmSubmitFile = "submit.sh";    //!< in OUT/slurm
inline constexpr std::size_t kSlurmMaxShards  = 1000; //!< at most this many array tasks (Slurm's MaxArraySize is 1001)

/** The scripts' text. Pure: checks nothing (see the check_slurm_* functions), writes nothing. */
SlurmScripts make_slurm_scripts(const SlurmJobOptions& options);

/** `text` as one bash word: in single quotes, a quote written '\''. `/a b` -> `'/a b'`. */
std::string shell_quote(std::string_view text);

/**
 * The value of an `#SBATCH --output=` line for the file `pattern` (Slurm's %A, %a, %j... kept) in folder `dir`: in
 * double quotes (sbatch splits #SBATCH lines at blanks and `#`), with `"` in `dir` written `\"` and `%` written `%%`.
 * `("/a b%", "x-%j.out")` -> `"/a b%%/x-%j.out"`.
 */
std::string sbatch_output_path(std::string_view dir, std::string_view pattern);

/**
 * The default --slurm-shards: one shard per `jobs_per_task` runs, so that every task has about one run per CPU,
 * at most kSlurmMaxShards. `runs` >= 1, `jobs_per_task` >= 1.
 */
std::size_t default_slurm_shards(std::size_t runs, unsigned jobs_per_task);

/**
 * Throws ConfigError unless `text` is a Slurm partition name, or a comma-separated list of them: letters, digits,
 * '_', '.', '-'. `--partition must be a Slurm partition name ... (got 'a b')`.
 */
void check_slurm_partition(const std::string& text);

/**
 * Throws ConfigError unless `text` is a Slurm time limit above zero: MINUTES, MINUTES:SECONDS,
 * HOURS:MINUTES:SECONDS, DAYS-HOURS, DAYS-HOURS:MINUTES or DAYS-HOURS:MINUTES:SECONDS, as sbatch --time takes it,
 * with minutes and seconds below 60 after a larger field, hours below 24 after days, and at most 365 days.
 */
void check_slurm_time_limit(const std::string& text);

/**
 * Throws ConfigError if `path`, which goes into the scripts as `what` (e.g. "--out"), holds a control character (a
 * newline would end an #SBATCH line) or, when `in_sbatch_line`, a backslash (Slurm then cannot open its job logs).
 */
void check_slurm_path(const std::string& what, const std::string& path, bool in_sbatch_line);

} // namespace popex
