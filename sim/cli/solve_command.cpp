#include "cli/solve_command.hpp"
#include "config/dnn_loader.hpp"
#include "config/units.hpp"
#include "core/config_error.hpp"
#include "core/partition_graph.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace popex {

namespace {

/** One fully specified point of the sweep. */
struct Point {
  double gamma;
  double uplink_bps;
  double downlink_bps;
  double latency_ms;
  std::optional<double> threshold;
  std::vector<double> q;
};

/** Streams rows in one of three formats; numbers print shortest round-trip. */
class RowWriter {
public:
  RowWriter(std::FILE* out, std::string format, std::vector<std::string> columns)
      : out_(out), format_(std::move(format)), columns_(std::move(columns))
  {
    if (format_ == "csv")
      line(columns_);
    else if (format_ == "json")
      buf_.append(std::string_view("["));
    else
      table_header();
  }
  ~RowWriter() { flush(); }
  RowWriter(const RowWriter&)            = delete;
  RowWriter& operator=(const RowWriter&) = delete;

  void row(const std::vector<std::string>& cells, const std::vector<bool>& is_text)
  {
    if (format_ == "csv") {
      line(cells);
    } else if (format_ == "json") {
      fmt::format_to(std::back_inserter(buf_), "{}\n  {{", rows_ == 0 ? "" : ",");
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const std::string v = cells[i].empty() ? "null" : is_text[i] ? fmt::format("\"{}\"", cells[i]) : cells[i];
        fmt::format_to(std::back_inserter(buf_), "{}\"{}\": {}", i == 0 ? "" : ", ", columns_[i], v);
      }
      buf_.push_back('}');
    } else {
      // Humans read 6 significant digits; csv and json keep every digit.
      for (std::size_t i = 0; i < cells.size(); ++i) {
        std::string c = cells[i].empty() ? "-" : cells[i];
        if (!is_text[i] && !cells[i].empty())
          c = fmt::format("{:.6g}", std::stod(cells[i]));
        fmt::format_to(std::back_inserter(buf_), "{:>{}} ", c, width(i));
      }
      buf_.push_back('\n');
    }
    ++rows_;
    if (buf_.size() > (1 << 16))
      flush();
  }

  void finish()
  {
    if (format_ == "json")
      buf_.append(std::string_view(rows_ == 0 ? "]\n" : "\n]\n"));
    flush();
  }

private:
  std::size_t width(std::size_t i) const { return std::max<std::size_t>(columns_[i].size(), 8); }
  void table_header()
  {
    for (std::size_t i = 0; i < columns_.size(); ++i)
      fmt::format_to(std::back_inserter(buf_), "{:>{}} ", columns_[i], width(i));
    buf_.push_back('\n');
  }
  void line(const std::vector<std::string>& cells)
  {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0)
        buf_.push_back(',');
      buf_.append(cells[i]);
    }
    buf_.push_back('\n');
  }
  void flush()
  {
    std::fwrite(buf_.data(), 1, buf_.size(), out_);
    buf_.clear();
  }

  std::FILE* out_;
  std::string format_;
  std::vector<std::string> columns_;
  fmt::memory_buffer buf_;
  std::size_t rows_ = 0;
};

std::string num(double v)
{
  return fmt::format("{}", v);
}

/** Cartesian product of the per-branch q axes. */
void expand_q(const std::vector<std::vector<double>>& axes, std::size_t k, std::vector<double>& cur,
              std::vector<std::vector<double>>& out)
{
  if (k == axes.size()) {
    out.push_back(cur);
    return;
  }
  for (const double v : axes[k]) {
    cur[k] = v;
    expand_q(axes, k + 1, cur, out);
  }
}

} // namespace

