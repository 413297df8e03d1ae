#include "cli/solve_command.hpp"
#include "cli/row_writer.hpp"
#include "config/dnn_loader.hpp"
#include "config/units.hpp"
#include "core/config_error.hpp"
#include "core/partition_graph.hpp"
#include "core/tiered_graph.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <optional>

namespace popex {

namespace {

/** Every axis of the sweep, parsed and checked. */
struct Sweep {
  Workload workload;
  const ExitModel* model = nullptr;
  std::string variant_name;
  std::vector<double> gammas, edge_gammas, ups, downs, lats, backhauls, backhaul_downs, backhaul_lats;
  std::vector<std::optional<double>> thresholds;
  std::vector<std::vector<double>> q_sets;
  bool by_threshold = false;
  std::shared_ptr<const EdgeProfile> device_profile;
  std::shared_ptr<const EdgeProfile> server_profile;
  double protocol_overhead  = 1;
  double offload_overhead_s = 0;
  bool three_tier() const { return !edge_gammas.empty(); }
};

std::vector<double> gamma_axis(const std::string& text, const std::string& option)
{
  const auto values = parse_number_axis(text, option);
  for (const double g : values)
    if (!(g >= 1e-3 && g <= 1e6))
      throw ConfigError(fmt::format("{} must be {} (got {})", option, g > 0 ? "within [0.001, 1e6]" : "> 0", g));
  return values;
}

std::vector<double> latency_axis(const std::string& text, const std::string& option)
{
  const auto values = parse_number_axis(text, option);
  for (const double l : values)
    if (!(l >= 0 && l <= 86400e3))
      throw ConfigError(fmt::format("{} must be {} (got {})", option, l >= 0 ? "<= 86400000 (a day)" : ">= 0", l));
  return values;
}

std::vector<double> rate_axis(const std::string& text, const std::string& option)
{
  std::vector<double> out;
  if (!text.empty())
    for (const auto& r : parse_word_axis(text, option))
      out.push_back(parse_rate_bps(r, option));
  return out;
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

/** --exit-prob BRANCH=Q...: one q set per combination; unlisted branches get 0. */
std::vector<std::vector<double>> exit_prob_sets(const SolveOptions& o, const Dnn& dnn)
{
  const std::size_t nb = dnn.branch_count();
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
    const auto kk = static_cast<std::size_t>(k);
    if (seen[kk])
      throw ConfigError(fmt::format("--exit-prob: branch '{}' given twice", bname));
    seen[kk]    = true;
    auto values = parse_number_axis(spec.substr(eq + 1), fmt::format("--exit-prob {}", bname));
    for (const double q : values)
      if (!(q >= 0 && q <= 1))
        throw ConfigError(fmt::format("--exit-prob {} must be within [0, 1] (got {})", bname, q));
    axes[kk] = std::move(values);
  }
  std::vector<std::vector<double>> sets;
  std::vector<double> cur(nb, 0.0);
  expand_q(axes, 0, cur, sets);
  return sets;
}

/** Exit behaviour: thresholds through the exit model, or q given per branch. */
void exit_axes(const SolveOptions& o, Sweep& s)
{
  const Dnn& dnn = s.workload.dnn;
  if (!o.exit_probs.empty()) {
    if (!o.threshold.empty())
      throw ConfigError("--exit-prob and --threshold are exclusive: give exit probabilities or a threshold");
    if (o.accuracy_min)
      throw ConfigError("--accuracy-min needs thresholds and accuracies, not --exit-prob");
    s.q_sets = exit_prob_sets(o, dnn);
    s.thresholds.assign(1, std::nullopt);
    return;
  }
  if (dnn.branch_count() == 0) {
    s.thresholds.assign(1, std::nullopt);
    s.q_sets.assign(1, {});
    return;
  }
  if (!o.threshold.empty()) {
    for (const double t : parse_number_axis(o.threshold, "--threshold"))
      s.thresholds.emplace_back(t);
  } else if (o.accuracy_min) {
    for (const double t : s.model->grid())
      s.thresholds.emplace_back(t);
  } else if (s.workload.default_threshold) {
    s.thresholds.emplace_back(*s.workload.default_threshold);
  } else {
    throw ConfigError(
        fmt::format("{}: give --threshold or --exit-prob (the DNN has no default_threshold)", o.dnn_file));
  }
  for (const auto& t : s.thresholds) {
    try {
      s.q_sets.push_back(s.model->at(*t).exit_probs);
    } catch (const ConfigError& e) {
      throw ConfigError(fmt::format("--threshold: {}", e.what()));
    }
  }
  s.by_threshold = true;
}

/** The three-tier options: all or nothing, enabled by --edge-gamma. */
void tier_axes(const SolveOptions& o, Sweep& s)
{
  const bool any = !o.backhaul.empty() || !o.backhaul_downlink.empty() || o.backhaul_latency_ms != "0" ||
                   !o.edge_server_profile.empty();
  if (o.edge_gamma.empty()) {
    if (any)
      throw ConfigError("--backhaul, --backhaul-downlink, --backhaul-latency-ms and --edge-server-profile need "
                        "--edge-gamma (three tiers: device -> edge server -> cloud)");
    return;
  }
  s.edge_gammas = gamma_axis(o.edge_gamma, "--edge-gamma");
  if (o.backhaul.empty())
    throw ConfigError("--edge-gamma needs --backhaul RATE: the edge server -> cloud link (three tiers)");
  s.backhauls      = rate_axis(o.backhaul, "--backhaul");
  s.backhaul_downs = rate_axis(o.backhaul_downlink, "--backhaul-downlink");
  s.backhaul_lats  = latency_axis(o.backhaul_latency_ms, "--backhaul-latency-ms");
  if (!o.edge_server_profile.empty())
    s.server_profile = load_edge_profile(o.edge_server_profile, s.workload.dnn);
}

Sweep parse_sweep(const SolveOptions& o)
{
  Sweep s;
  s.workload     = load_workload(o.dnn_file);
  s.model        = s.workload.variant(o.variant);
  s.variant_name = s.model != nullptr ? (o.variant.empty() ? s.workload.default_variant() : o.variant) : "";
  s.gammas       = gamma_axis(o.gamma, "--gamma");
  s.ups          = rate_axis(o.uplink, "--uplink");
  s.downs        = rate_axis(o.downlink, "--downlink");
  s.lats         = latency_axis(o.latency_ms, "--latency-ms");
  if (o.accuracy_min && !(*o.accuracy_min >= 0 && *o.accuracy_min <= 1))
    throw ConfigError(fmt::format("--accuracy-min must be within [0, 1] (got {})", *o.accuracy_min));
  if (o.protocol_overhead && !(*o.protocol_overhead >= 1 && *o.protocol_overhead <= 10))
    throw ConfigError(fmt::format("--protocol-overhead must be within [1, 10] (wire bytes per payload byte) (got {})",
                                  *o.protocol_overhead));
  if (o.offload_overhead_ms && !(*o.offload_overhead_ms >= 0 && *o.offload_overhead_ms <= 86400e3))
    throw ConfigError(
        fmt::format("--offload-overhead-ms must be within [0, 86400000] (got {})", *o.offload_overhead_ms));
  s.device_profile =
      o.edge_profile.empty() ? s.workload.edge_profile : load_edge_profile(o.edge_profile, s.workload.dnn);
  s.protocol_overhead  = o.protocol_overhead.value_or(1.0);
  s.offload_overhead_s = o.offload_overhead_ms.value_or(0.0) / 1e3;
  tier_axes(o, s);
  exit_axes(o, s);
  return s;
}

/** The columns, in order; the point's constant columns come first. */
struct Layout {
  std::vector<std::string> columns;
  std::vector<bool> is_text;
  void add(std::string name, bool text = false)
  {
    columns.push_back(std::move(name));
    is_text.push_back(text);
  }
};

Layout layout(const SolveOptions& o, const Sweep& s)
{
  Layout l;
  l.add("dnn", true);
  l.add("variant", true);
  l.add("gamma");
  if (s.three_tier())
    l.add("edge_gamma");
  for (const char* c : {"uplink_bps", "downlink_bps", "latency_ms"})
    l.add(c);
  if (s.three_tier())
    for (const char* c : {"backhaul_bps", "backhaul_downlink_bps", "backhaul_latency_ms"})
      l.add(c);
  l.add("threshold");
  for (const auto& b : s.workload.dnn.branches())
    l.add("exit_prob_" + b.name);
  // Columns of the optional model parameters appear when given, so that the default output stays as it was.
  if (!o.edge_profile.empty())
    l.add("edge_profile", true);
  if (!o.edge_server_profile.empty())
    l.add("edge_server_profile", true);
  if (o.protocol_overhead)
    l.add("protocol_overhead");
  if (o.offload_overhead_ms)
    l.add("offload_overhead_ms");
  l.add("split_index");
  l.add("split_after", true);
  if (s.three_tier()) {
    l.add("edge_split_index");
    l.add("edge_split_after", true);
  }
  l.add("expected_time_s");
  l.add("offload_prob");
  if (s.three_tier())
    l.add("cloud_offload_prob");
  for (const char* c : {"edge_exit_prob", "expected_accuracy"})
    l.add(c);
  if (o.accuracy_min)
    l.add("accuracy_min");
  l.add("chosen");
  return l;
}

std::string num(double v)
{
  return fmt::format("{}", v);
}

/** One point of the sweep: everything but the threshold, which an --accuracy-min group chooses too. */
struct Point {
  double gamma = 1, edge_gamma = 1, up = 0, down = 0, lat_ms = 0, backhaul = 0, backhaul_down = 0, backhaul_lat_ms = 0;
};

/** Solves and writes one point: a group of thresholds (one, or the grid with --accuracy-min). */
class PointSolver {
public:
  PointSolver(const SolveOptions& o, const Sweep& s, RowWriter& writer)
      : o_(o), s_(s), writer_(writer), graph_(s.workload.dnn), tiered_(s.workload.dnn)
  {
  }

