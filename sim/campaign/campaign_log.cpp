#include "campaign/campaign_log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <stdexcept>

#include <unistd.h>

namespace fs = std::filesystem;

namespace popex {

namespace {
std::string utc_now()
{
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", tm);
}

std::string host_name()
{
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0)
    return "unknown";
  return buf;
}
} // namespace

CampaignLog::CampaignLog(const fs::path& path) : out_(path, std::ios::app), start_(std::chrono::steady_clock::now())
{
  if (!out_)
    throw std::runtime_error(fmt::format("cannot open {}", path.string()));
}

void CampaignLog::write(const std::string& text)
{
  out_ << utc_now() << ' ' << text << '\n';
  out_.flush();
}

void CampaignLog::start(const Campaign& campaign, const CampaignOptions& options, unsigned jobs, std::size_t selected,
                        std::size_t total, std::size_t already_done)
{
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  write(fmt::format("start campaign '{}' file {} scenario {} cwd {} host {} pid {}", campaign.name, campaign.file,
                    campaign.scenario_file, cwd.string(), host_name(), getpid()));
  write(fmt::format("jobs {} shard {}/{} runs {} of {} already_done {} resume {} timeout_s {}", jobs,
                    options.shard.index, options.shard.count, selected, total, already_done, options.resume,
                    campaign.timeout_s));
}

void CampaignLog::run(const RunSpec& spec, const RunOutcome& outcome)
{
  if (outcome.ok)
    write(fmt::format("run {} ok wall_s {:.3f}", spec.run_id, outcome.wall_s));
  else
    write(fmt::format("run {} failed wall_s {:.3f} reason {}", spec.run_id, outcome.wall_s, outcome.reason));
}

void CampaignLog::end(std::size_t ok, std::size_t failed)
{
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  write(fmt::format("end ok {} failed {} wall_s {:.3f}", ok, failed, wall));
}

void CampaignLog::note(const std::string& text)
{
  write(text);
}

} // namespace popex
