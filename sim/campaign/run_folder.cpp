#include "campaign/run_folder.hpp"

#include "campaign/campaign_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
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
  const std::string text = read_text_file(summary_csv);
  if (text.empty() || text.back() != '\n') // every summary ends with a line break: a cut one does not
    throw std::runtime_error("summary.csv is cut short (no final line break)");
  auto records = parse_csv(text, summary_csv.string());
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
/** Lines in a file (its rows, header included), counted without holding it. */
std::size_t count_lines(const fs::path& file)
{
  const std::string text = read_text_file(file);
  std::size_t n          = 0;
  for (const char c : text)
    n += c == '\n' ? 1 : 0;
  if (!text.empty() && text.back() != '\n')
    throw std::runtime_error(fmt::format("{} is cut short (no final line break)", file.filename().string()));
  return n;
}

/** The summary's records, checked against the run's other results: images.csv has one row per image. */
std::vector<std::vector<std::string>> read_checked_results(const fs::path& dir)
{
  auto records = read_summary(dir / "summary.csv");
  const auto& names = records[0];
  const auto it     = std::find(names.begin(), names.end(), "images");
  std::error_code ec;
  if (it != names.end() && fs::exists(dir / "images.csv", ec)) {
    const std::string& images = records[1][static_cast<std::size_t>(it - names.begin())];
    const std::size_t rows    = count_lines(dir / "images.csv") - 1;
    if (std::to_string(rows) != images)
      throw std::runtime_error(fmt::format("images.csv has {} rows but summary.csv says {} images", rows, images));
  }
  return records;
}
} // namespace

void check_run_summary(const fs::path& summary_csv)
{
  read_summary(summary_csv);
}

void check_run_results(const RunFolder& folder)
{
  read_checked_results(folder.done());
}

RunResult read_run_result(const RunFolder& folder)
{
  RunResult r;
  std::error_code ec;
  if (fs::is_directory(folder.done(), ec)) {
    try {
      auto records    = read_checked_results(folder.done());
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
