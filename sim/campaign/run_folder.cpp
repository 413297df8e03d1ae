#include "campaign/run_folder.hpp"

#include "campaign/campaign_csv.hpp"

#include <fmt/format.h>

#include <set>
#include <stdexcept>

namespace fs = std::filesystem;

namespace popex {

namespace {
std::vector<std::vector<std::string>> read_summary(const fs::path& summary_csv)
{
  std::error_code ec;
  if (!fs::is_regular_file(summary_csv, ec))
    throw std::runtime_error("the run wrote no summary.csv");
  auto records = parse_csv(read_text_file(summary_csv), summary_csv.string());
  if (records.size() != 2)
    throw std::runtime_error(
        fmt::format("summary.csv must have a header and one data row (got {} lines)", records.size()));
  if (records[0].size() != records[1].size())
    throw std::runtime_error(
        fmt::format("summary.csv has {} columns but {} values", records[0].size(), records[1].size()));
  std::set<std::string> seen;
  for (const auto& name : records[0])
    if (name.empty() || !seen.insert(name).second)
      throw std::runtime_error(fmt::format("summary.csv has an empty or duplicated column name '{}'", name));
  return records;
}
} // namespace

void check_run_summary(const fs::path& summary_csv)
{
  read_summary(summary_csv);
}

RunResult read_run_result(const RunFolder& folder)
{
  RunResult r;
  std::error_code ec;
  if (fs::is_directory(folder.done(), ec)) {
    try {
      auto records    = read_summary(folder.done() / "summary.csv");
      r.state         = RunState::OK;
      r.metric_names  = std::move(records[0]);
      r.metric_values = std::move(records[1]);
    } catch (const std::exception& e) {
      r.state  = RunState::FAILED;
      r.reason = fmt::format("bad results: {}", e.what());
    }
    return r;
  }
  if (fs::is_directory(folder.failed(), ec)) {
    r.state = RunState::FAILED;
    try {
      r.reason = read_text_file(folder.failed() / "reason.txt");
    } catch (const std::exception&) {
      r.reason = "unknown (reason.txt is missing)";
    }
    while (!r.reason.empty() && (r.reason.back() == '\n' || r.reason.back() == '\r'))
      r.reason.pop_back();
  }
  return r;
}

} // namespace popex