  /** Returns false when no (threshold, split) meets --accuracy-min. */
  bool solve(const Point& pt, std::size_t first_q)
  {
    const Dnn& dnn      = s_.workload.dnn;
    const std::size_t n = dnn.layer_count();
    const std::size_t group = o_.accuracy_min ? s_.thresholds.size() : 1;
    times_.resize(group);
    acc_.assign(group, std::vector<double>(n + 1, 0.0));
    std::optional<std::pair<std::size_t, TieredChoice>> best;
    for (std::size_t m = 0; m < group; ++m) {
      const std::size_t qi = first_q + m;
      std::vector<bool> allowed(n + 1, true);
      if (s_.by_threshold)
        for (std::size_t s = 0; s <= n; ++s) {
          acc_[m][s] = s_.model->expected_accuracy(*s_.thresholds[qi], dnn.edge_branch_count(s));
          allowed[s] = !o_.accuracy_min || acc_[m][s] >= *o_.accuracy_min;
        }
      const auto choice = choose(pt, s_.q_sets[qi], allowed, times_[m]);
      if (choice && (!best || choice->expected_time_s < best->second.expected_time_s))
        best = std::make_pair(m, *choice);
    }
    for (std::size_t m = 0; m < group; ++m)
      emit(pt, first_q + m, m, best && best->first == m ? std::optional<TieredChoice>(best->second) : std::nullopt);
    return best.has_value();
  }

private:
  ModelParams device_params(const Point& pt, const std::vector<double>& q) const
  {
    ModelParams mp;
    mp.gamma              = pt.gamma;
    mp.edge_profile       = s_.device_profile;
    mp.link               = {pt.up, pt.down, pt.lat_ms / 1e3, pt.lat_ms / 1e3, s_.protocol_overhead};
    mp.exit_probs         = q;
    mp.offload_overhead_s = s_.offload_overhead_s;
    return mp;
  }

