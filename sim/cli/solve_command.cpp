#include "cli/solve_command.hpp"
#include "cli/row_writer.hpp"
#include "config/dnn_loader.hpp"
#include "config/units.hpp"
#include "core/config_error.hpp"
#include "core/decision_maker.hpp"
#include "core/energy.hpp"
#include "core/objective.hpp"

#include <fmt/format.h>

#include <algorithm>
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
  Objective objective;
  bool energy         = false;         //!< expected energies wanted (device power, radio, or an objective needs them)
  DevicePower device;                  //!< --busy-w
  std::vector<RadioPower> radios;      //!< per uplink value: --radio, else the uplink's preset; overrides applied
  bool three_tier() const { return !edge_gammas.empty(); }
  bool constrained() const { return objective.accuracy_min.has_value() || objective.constrained(); }
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

double bounded(const std::optional<double>& v, const char* option, double lo_excl, double hi, const char* unit)
{
  if (!(*v > lo_excl && *v <= hi))
    throw ConfigError(fmt::format("{} must be within ({}, {}] ({}) (got {})", option, lo_excl, hi, unit, *v));
  return *v;
}

/** --objective and its constraints (docs/model.md, "Objectives"). */
void objective_axes(const SolveOptions& o, Sweep& s)
{
  Objective& obj = s.objective;
  if (!o.objective.empty()) {
    const auto kind = objective_kind(o.objective);
    if (!kind)
      throw ConfigError(fmt::format("--objective must be one of latency, energy, weighted (got '{}')", o.objective));
    obj.kind = *kind;
  } else if (o.latency_max_ms) {
    obj.kind = ObjectiveKind::ENERGY; // minimise energy subject to E[T] <= bound
  }
  if (o.energy_weight_s_per_j) {
    if (obj.kind != ObjectiveKind::WEIGHTED)
      throw ConfigError("--energy-weight-s-per-j needs --objective weighted");
    if (!(*o.energy_weight_s_per_j >= 0 && *o.energy_weight_s_per_j <= 1e6))
      throw ConfigError(fmt::format("--energy-weight-s-per-j must be within [0, 1e6] (s/J) (got {})",
                                    *o.energy_weight_s_per_j));
    obj.energy_weight_s_per_j = *o.energy_weight_s_per_j;
  } else if (obj.kind == ObjectiveKind::WEIGHTED) {
    throw ConfigError("--objective weighted needs --energy-weight-s-per-j (seconds per joule)");
  }
  if (o.energy_budget_j)
    obj.energy_budget_j = bounded(o.energy_budget_j, "--energy-budget-j", 0, 1e9, "J");
  if (o.latency_max_ms)
    obj.latency_max_s = bounded(o.latency_max_ms, "--latency-max-ms", 0, 86400e3, "ms") / 1e3;
  if (o.accuracy_min && !(*o.accuracy_min >= 0 && *o.accuracy_min <= 1))
    throw ConfigError(fmt::format("--accuracy-min must be within [0, 1] (got {})", *o.accuracy_min));
  obj.accuracy_min = o.accuracy_min;
}

