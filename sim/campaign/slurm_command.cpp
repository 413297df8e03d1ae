#include "campaign/slurm_command.hpp"

#include "campaign/campaign_csv.hpp"
#include "campaign/run_table.hpp"
#include "campaign/slurm_script.hpp"
#include "core/config_error.hpp"
#include "io/output_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fs = std::filesystem;

namespace popex {

namespace {
/** `path` made absolute and normal, without a trailing '/': it is written into scripts run from other folders. */
std::string absolute_path(const fs::path& path)
{
  fs::path p = fs::absolute(path).lexically_normal();
  if (p.filename().empty() && p.has_parent_path() && p != p.root_path())
    p = p.parent_path();
  return p.string();
}

bool on_path(const std::string& program)
{
  const char* path  = std::getenv("PATH");
  std::string dirs  = path != nullptr ? path : "";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const std::string dir = dirs.substr(start, end - start);
    if (access((fs::path(dir.empty() ? "." : dir) / program).c_str(), X_OK) == 0)
      return true;
    start = end + 1;
  }
  return false;
}

/** Runs `bash SCRIPT` with this process's stdout and stderr; returns a description of its failure, or "". */
std::string run_bash(const std::string& script)
{
  std::fflush(stdout);
  std::fflush(stderr);
  std::string arg0 = "bash";
  std::string arg1 = script;
  char* argv[]     = {arg0.data(), arg1.data(), nullptr};
  pid_t pid        = 0;
  const int rc     = posix_spawnp(&pid, "bash", nullptr, nullptr, argv, environ);
  if (rc != 0)
    return fmt::format("cannot start bash ({})", std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return fmt::format("cannot wait for bash ({})", std::strerror(errno));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return {};
  return WIFEXITED(status) ? fmt::format("exit code {}", WEXITSTATUS(status))
                           : fmt::format("signal {}", WTERMSIG(status));
}
} // namespace

bool slurm_requested(const CampaignCommandOptions& options)
{
  if (options.slurm || options.submit)
    return true;
  const char* given = options.slurm_shards ? "--slurm-shards"
                      : options.partition  ? "--partition"
                      : options.time_limit ? "--time-limit"
                                           : nullptr;
  if (given != nullptr)
    throw ConfigError(fmt::format("{} needs --slurm (or --submit)", given));
  return false;
}

int run_slurm_command(const CampaignCommandOptions& options, const std::function<void(const RunSpec&)>& preflight)
{
  // Every check comes before the first file is written: a bad value leaves nothing behind.
  if (!options.shard.empty())
    throw ConfigError(fmt::format("--shard cannot be combined with --slurm, which makes its own shards "
                                  "(--slurm-shards N) (got --shard {})",
                                  options.shard));
  if (options.dry_run)
    throw ConfigError("--dry-run cannot be combined with --slurm, which runs nothing either: it writes the job "
                      "scripts");
  if (options.resume)
    throw ConfigError("--resume cannot be combined with --slurm: every array task resumes its shard already");
  if (options.partition)
    check_slurm_partition(*options.partition);
  if (options.time_limit)
    check_slurm_time_limit(*options.time_limit);

  const Campaign campaign         = load_campaign(options.file);
  const std::vector<RunSpec> runs = expand_runs(campaign);
  const unsigned jobs_per_task    = options.jobs > 0 ? static_cast<unsigned>(options.jobs) : 1U;
  const std::size_t max_shards    = std::min(runs.size(), kSlurmMaxShards);
  std::size_t shards              = std::min(default_slurm_shards(runs.size(), jobs_per_task), max_shards);
  if (options.slurm_shards) {
    if (*options.slurm_shards < 1 || static_cast<unsigned long long>(*options.slurm_shards) > max_shards)
      throw ConfigError(fmt::format("--slurm-shards must be within [1, {}]: at most one shard per run ({} runs) "
                                    "and at most {} array tasks (got {})",
                                    max_shards, runs.size(), kSlurmMaxShards, *options.slurm_shards));
    shards = static_cast<std::size_t>(*options.slurm_shards);
  }
  if (preflight) {
    std::size_t last_point = runs.size();
    for (const auto& r : runs)
      if (r.point_index != last_point) {
        preflight(r);
        last_point = r.point_index;
      }
  }

  const fs::path out_given = options.out_dir.empty() ? fs::path("results") / campaign.name : fs::path(options.out_dir);
  SlurmJobOptions job;
  job.campaign_name = campaign.name;
  job.popex_sim     = fs::read_symlink("/proc/self/exe").string();
  job.campaign_file = absolute_path(options.file);
  job.out_dir       = absolute_path(out_given);
  job.work_dir      = absolute_path(fs::current_path());
  job.shards        = shards;
  job.runs          = runs.size();
  job.jobs_per_task = jobs_per_task;
  job.partition     = options.partition.value_or("");
  job.time_limit    = options.time_limit.value_or("");
  job.simgrid_args  = options.simgrid_args;
  check_slurm_path("--out", job.out_dir, true);
  check_slurm_path("the campaign file", job.campaign_file, false);
  check_slurm_path("the popex-sim binary", job.popex_sim, false);
  check_slurm_path("the current folder", job.work_dir, false);

  const fs::path out = job.out_dir;
  std::error_code ec;
  if (fs::exists(out / "runs.csv", ec) &&
      read_text_file(out / "runs.csv") != RunTable::from_runs(campaign, runs).to_csv())
    throw ConfigError(fmt::format("{}: holds another campaign (runs.csv differs from the expansion of {}); use "
                                  "another --out, or remove the folder",
                                  out.string(), options.file));
  if (options.submit && !on_path("sbatch"))
    throw ConfigError("--submit needs sbatch, Slurm's client, on the PATH (not found); without --submit, --slurm "
                      "only writes the scripts");

  const SlurmScripts scripts = make_slurm_scripts(job);
  const fs::path dir         = out / kSlurmDir;
  make_output_dir(out_given, "--out"); // the first write: its message names --out as the user wrote it
  fs::create_directories(dir);
  write_file_atomically(dir / kSlurmArrayFile, scripts.array);
  write_file_atomically(dir / kSlurmMergeFile, scripts.merge);
  write_file_atomically(dir / kSlurmSubmitFile, scripts.submit);
  fs::permissions(dir / kSlurmSubmitFile, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::add);
  sync_directory(dir);

  const std::string submit = (dir / kSlurmSubmitFile).string();
  fmt::print("wrote {} ({} runs in {} array task(s) of {} CPU(s)), {} and {}\n", (dir / kSlurmArrayFile).string(),
             runs.size(), shards, jobs_per_task, (dir / kSlurmMergeFile).string(), submit);
  if (!options.submit) {
    fmt::print("submit the array and its merge step with: bash {}\n", shell_quote(submit));
    return 0;
  }
  const std::string failure = run_bash(submit);
  if (!failure.empty())
    throw ConfigError(fmt::format("--submit: bash {} failed ({}; sbatch says why above); the scripts stay in {}",
                                  shell_quote(submit), failure, dir.string()));
  return 0;
}

} // namespace popex