  /** Fills `times` (per split, or per pair) and returns the Dijkstra choice among the allowed (edge) splits. */
  std::optional<TieredChoice> choose(const Point& pt, const std::vector<double>& q, const std::vector<bool>& allowed,
                                     std::vector<double>& times)
  {
    const ModelParams mp = device_params(pt, q);
    if (!s_.three_tier()) {
      times         = expected_times(s_.workload.dnn, mp);
      const auto c  = graph_.solve(mp, allowed);
      return c ? std::optional<TieredChoice>(TieredChoice{c->split, c->split, c->expected_time_s}) : std::nullopt;
    }
    TieredParams tp;
    tp.device          = mp;
    tp.server.gamma    = pt.edge_gamma;
    tp.server.profile  = s_.server_profile;
    tp.server.backhaul = {pt.backhaul, pt.backhaul_down, pt.backhaul_lat_ms / 1e3, pt.backhaul_lat_ms / 1e3,
                          s_.protocol_overhead};
    times = expected_times(s_.workload.dnn, tp);
    return tiered_.solve(tp, allowed);
  }

  void emit(const Point& pt, std::size_t qi, std::size_t m, const std::optional<TieredChoice>& chosen)
  {
    const Dnn& dnn = s_.workload.dnn;
    writer_.set_prefix(prefix(pt, qi));
    const std::size_t n = dnn.layer_count();
    const auto& q       = s_.q_sets[qi];
    std::size_t i       = 0;
    for (std::size_t s1 = 0; s1 <= n; ++s1)
      for (std::size_t s2 = s1; s2 <= (s_.three_tier() ? n : s1); ++s2, ++i) { // two tiers: s2 = s1
        const bool is_chosen = chosen && chosen->device_split == s1 && chosen->edge_split == s2;
        if (o_.chosen_only && !is_chosen)
          continue;
        writer_.integer(s1);
        writer_.text(dnn.split_name(s1));
        if (s_.three_tier()) {
          writer_.integer(s2);
          writer_.text(dnn.split_name(s2));
        }
        writer_.number(times_[m][i]);
        writer_.number(offload_prob(dnn, q, s1));
        if (s_.three_tier())
          writer_.number(offload_prob(dnn, q, s2));
        writer_.number(edge_exit_prob(dnn, q, s2));
        if (s_.by_threshold)
          writer_.number(acc_[m][s2]);
        else
          writer_.empty();
        if (o_.accuracy_min)
          writer_.number(*o_.accuracy_min);
        writer_.text(is_chosen ? "1" : "0");
        writer_.end_row();
      }
  }