/** The device's power and its radio, per uplink value: on with --busy-w, --radio, --radio-set or an objective. */
void energy_axes(const SolveOptions& o, Sweep& s, const std::vector<std::string>& up_words)
{
  s.energy = o.busy_w || !o.radio.empty() || !o.radio_sets.empty() || s.objective.needs_energy();
  if (!s.energy)
    return;
  s.device.busy_w = o.busy_w ? bounded(o.busy_w, "--busy-w", 0, 1e5, "W") : 5.0;
  std::optional<RadioPower> given;
  if (!o.radio.empty()) {
    given = radio_preset(o.radio);
    if (!given)
      throw ConfigError(fmt::format("--radio must be one of 3g, 4g, lte, wifi (got '{}')", o.radio));
  }
  std::vector<std::pair<double RadioPower::*, double>> overrides;
  for (const auto& spec : o.radio_sets) {
    const auto eq = spec.find('=');
    std::string valid;
    for (const auto& f : radio_fields())
      valid += (valid.empty() ? "" : ", ") + std::string(f.name);
    const auto field = std::find_if(radio_fields().begin(), radio_fields().end(),
                                    [&](const RadioField& f) { return spec.substr(0, eq) == f.name; });
    if (eq == std::string::npos || field == radio_fields().end())
      throw ConfigError(fmt::format("--radio-set must be KEY=VALUE with KEY one of {} (got '{}')", valid, spec));
    const auto v = parse_number_axis(spec.substr(eq + 1), "--radio-set " + spec.substr(0, eq));
    if (v.size() != 1 || !(v[0] >= 0 && v[0] <= 1e5))
      throw ConfigError(fmt::format("--radio-set {} must be one number within [0, 100000] (got '{}')",
                                    spec.substr(0, eq), spec.substr(eq + 1)));
    overrides.emplace_back(field->member, v[0]);
  }
  for (const auto& word : up_words) {
    auto r = given ? given : radio_preset(word);
    if (!r)
      throw ConfigError(fmt::format("energy needs the device's radio: give --radio 3g|4g|wifi (--uplink {} is a rate, "
                                    "not a technology)",
                                    word));
    for (const auto& [member, v] : overrides)
      (*r).*member = v;
    s.radios.push_back(*r);
  }
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
  const auto up_words = parse_word_axis(o.uplink, "--uplink");
  s.downs        = rate_axis(o.downlink, "--downlink");
  s.lats         = latency_axis(o.latency_ms, "--latency-ms");
  objective_axes(o, s);
  energy_axes(o, s, up_words);
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
  if (s.energy) {
    l.add("busy_w");
    l.add("radio", true);
  }
  if (!o.objective.empty() || o.latency_max_ms)
    l.add("objective", true);
  if (o.energy_weight_s_per_j)
    l.add("energy_weight_s_per_j");
  if (o.energy_budget_j)
    l.add("energy_budget_j");
  if (o.latency_max_ms)
    l.add("latency_max_ms");
  l.add("split_index");
  l.add("split_after", true);
  if (s.three_tier()) {
    l.add("edge_split_index");
    l.add("edge_split_after", true);
  }
  l.add("expected_time_s");
  if (s.energy)
    for (const char* c : {"expected_energy_j", "expected_compute_energy_j", "expected_radio_energy_j"})
      l.add(c);
  l.add("offload_prob");
  if (s.three_tier())
    l.add("cloud_offload_prob");
  for (const char* c : {"edge_exit_prob", "expected_accuracy"})
    l.add(c);
  if (o.accuracy_min)
    l.add("accuracy_min");
  if (s.constrained())
    l.add("feasible");
  l.add("chosen");
  return l;
}

std::string num(double v)
{
  return fmt::format("{}", v);
}

/** The sweep's axes, in loop order; an axis the sweep does not have is {0}. */
struct Axes {
  std::vector<double> gammas, edge_gammas, ups, downs, lats, backhauls, backhaul_downs, backhaul_lats;
};

/** One point of the sweep: everything but the threshold, which an --accuracy-min group chooses too. */
struct Point {
  double gamma = 1, edge_gamma = 1, up = 0, down = 0, lat_ms = 0, backhaul = 0, backhaul_down = 0, backhaul_lat_ms = 0;
  //! Its index on each axis of Axes (up: which --uplink value, and so its radio).
  std::size_t gi = 0, gei = 0, ui = 0, di = 0, li = 0, bi = 0, bdi = 0, bli = 0;
};

/** Every axis value as its csv cell, formatted once per sweep rather than once per row. */
std::vector<std::string> cells_of(const std::vector<double>& values)
{
  std::vector<std::string> out;
  out.reserve(values.size());
  for (const double v : values)
    out.push_back(num(v));
  return out;
}

/**
 * Solves and writes one point: a group of thresholds (one, or the grid with --accuracy-min), with the agent's own
 * Decision Maker, so that solve and the simulated agent choose alike.
 */
class PointSolver {
public:
  PointSolver(const SolveOptions& o, const Sweep& s, const Axes& axes, RowWriter& writer)
      : o_(o), s_(s), writer_(writer), maker_(s.workload.dnn, s.three_tier())
      , gamma_(cells_of(axes.gammas)), edge_gamma_(cells_of(axes.edge_gammas)), up_(cells_of(axes.ups))
      , down_(cells_of(axes.downs)), lat_(cells_of(axes.lats)), backhaul_(cells_of(axes.backhauls))
      , backhaul_down_(cells_of(axes.backhaul_downs)), backhaul_lat_(cells_of(axes.backhaul_lats))
  {
    for (std::size_t qi = 0; qi < s.q_sets.size(); ++qi) {
      const auto& th = s.thresholds[s.by_threshold ? qi : 0];
      std::vector<std::string> c{th ? num(*th) : ""};
      for (const double v : s.q_sets[qi])
        c.push_back(num(v));
      q_.push_back(std::move(c));
    }
    if (!o.edge_profile.empty())
      tail_.push_back(s.device_profile->name);
    if (!o.edge_server_profile.empty())
      tail_.push_back(s.server_profile->name);
    if (o.protocol_overhead)
      tail_.push_back(num(s.protocol_overhead));
    if (o.offload_overhead_ms)
      tail_.push_back(num(*o.offload_overhead_ms));
    if (s.energy)
      busy_w_ = num(s.device.busy_w);
    if (!o.objective.empty() || o.latency_max_ms)
      objective_tail_.emplace_back(s.objective.kind == ObjectiveKind::ENERGY     ? "energy"
                                   : s.objective.kind == ObjectiveKind::WEIGHTED ? "weighted"
                                                                                 : "latency");
    if (o.energy_weight_s_per_j)
      objective_tail_.push_back(num(*o.energy_weight_s_per_j));
    if (o.energy_budget_j)
      objective_tail_.push_back(num(*o.energy_budget_j));
    if (o.latency_max_ms)
      objective_tail_.push_back(num(*o.latency_max_ms));
  }

