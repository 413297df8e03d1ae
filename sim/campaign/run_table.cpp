#include "campaign/run_table.hpp"

#include "campaign/campaign_csv.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <charconv>

namespace popex {

RunTable RunTable::from_runs(const Campaign& campaign, const std::vector<RunSpec>& runs)
{
  RunTable t;
  t.axis_names = campaign.axis_names();
  for (const auto& r : runs) {
    Row row{r.run_id, {}, r.seed};
    for (const auto& [key, text] : r.axes)
      row.axis_values.push_back(text);
    t.rows.push_back(std::move(row));
  }
  return t;
}

RunTable RunTable::parse(const std::string& text, const std::string& file)
{
  const auto records = parse_csv(text, file);
  if (records.empty() || records[0].size() < 2 || records[0].front() != "run_id" || records[0].back() != "seed")
    throw ConfigError(fmt::format("{}: not a campaign run list (expected a header run_id,...,seed)", file));
  RunTable t;
  t.axis_names.assign(records[0].begin() + 1, records[0].end() - 1);
  for (std::size_t i = 1; i < records.size(); ++i) {
    const auto& rec = records[i];
    if (rec.size() != records[0].size())
      throw ConfigError(fmt::format("{}:{}: expected {} fields (got {})", file, i + 1, records[0].size(), rec.size()));
    Row row{rec.front(), {rec.begin() + 1, rec.end() - 1}, 0};
    const std::string& s = rec.back();
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), row.seed);
    if (ec != std::errc() || end != s.data() + s.size())
      throw ConfigError(fmt::format("{}:{}: seed must be an integer (got {})", file, i + 1, s));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string RunTable::to_csv() const
{
  std::vector<std::string> header{"run_id"};
  header.insert(header.end(), axis_names.begin(), axis_names.end());
  header.emplace_back("seed");
  std::string out = csv_line(header);
  for (const auto& row : rows) {
    std::vector<std::string> fields{row.run_id};
    fields.insert(fields.end(), row.axis_values.begin(), row.axis_values.end());
    fields.push_back(std::to_string(row.seed));
    out += csv_line(fields);
  }
  return out;
}

} // namespace popex
