#include "campaign/campaign_command.hpp"

#include "campaign/campaign_merge.hpp"
#include "campaign/slurm_command.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <charconv>

namespace popex {

namespace {
bool parse_size(const std::string& s, std::size_t& out)
{
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}
} // namespace

Shard parse_shard(const std::string& text)
{
  const std::size_t slash = text.find('/');
  Shard s;
  if (slash == std::string::npos || !parse_size(text.substr(0, slash), s.index) ||
      !parse_size(text.substr(slash + 1), s.count) || s.count == 0 || s.index >= s.count)
    throw ConfigError(fmt::format("--shard must be I/N with 0 <= I < N, e.g. 0/4 (got '{}')", text));
  return s;
}

int run_campaign_command(const CampaignCommandOptions& options, const std::map<std::string, RunFunction>& by_mode,
                         const std::function<void(const RunSpec&)>& preflight,
                         const std::function<void(const std::string&)>& before_runs)
{
  if (options.jobs < 0)
    throw ConfigError(
        fmt::format("-j must be a number of parallel runs >= 1, or 0 for one per core (got {})", options.jobs));
  if (slurm_requested(options))
    return run_slurm_command(options, preflight);
  CampaignOptions o;
  o.file      = options.file;
  o.jobs      = static_cast<unsigned>(options.jobs);
  o.out_dir   = options.out_dir;
  o.resume    = options.resume;
  o.shard     = options.shard.empty() ? Shard{} : parse_shard(options.shard);
  o.dry_run   = options.dry_run;
  o.preflight   = preflight;
  o.before_runs = before_runs;
  return run_campaign(o, by_mode);
}

int run_merge_command(const MergeCommandOptions& options)
{
  if (options.out_dir.empty())
    throw ConfigError("merge: --out DIR is required");
  return merge_campaign_shards(options.out_dir, options.shard_dirs);
}

} // namespace popex