  /** Returns false when no row meets the constraints (the least-violating one is chosen, flagged). */
  bool solve(const Point& pt, std::size_t first_q)
  {
    const Dnn& dnn          = s_.workload.dnn;
    const std::size_t n     = dnn.layer_count();
    const std::size_t group = o_.accuracy_min ? s_.thresholds.size() : 1;
    const double unknown    = std::numeric_limits<double>::quiet_NaN();
    options_.resize(group);
    for (std::size_t m = 0; m < group; ++m) {
      const std::size_t qi = first_q + m;
      ExitOption& opt      = options_[m];
      opt.threshold        = s_.by_threshold ? *s_.thresholds[qi] : unknown;
      opt.exit_probs       = s_.q_sets[qi];
      opt.accuracy_by_split.assign(n + 1, unknown);
      if (s_.by_threshold)
        for (std::size_t sp = 0; sp <= n; ++sp)
          opt.accuracy_by_split[sp] = s_.model->expected_accuracy(opt.threshold, dnn.edge_branch_count(sp));
    }
    EnergyParams energy;
    if (s_.energy)
      energy = {s_.device, s_.radios[pt.ui]};
    maker_.reset(); // every point afresh: no hysteresis across a sweep
    const Decision d = maker_.decide(params(pt), options_, s_.objective, s_.energy ? &energy : nullptr);
    for (std::size_t m = 0; m < group; ++m)
      emit(pt, first_q + m, m, d);
    return d.feasible;
  }

private:
  TieredParams params(const Point& pt) const
  {
    TieredParams tp;
    ModelParams& mp       = tp.device;
    mp.gamma              = pt.gamma;
    mp.edge_profile       = s_.device_profile;
    mp.link               = {pt.up, pt.down, pt.lat_ms / 1e3, pt.lat_ms / 1e3, s_.protocol_overhead};
    mp.offload_overhead_s = s_.offload_overhead_s;
    if (s_.three_tier()) {
      tp.server.gamma    = pt.edge_gamma;
      tp.server.profile  = s_.server_profile;
      tp.server.backhaul = {pt.backhaul, pt.backhaul_down, pt.backhaul_lat_ms / 1e3, pt.backhaul_lat_ms / 1e3,
                            s_.protocol_overhead};
    }
    return tp;
  }

  void emit(const Point& pt, std::size_t qi, std::size_t m, const Decision& d)
  {
    const Dnn& dnn   = s_.workload.dnn;
    const Rows& rows = maker_.rows()[m];
    writer_.set_prefix(prefix(pt, qi));
    const std::size_t n = dnn.layer_count();
    const auto& q       = s_.q_sets[qi];
    std::size_t i       = 0;
    for (std::size_t s1 = 0; s1 <= n; ++s1)
      for (std::size_t s2 = s1; s2 <= (s_.three_tier() ? n : s1); ++s2, ++i) { // two tiers: s2 = s1
        const bool is_chosen = d.option == m && d.split == s1 && d.edge_split == s2;
        if (o_.chosen_only && !is_chosen)
          continue;
        writer_.integer(s1);
        writer_.text(dnn.split_name(s1));
        if (s_.three_tier()) {
          writer_.integer(s2);
          writer_.text(dnn.split_name(s2));
        }
        writer_.number(rows.time_s[i]);
        if (s_.energy) {
          writer_.number(rows.energy[i].total_j());
          writer_.number(rows.energy[i].compute_j);
          writer_.number(rows.energy[i].radio_j);
        }
        writer_.number(offload_prob(dnn, q, s1));
        if (s_.three_tier())
          writer_.number(offload_prob(dnn, q, s2));
        writer_.number(edge_exit_prob(dnn, q, s2));
        if (std::isnan(rows.accuracy[i]))
          writer_.empty();
        else
          writer_.number(rows.accuracy[i]);
        if (o_.accuracy_min)
          writer_.number(*o_.accuracy_min);
        if (s_.constrained())
          writer_.text(row_violation(rows, i, s_.objective) == 0 ? "1" : "0");
        writer_.text(is_chosen ? "1" : "0");
        writer_.end_row();
      }
  }

