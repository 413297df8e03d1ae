#include "config/sample_csv.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace popex {

namespace {
std::vector<std::string_view> split_commas(std::string_view line, std::vector<std::size_t>& starts)
{
  std::vector<std::string_view> cells;
  starts.clear();
  std::size_t b = 0;
  while (true) {
    const std::size_t e = line.find(',', b);
    starts.push_back(b);
    cells.push_back(line.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
    if (e == std::string_view::npos)
      break;
    b = e + 1;
  }
  return cells;
}
} // namespace

std::shared_ptr<const SampleSet> load_sample_csv(const std::string& path, std::size_t expected_exits)
{
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw ConfigError(fmt::format("{}: per-sample CSV must be a regular file", path));
  if (std::filesystem::file_size(path, ec) > (std::uintmax_t{1} << 30))
    throw ConfigError(fmt::format("{}: per-sample CSV must be at most 1 GiB", path));
  std::ifstream in(path);
  if (!in)
    throw ConfigError(fmt::format("{}: cannot open per-sample CSV", path));
  std::string line;
  if (!std::getline(in, line))
    fail_at({path, 1, 1}, "per-sample CSV is empty (expected a header with conf_branch_k, correct_branch_k)");
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  std::vector<std::size_t> starts;
  // Copies: `line` is reused for every row, and views into it would dangle.
  const auto header_views = split_commas(line, starts);
  const std::vector<std::string> header(header_views.begin(), header_views.end());
  const std::vector<std::size_t> header_starts = starts;
  std::vector<int> conf_col(expected_exits, -1);
  std::vector<int> right_col(expected_exits, -1);
  for (std::size_t c = 0; c < header.size(); ++c) {
    for (std::size_t k = 0; k < 64; ++k) {
      if (header[c] == fmt::format("conf_branch_{}", k + 1) || header[c] == fmt::format("correct_branch_{}", k + 1)) {
        if (k >= expected_exits)
          fail_at({path, 1, static_cast<int>(header_starts[c] + 1)},
                  fmt::format("per-sample CSV: column {} must be at most branch {} (the DNN has {} exits, the last "
                              "being the final exit) (got {})",
                              header[c], expected_exits, expected_exits, header[c]));
        (header[c].substr(0, 5) == "conf_" ? conf_col : right_col)[k] = static_cast<int>(c);
      }
    }
  }
  for (std::size_t k = 0; k < expected_exits; ++k)
    if (conf_col[k] < 0 || right_col[k] < 0)
      fail_at({path, 1, 1}, fmt::format("per-sample CSV: header must have conf_branch_{0} and correct_branch_{0} "
                                        "(the DNN has {1} exits, the last being the final exit)",
                                        k + 1, expected_exits));
  auto set        = std::make_shared<SampleSet>();
  set->exit_count = expected_exits;
  int lineno      = 1;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    if (line.empty())
      continue;
    const auto cells = split_commas(line, starts);
    for (std::size_t k = 0; k < expected_exits; ++k) {
      for (const int col : {conf_col[k], right_col[k]}) {
        const auto c = static_cast<std::size_t>(col);
        const SourcePos pos{path, lineno, c < starts.size() ? static_cast<int>(starts[c] + 1) : 1};
        const std::string name(header[c]);
        if (c >= cells.size())
          fail_at(pos, fmt::format("per-sample CSV: {} is missing (row has {} cells)", name, cells.size()));
        const std::string cell(cells[c]);
        char* end         = nullptr;
        const double v    = std::strtod(cell.c_str(), &end);
        const bool number = !cell.empty() && end == cell.c_str() + cell.size();
        if (col == right_col[k]) {
          if (!number || (v != 0.0 && v != 1.0))
            fail_at(pos, fmt::format("per-sample CSV: {} must be 0 or 1 (got {})", name, cell));
          set->correct.push_back(v == 1.0 ? 1 : 0);
        } else {
          if (!number || !(v >= 0.0 && v <= 1.0))
            fail_at(pos, fmt::format("per-sample CSV: {} must be a number in [0, 1] (got {})", name, cell));
          set->confidence.push_back(v);
        }
      }
    }
  }
  if (set->size() == 0)
    fail_at({path, 2, 1}, "per-sample CSV: must have at least one sample row (got none)");
  return set;
}

} // namespace popex