  std::vector<std::string> prefix(const Point& pt, std::size_t qi) const
  {
    std::vector<std::string> c{s_.workload.dnn.name(), s_.variant_name, num(pt.gamma)};
    if (s_.three_tier())
      c.push_back(num(pt.edge_gamma));
    for (const double v : {pt.up, pt.down, pt.lat_ms})
      c.push_back(num(v));
    if (s_.three_tier())
      for (const double v : {pt.backhaul, pt.backhaul_down, pt.backhaul_lat_ms})
        c.push_back(num(v));
    c.push_back(s_.thresholds[s_.by_threshold ? qi : 0] ? num(*s_.thresholds[s_.by_threshold ? qi : 0]) : "");
    for (const double v : s_.q_sets[qi])
      c.push_back(num(v));
    if (!o_.edge_profile.empty())
      c.push_back(s_.device_profile->name);
    if (!o_.edge_server_profile.empty())
      c.push_back(s_.server_profile->name);
    if (o_.protocol_overhead)
      c.push_back(num(s_.protocol_overhead));
    if (o_.offload_overhead_ms)
      c.push_back(num(*o_.offload_overhead_ms));
    return c;
  }

  const SolveOptions& o_;
  const Sweep& s_;
  RowWriter& writer_;
  PartitionGraph graph_;
  TieredPartitionGraph tiered_;
  std::vector<std::vector<double>> times_; // [group member][split, or pair_index]
  std::vector<std::vector<double>> acc_;   // [group member][s]: expected accuracy with the branches up to s
};

RowWriter::Format format_of(const std::string& f)
{
  if (f == "csv")
    return RowWriter::Format::CSV;
  if (f == "json")
    return RowWriter::Format::JSON;
  if (f == "table")
    return RowWriter::Format::TABLE;
  throw ConfigError(fmt::format("--format must be one of table, csv, json (got '{}')", f));
}

} // namespace

std::size_t run_solve(const SolveOptions& o, std::FILE* out)
{
  const RowWriter::Format format = format_of(o.format);
  const Sweep s                  = parse_sweep(o);
  const Layout l                 = layout(o, s);
  RowWriter writer(out, format, l.columns, l.is_text);
  PointSolver solver(o, s, writer);
  const std::size_t group = o.accuracy_min ? s.thresholds.size() : 1;
  const std::vector<double> no_axis{0.0};
  const auto& edge_gammas    = s.three_tier() ? s.edge_gammas : no_axis;
  const auto& backhauls      = s.three_tier() ? s.backhauls : no_axis;
  const auto& backhaul_downs = s.backhaul_downs.empty() ? no_axis : s.backhaul_downs;
  const auto& backhaul_lats  = s.three_tier() ? s.backhaul_lats : no_axis;
  const auto& downs          = s.downs.empty() ? no_axis : s.downs;
  std::size_t infeasible     = 0;
  Point pt;
  for (const double g : s.gammas)
    for (const double ge : edge_gammas)
      for (const double up : s.ups)
        for (const double down : downs)
          for (const double lat : s.lats)
            for (const double bh : backhauls)
              for (const double bhd : backhaul_downs)
                for (const double bhl : backhaul_lats)
                  for (std::size_t qi = 0; qi < s.q_sets.size(); qi += group) {
                    pt = {g, ge, up, down > 0 ? down : up, lat, bh, bhd > 0 ? bhd : bh, bhl};
                    infeasible += solver.solve(pt, qi) ? 0 : 1;
                  }
  writer.finish();
  return infeasible;
}

} // namespace popex