std::size_t run_solve(const SolveOptions& o, std::FILE* out)
{
  if (o.format != "table" && o.format != "csv" && o.format != "json")
    throw ConfigError(fmt::format("--format must be one of table, csv, json (got '{}')", o.format));
  const Workload w         = load_workload(o.dnn_file);
  const Dnn& dnn           = w.dnn;
  const ExitModel* model   = w.variant(o.variant);
  const std::size_t nb     = dnn.branch_count();

  const auto gammas = parse_number_axis(o.gamma, "--gamma");
  for (const double g : gammas)
    if (!(g > 0))
      throw ConfigError(fmt::format("--gamma must be > 0 (got {})", g));
  std::vector<double> ups;
  for (const auto& r : parse_word_axis(o.uplink, "--uplink"))
    ups.push_back(parse_rate_bps(r, "--uplink"));
  std::vector<double> downs;
  if (!o.downlink.empty())
    for (const auto& r : parse_word_axis(o.downlink, "--downlink"))
      downs.push_back(parse_rate_bps(r, "--downlink"));
  const auto lats = parse_number_axis(o.latency_ms, "--latency-ms");
  for (const double l : lats)
    if (!(l >= 0))
      throw ConfigError(fmt::format("--latency-ms must be >= 0 (got {})", l));
  if (o.accuracy_min && !(*o.accuracy_min >= 0 && *o.accuracy_min <= 1))
    throw ConfigError(fmt::format("--accuracy-min must be within [0, 1] (got {})", *o.accuracy_min));
  if (o.protocol_overhead && !(*o.protocol_overhead >= 1 && *o.protocol_overhead <= 10))
    throw ConfigError(fmt::format("--protocol-overhead must be within [1, 10] (wire bytes per payload byte) (got {})",
                                  *o.protocol_overhead));
  if (o.offload_overhead_ms && !(*o.offload_overhead_ms >= 0 && *o.offload_overhead_ms <= 86400e3))
    throw ConfigError(
        fmt::format("--offload-overhead-ms must be within [0, 86400000] (got {})", *o.offload_overhead_ms));
  const std::shared_ptr<const EdgeProfile> profile =
      o.edge_profile.empty() ? w.edge_profile : load_edge_profile(o.edge_profile, dnn);
  const double protocol_overhead  = o.protocol_overhead.value_or(1.0);
  const double offload_overhead_s = o.offload_overhead_ms.value_or(0.0) / 1e3;

  // Exit behaviour: thresholds through the exit model, or q given per branch.
  std::vector<std::optional<double>> thresholds;
  std::vector<std::vector<double>> q_sets;
  if (!o.exit_probs.empty()) {
    if (!o.threshold.empty())
      throw ConfigError("--exit-prob and --threshold are exclusive: give exit probabilities or a threshold");
    if (o.accuracy_min)
      throw ConfigError("--accuracy-min needs thresholds and accuracies, not --exit-prob");
    std::vector<std::vector<double>> axes(nb, std::vector<double>{0.0});
    std::vector<bool> seen(nb, false);
    for (const auto& spec : o.exit_probs) {
      const auto eq = spec.find('=');
      if (eq == std::string::npos)
        throw ConfigError(fmt::format("--exit-prob must be BRANCH=Q (got '{}')", spec));
      const std::string bname = spec.substr(0, eq);
      const int k             = dnn.find_branch(bname);
      if (k < 0) {
        std::string valid;
        for (const auto& b : dnn.branches())
          valid += (valid.empty() ? "" : ", ") + b.name;
        throw ConfigError(fmt::format("--exit-prob: unknown branch '{}' (valid: {})", bname,
                                      valid.empty() ? "none, the DNN has no branches" : valid));
      }
      if (seen[static_cast<std::size_t>(k)])
        throw ConfigError(fmt::format("--exit-prob: branch '{}' given twice", bname));
      seen[static_cast<std::size_t>(k)] = true;
      auto values = parse_number_axis(spec.substr(eq + 1), fmt::format("--exit-prob {}", bname));
      for (const double q : values)
        if (!(q >= 0 && q <= 1))
          throw ConfigError(fmt::format("--exit-prob {} must be within [0, 1] (got {})", bname, q));
      axes[static_cast<std::size_t>(k)] = std::move(values);
    }
    std::vector<double> cur(nb, 0.0);
    expand_q(axes, 0, cur, q_sets);
    thresholds.assign(1, std::nullopt);
  } else if (nb == 0) {
    thresholds.assign(1, std::nullopt);
    q_sets.assign(1, {});
  } else {
    if (!o.threshold.empty()) {
      for (const double t : parse_number_axis(o.threshold, "--threshold"))
        thresholds.emplace_back(t);
    } else if (o.accuracy_min) {
      for (const double t : model->grid())
        thresholds.emplace_back(t);
    } else if (w.default_threshold) {
      thresholds.emplace_back(*w.default_threshold);
    } else {
      throw ConfigError(fmt::format("{}: give --threshold or --exit-prob (the DNN has no default_threshold)",
                                    o.dnn_file));
    }
    for (const auto& t : thresholds) {
      try {
        q_sets.push_back(model->at(*t).exit_probs);
      } catch (const ConfigError& e) {
        throw ConfigError(fmt::format("--threshold: {}", e.what()));
      }
    }
  }
  const bool by_threshold = thresholds.front().has_value();

  std::vector<std::string> columns{"dnn", "variant", "gamma", "uplink_bps", "downlink_bps", "latency_ms", "threshold"};
  for (const auto& b : dnn.branches())
    columns.push_back("exit_prob_" + b.name);
  // Columns of the optional model parameters appear when given, so that the default output stays as it was.
  std::vector<std::string> extra_cells;
  if (!o.edge_profile.empty()) {
    columns.emplace_back("edge_profile");
    extra_cells.push_back(profile->name);
  }
  if (o.protocol_overhead) {
    columns.emplace_back("protocol_overhead");
    extra_cells.push_back(num(protocol_overhead));
  }
  if (o.offload_overhead_ms) {
    columns.emplace_back("offload_overhead_ms");
    extra_cells.push_back(num(*o.offload_overhead_ms));
  }
  for (const char* c :
       {"split_index", "split_after", "expected_time_s", "offload_prob", "edge_exit_prob", "expected_accuracy"})
    columns.emplace_back(c);
  if (o.accuracy_min)
    columns.emplace_back("accuracy_min");
  columns.emplace_back("chosen");
  std::vector<bool> is_text(columns.size(), false);
  is_text[0] = is_text[1] = true;
  is_text[7 + nb + extra_cells.size() + 1] = true; // split_after
  if (!o.edge_profile.empty())
    is_text[7 + nb] = true;

  RowWriter writer(out, o.format, columns);
  PartitionGraph graph(dnn);
  const std::size_t n = dnn.layer_count();
  std::size_t infeasible = 0;
  const std::string variant_name = model ? (o.variant.empty() ? w.default_variant() : o.variant) : "";
  std::vector<std::string> cells;

  // One "group" shares everything but the threshold; with --accuracy-min the choice is made across the group.
  const std::size_t group = o.accuracy_min ? thresholds.size() : 1;
  std::vector<std::vector<double>> acc(group, std::vector<double>(n + 1));
  std::vector<std::vector<double>> times(group);
  std::vector<Point> points(group);

  auto emit = [&](const Point& p, const std::vector<double>& et, const std::vector<double>& a, std::size_t s,
                  bool chosen) {
    cells.clear();
    cells.push_back(dnn.name());
    cells.push_back(variant_name);
    cells.push_back(num(p.gamma));
    cells.push_back(num(p.uplink_bps));
    cells.push_back(num(p.downlink_bps));
    cells.push_back(num(p.latency_ms));
    cells.push_back(p.threshold ? num(*p.threshold) : "");
    for (const double q : p.q)
      cells.push_back(num(q));
    cells.insert(cells.end(), extra_cells.begin(), extra_cells.end());
    cells.push_back(std::to_string(s));
    cells.push_back(dnn.split_name(s));
    cells.push_back(num(et[s]));
    cells.push_back(num(offload_prob(dnn, p.q, s)));
    cells.push_back(num(edge_exit_prob(dnn, p.q, s)));
    cells.push_back(by_threshold ? num(a[s]) : "");
    if (o.accuracy_min)
      cells.push_back(num(*o.accuracy_min));
    cells.push_back(chosen ? "1" : "0");
    writer.row(cells, is_text);
  };

  const std::vector<double> down_axis = downs.empty() ? std::vector<double>{0.0} : downs;
  for (const double g : gammas)
    for (const double up : ups)
      for (const double down0 : down_axis)
        for (const double lat : lats)
          for (std::size_t qi = 0; qi < q_sets.size(); qi += group) {
            // Solve each member of the group; keep the best (feasible) one.
            std::optional<std::pair<std::size_t, SplitChoice>> best;
            for (std::size_t m = 0; m < group; ++m) {
              Point& p       = points[m];
              const std::size_t idx = by_threshold ? qi + m : qi;
              p = {g, up, down0 > 0 ? down0 : up, lat, thresholds[by_threshold ? idx : 0], q_sets[idx]};
              ModelParams mp;
              mp.gamma              = g;
              mp.edge_profile       = profile;
              mp.link               = {p.uplink_bps, p.downlink_bps, lat / 1e3, lat / 1e3, protocol_overhead};
              mp.exit_probs         = p.q;
              mp.offload_overhead_s = offload_overhead_s;
              times[m]      = expected_times(dnn, mp);
              std::vector<bool> allowed(n + 1, true);
              if (by_threshold)
                for (std::size_t s = 0; s <= n; ++s) {
                  acc[m][s]  = model->expected_accuracy(*p.threshold, dnn.edge_branch_count(s));
                  allowed[s] = !o.accuracy_min || acc[m][s] >= *o.accuracy_min;
                }
              const auto choice = graph.solve(mp, allowed);
              if (choice && (!best || choice->expected_time_s < best->second.expected_time_s))
                best = std::make_pair(m, *choice);
            }
            if (!best)
              ++infeasible;
            for (std::size_t m = 0; m < group; ++m)
              for (std::size_t s = 0; s <= n; ++s) {
                const bool chosen = best && best->first == m && best->second.split == s;
                if (!o.chosen_only || chosen)
                  emit(points[m], times[m], acc[m], s, chosen);
              }
          }
  writer.finish();
  return infeasible;
}

} // namespace popex
