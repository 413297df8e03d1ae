#include "core/decision_maker.hpp"

namespace popex {

SplitGraphs::SplitGraphs(const Dnn& d, bool three_tier) : dnn(d), two(d)
{
  if (three_tier)
    three.emplace(d);
}

DecisionMaker::DecisionMaker(const Dnn& dnn, bool three_tier, double hysteresis_pct)
    : DecisionMaker(std::make_shared<SplitGraphs>(dnn, three_tier), hysteresis_pct)
{
}

DecisionMaker::DecisionMaker(std::shared_ptr<SplitGraphs> graphs, double hysteresis_pct)
    : graphs_(std::move(graphs)), dnn_(graphs_->dnn), hysteresis_pct_(hysteresis_pct)
{
}

Decision DecisionMaker::settle(std::size_t s1, std::size_t s2, double best_s, double current_s)
{
  if (current_ && *current_ != std::make_pair(s1, s2) && current_s > 0 &&
      (current_s - best_s) / current_s * 100.0 < hysteresis_pct_) // gain relative to staying
    return {current_->first, current_->second, current_s, false};
  const bool changed = !current_ || *current_ != std::make_pair(s1, s2);
  current_           = std::make_pair(s1, s2);
  return {s1, s2, best_s, changed};
}

Decision DecisionMaker::decide(const ModelParams& params)
{
  const SplitChoice best = graphs_->two.solve(params);
  const double now_t     = current_ && current_->first != best.split ? expected_time(dnn_, params, current_->first) : 0;
  return settle(best.split, best.split, best.expected_time_s, now_t);
}

Decision DecisionMaker::decide(const TieredParams& params)
{
  if (!graphs_->three)
    return decide(params.device);
  const TieredChoice best = graphs_->three->solve(params);
  const bool moved        = current_ && *current_ != std::make_pair(best.device_split, best.edge_split);
  const double now_t      = moved ? expected_time(dnn_, params, current_->first, current_->second) : 0;
  return settle(best.device_split, best.edge_split, best.expected_time_s, now_t);
}

namespace {
/** Dijkstra's choice for one option: time only (latency), or combined weights; nullopt if no split is allowed. */
std::optional<std::size_t> graph_row(const Dnn& dnn, SplitGraphs& graphs, const TieredParams& p, const Objective& o,
                                     const EnergyParams* energy, const std::vector<bool>& allowed)
{
  const bool combined = o.kind != ObjectiveKind::LATENCY && energy != nullptr;
  if (auto& tiered = graphs.three) {
    const auto c = combined ? tiered->solve(p, *energy, o.time_coefficient(), o.energy_coefficient(), allowed)
                            : tiered->solve(p, allowed);
    return c ? std::optional<std::size_t>(pair_index(dnn.layer_count(), c->device_split, c->edge_split))
             : std::nullopt;
  }
  const auto c = combined ? graphs.two.solve(p.device, *energy, o.time_coefficient(), o.energy_coefficient(), allowed)
                          : graphs.two.solve(p.device, allowed);
  return c ? std::optional<std::size_t>(c->split) : std::nullopt;
}
} // namespace

Decision DecisionMaker::decide(const TieredParams& base, const std::vector<ExitOption>& options,
                               const Objective& o, const EnergyParams* energy)
{
  const std::size_t n = dnn_.layer_count();
  std::vector<Rows>& rows = rows_;
  rows.clear();
  RowChoice pick;
  bool picked = false;
  double best = 0;
  for (std::size_t g = 0; g < options.size(); ++g) {
    TieredParams p      = base;
    p.device.exit_probs = options[g].exit_probs;
    rows.push_back(make_rows(dnn_, p, graphs_->three.has_value(), energy, options[g].accuracy_by_split));
    if (o.constrained())
      continue;
    std::vector<bool> allowed(n + 1, true);
    for (std::size_t s = 0; s <= n; ++s)
      allowed[s] = !o.accuracy_min || options[g].accuracy_by_split[s] >= *o.accuracy_min;
    if (const auto row = graph_row(dnn_, *graphs_, p, o, energy, allowed)) {
      const Rows& r     = rows.back();
      const double cost = o.cost(r.time_s[*row], r.energy.empty() ? 0.0 : r.energy[*row].total_j());
      if (!picked || cost < best) {
        pick   = {g, *row, true};
        best   = cost;
        picked = true;
      }
    }
  }
  if (!picked) // constraints on time or energy, or nothing meets the accuracy target: exactly, over the rows
    pick = choose_row(rows, o);
  const auto cost_of = [&](std::size_t g, std::size_t row) {
    return o.cost(rows[g].time_s[row], rows[g].energy.empty() ? 0.0 : rows[g].energy[row].total_j());
  };
  const auto [s1, s2]  = row_splits(n, pick.row, graphs_->three.has_value());
  const bool same      = current_ && *current_ == std::make_pair(s1, s2) && current_option_ == pick.group;
  // Hysteresis keeps the published choice only while it still meets the constraints under the new inputs.
  const bool kept_ok   = current_ && current_option_ < rows.size();
  const std::size_t current_row =
      !kept_ok ? 0 : graphs_->three ? pair_index(n, current_->first, current_->second) : current_->first;
  const double now_c = kept_ok && row_violation(rows[current_option_], current_row, o) == 0
                           ? cost_of(current_option_, current_row)
                           : 0;
  Decision d;
  if (current_ && !same && now_c > 0 && (now_c - cost_of(pick.group, pick.row)) / now_c * 100.0 < hysteresis_pct_) {
    pick.group = current_option_;
    pick.row   = current_row;
  } else {
    d.changed       = !same;
    current_        = std::make_pair(s1, s2);
    current_option_ = pick.group;
  }
  d.split             = current_->first;
  d.edge_split        = current_->second;
  d.option            = pick.group;
  d.expected_time_s   = rows[pick.group].time_s[pick.row];
  d.expected_energy_j = rows[pick.group].energy.empty() ? 0.0 : rows[pick.group].energy[pick.row].total_j();
  d.feasible          = pick.feasible;
  return d;
}

} // namespace popex
