#pragma once

#include "campaign/campaign_runner.hpp"
#include "campaign/run_pool.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

namespace popex {

/**
 * OUT/campaign.log: what must stay out of the summaries because it depends on the host and the clock (start and end
 * times, host name, jobs, per-run wall seconds, absolute paths). Appended to, line by line and flushed, so that a
 * killed or resumed campaign keeps its history.
 */
class CampaignLog {
public:
  explicit CampaignLog(const std::filesystem::path& path);

  void start(const Campaign& campaign, const CampaignOptions& options, unsigned jobs, std::size_t selected,
             std::size_t total, std::size_t already_done);
  void run(const RunSpec& spec, const RunOutcome& outcome);
  void end(std::size_t ok, std::size_t failed);
  /** A free-form line with a timestamp (merge uses it). */
  void note(const std::string& text);

private:
  void write(const std::string& text);

  std::ofstream out_;
  std::chrono::steady_clock::time_point start_;
};

} // namespace popex