  /** The point's constant cells, in column order: views of cells formatted once (cells_of). */
  const std::vector<std::string_view>& prefix(const Point& pt, std::size_t qi)
  {
    auto& c = prefix_;
    c.clear();
    c.push_back(s_.workload.dnn.name());
    c.push_back(s_.variant_name);
    c.push_back(gamma_[pt.gi]);
    if (s_.three_tier())
      c.push_back(edge_gamma_[pt.gei]);
    c.push_back(up_[pt.ui]);
    c.push_back(pt.down == pt.up && s_.downs.empty() ? up_[pt.ui] : down_[pt.di]);
    c.push_back(lat_[pt.li]);
    if (s_.three_tier()) {
      c.push_back(backhaul_[pt.bi]);
      c.push_back(s_.backhaul_downs.empty() ? backhaul_[pt.bi] : backhaul_down_[pt.bdi]);
      c.push_back(backhaul_lat_[pt.bli]);
    }
    c.insert(c.end(), q_[qi].begin(), q_[qi].end());
    c.insert(c.end(), tail_.begin(), tail_.end());
    if (s_.energy) {
      c.push_back(busy_w_);
      c.push_back(s_.radios[pt.ui].technology);
    }
    c.insert(c.end(), objective_tail_.begin(), objective_tail_.end());
    return c;
  }

  const SolveOptions& o_;
  const Sweep& s_;
  RowWriter& writer_;
  DecisionMaker maker_;
  std::vector<ExitOption> options_;
  // The prefix cells, formatted once: per axis value, per threshold group, and the sweep's constant options.
  std::vector<std::string> gamma_, edge_gamma_, up_, down_, lat_, backhaul_, backhaul_down_, backhaul_lat_;
  std::vector<std::vector<std::string>> q_;
  std::vector<std::string> tail_, objective_tail_;
  std::string busy_w_;
  std::vector<std::string_view> prefix_;
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
  const std::size_t group = o.accuracy_min ? s.thresholds.size() : 1;
  const std::vector<double> no_axis{0.0};
  const Axes axes{s.gammas,
                  s.three_tier() ? s.edge_gammas : no_axis,
                  s.ups,
                  s.downs.empty() ? no_axis : s.downs,
                  s.lats,
                  s.three_tier() ? s.backhauls : no_axis,
                  s.backhaul_downs.empty() ? no_axis : s.backhaul_downs,
                  s.three_tier() ? s.backhaul_lats : no_axis};
  PointSolver solver(o, s, axes, writer);
  std::size_t infeasible = 0;
  Point pt;
  for (pt.gi = 0; pt.gi < axes.gammas.size(); ++pt.gi)
    for (pt.gei = 0; pt.gei < axes.edge_gammas.size(); ++pt.gei)
      for (pt.ui = 0; pt.ui < axes.ups.size(); ++pt.ui)
        for (pt.di = 0; pt.di < axes.downs.size(); ++pt.di)
          for (pt.li = 0; pt.li < axes.lats.size(); ++pt.li)
            for (pt.bi = 0; pt.bi < axes.backhauls.size(); ++pt.bi)
              for (pt.bdi = 0; pt.bdi < axes.backhaul_downs.size(); ++pt.bdi)
                for (pt.bli = 0; pt.bli < axes.backhaul_lats.size(); ++pt.bli)
                  for (std::size_t qi = 0; qi < s.q_sets.size(); qi += group) {
                    pt.gamma           = axes.gammas[pt.gi];
                    pt.edge_gamma      = axes.edge_gammas[pt.gei];
                    pt.up              = axes.ups[pt.ui];
                    pt.down            = axes.downs[pt.di] > 0 ? axes.downs[pt.di] : pt.up;
                    pt.lat_ms          = axes.lats[pt.li];
                    pt.backhaul        = axes.backhauls[pt.bi];
                    pt.backhaul_down   = axes.backhaul_downs[pt.bdi] > 0 ? axes.backhaul_downs[pt.bdi] : pt.backhaul;
                    pt.backhaul_lat_ms = axes.backhaul_lats[pt.bli];
                    infeasible += solver.solve(pt, qi) ? 0 : 1;
                  }
  writer.finish();
  return infeasible;
}

} // namespace popex
