#include "campaign/campaign_summary.hpp"

#include "campaign/campaign_csv.hpp"
#include "campaign/run_folder.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace fs = std::filesystem;

namespace popex {

namespace {
std::optional<double> parse_double(const std::string& s)
{
  double v             = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size())
    return std::nullopt;
  return v;
}

std::string format_number(double v)
{
  return fmt::format("{}", v);
}

struct Point {
  std::vector<std::string> axis_values;
  std::vector<std::size_t> runs; // positions in the `results` vector
};
} // namespace

double student_t_975(std::size_t df)
{
  static const double table[] = {12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004,
                                 2.262157,  2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905,
                                 2.109816,  2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
                                 2.059539,  2.055529, 2.051831, 2.048407, 2.045230, 2.042272};
  if (df == 0)
    return std::nan("");
  if (df <= std::size(table))
    return table[df - 1];
  // Cornish-Fisher expansion around z_{0.975}; beyond df = 30 it matches the exact quantile to 1e-6.
  const double z  = 1.959963984540054;
  const double v  = static_cast<double>(df);
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
  return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
         (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
}

bool has_confidence_interval(const std::string& metric)
{
  return metric == "latency_s" || metric.ends_with("_latency_s") || metric == "mean_energy_j" || metric == "accuracy";
}

SummaryCounts write_campaign_summaries(const fs::path& out_dir, const RunTable& table,
                                       const std::vector<std::size_t>& rows)
{
  const fs::path runs_dir = out_dir / "runs";
  std::vector<RunResult> results;
  results.reserve(rows.size());
  for (const std::size_t r : rows)
    results.push_back(read_run_result({runs_dir, table.rows[r].run_id}));

  // Metric columns: first appearance over the ok runs in run id order. A name that repeats a fixed column is dropped.
  std::set<std::string> fixed{"run_id", "seed", "status", "reason", "n_seeds", "n_failed"};
  fixed.insert(table.axis_names.begin(), table.axis_names.end());
  std::vector<std::string> metrics;
  std::set<std::string> seen_metrics;
  for (const auto& res : results)
    for (const auto& name : res.metric_names)
      if (!fixed.contains(name) && seen_metrics.insert(name).second)
        metrics.push_back(name);

  // Per run, the metric values aligned on `metrics` (empty when absent).
  std::vector<std::vector<std::string>> values(results.size(), std::vector<std::string>(metrics.size()));
  std::map<std::string, std::size_t> metric_col;
  for (std::size_t m = 0; m < metrics.size(); ++m)
    metric_col[metrics[m]] = m;
  for (std::size_t i = 0; i < results.size(); ++i)
    for (std::size_t k = 0; k < results[i].metric_names.size(); ++k)
      if (auto it = metric_col.find(results[i].metric_names[k]); it != metric_col.end())
        values[i][it->second] = results[i].metric_values[k];

  SummaryCounts counts;
  std::vector<std::string> header{"run_id"};
  header.insert(header.end(), table.axis_names.begin(), table.axis_names.end());
  for (const char* h : {"seed", "status", "reason"})
    header.emplace_back(h);
  header.insert(header.end(), metrics.begin(), metrics.end());
  std::string summary = csv_line(header);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const RunTable::Row& row = table.rows[rows[i]];
    const bool ok            = results[i].state == RunState::OK;
    (ok ? counts.ok : counts.failed)++;
    std::vector<std::string> fields{row.run_id};
    fields.insert(fields.end(), row.axis_values.begin(), row.axis_values.end());
    fields.push_back(std::to_string(row.seed));
    fields.emplace_back(ok ? "ok" : "failed");
    fields.push_back(ok                                      ? std::string()
                     : results[i].state == RunState::MISSING ? std::string("no results (run folder missing)")
                                                             : results[i].reason);
    fields.insert(fields.end(), values[i].begin(), values[i].end());
    summary += csv_line(fields);
  }
  write_file_atomically(out_dir / "summary.csv", summary);

  // Numeric metrics: every non-empty value of an ok run parses as a number, and there is at least one.
  std::vector<bool> numeric(metrics.size(), false);
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    bool any = false, all = true;
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (results[i].state != RunState::OK || values[i][m].empty())
        continue;
      any = true;
      all = all && parse_double(values[i][m]).has_value();
    }
    numeric[m] = any && all;
  }

  std::vector<Point> points;
  std::map<std::vector<std::string>, std::size_t> point_of;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& axis_values = table.rows[rows[i]].axis_values;
    auto [it, fresh]        = point_of.try_emplace(axis_values, points.size());
    if (fresh)
      points.push_back({axis_values, {}});
    points[it->second].runs.push_back(i);
  }

  std::vector<std::string> point_header(table.axis_names);
  point_header.emplace_back("n_seeds");
  point_header.emplace_back("n_failed");
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    if (!numeric[m])
      continue;
    point_header.push_back(metrics[m]);
    if (has_confidence_interval(metrics[m]))
      point_header.push_back(metrics[m] + "_ci95");
  }
  std::string by_point = csv_line(point_header);
  for (const auto& p : points) {
    std::vector<std::size_t> ok_runs;
    for (const std::size_t i : p.runs)
      if (results[i].state == RunState::OK)
        ok_runs.push_back(i);
    std::vector<std::string> fields(p.axis_values);
    fields.push_back(std::to_string(ok_runs.size()));
    fields.push_back(std::to_string(p.runs.size() - ok_runs.size()));
    for (std::size_t m = 0; m < metrics.size(); ++m) {
      if (!numeric[m])
        continue;
      std::vector<double> xs;
      for (const std::size_t i : ok_runs)
        if (auto v = parse_double(values[i][m]))
          xs.push_back(*v);
      const std::size_t n = xs.size();
      double mean         = 0;
      for (const double x : xs)
        mean += x;
      mean /= static_cast<double>(n);
      fields.push_back(n > 0 ? format_number(mean) : std::string());
      if (!has_confidence_interval(metrics[m]))
        continue;
      if (n < 2) {
        fields.emplace_back();
        continue;
      }
      double ss = 0;
      for (const double x : xs)
        ss += (x - mean) * (x - mean);
      const double sd = std::sqrt(ss / static_cast<double>(n - 1));
      fields.push_back(format_number(student_t_975(n - 1) * sd / std::sqrt(static_cast<double>(n))));
    }
    by_point += csv_line(fields);
  }
  write_file_atomically(out_dir / "summary_by_point.csv", by_point);
  return counts;
}

} // namespace popex
