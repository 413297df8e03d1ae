#include "core/objective.hpp"

#include <cmath>
#include <limits>

namespace popex {

double Objective::cost(double time_s, double energy_j) const
{
  switch (kind) {
    case ObjectiveKind::ENERGY:
      return energy_j;
    case ObjectiveKind::WEIGHTED:
      return time_s + energy_weight_s_per_j * energy_j;
    case ObjectiveKind::LATENCY:
      break;
  }
  return time_s;
}

Rows make_rows(const Dnn& dnn, const TieredParams& p, bool three_tier, const EnergyParams* energy,
               const std::vector<double>& accuracy_by_split)
{
  Rows r;
  const std::size_t n = dnn.layer_count();
  if (three_tier) {
    r.time_s = expected_times(dnn, p);
    if (energy != nullptr)
      r.energy = expected_energies(dnn, p, *energy);
    for (std::size_t s1 = 0; s1 <= n; ++s1)
      for (std::size_t s2 = s1; s2 <= n; ++s2)
        r.accuracy.push_back(accuracy_by_split[s2]);
    return r;
  }
  r.time_s = expected_times(dnn, p.device);
  if (energy != nullptr)
    r.energy = expected_energies(dnn, p.device, *energy);
  r.accuracy = accuracy_by_split;
  return r;
}

std::pair<std::size_t, std::size_t> row_splits(std::size_t n, std::size_t row, bool three_tier)
{
  if (!three_tier)
    return {row, row};
  for (std::size_t s1 = 0; s1 <= n; ++s1) {
    const std::size_t width = n + 1 - s1; // pairs (s1, s1..n)
    if (row < width)
      return {s1, s1 + row};
    row -= width;
  }
  return {n, n};
}

std::optional<ObjectiveKind> objective_kind(const std::string& word)
{
  if (word == "latency")
    return ObjectiveKind::LATENCY;
  if (word == "energy")
    return ObjectiveKind::ENERGY;
  if (word == "weighted")
    return ObjectiveKind::WEIGHTED;
  return std::nullopt;
}

double row_violation(const Rows& g, std::size_t i, const Objective& o)
{
  double v = 0;
  if (o.accuracy_min && !(g.accuracy[i] >= *o.accuracy_min)) // NaN (unknown accuracy) violates fully
    v += std::isnan(g.accuracy[i]) ? 1.0 : (*o.accuracy_min - g.accuracy[i]) / std::max(*o.accuracy_min, 1e-12);
  if (o.energy_budget_j && g.energy[i].total_j() > *o.energy_budget_j)
    v += (g.energy[i].total_j() - *o.energy_budget_j) / std::max(*o.energy_budget_j, 1e-12);
  if (o.latency_max_s && g.time_s[i] > *o.latency_max_s)
    v += (g.time_s[i] - *o.latency_max_s) / std::max(*o.latency_max_s, 1e-12);
  return v;
}

RowChoice choose_row(const std::vector<Rows>& groups, const Objective& o)
{
  RowChoice best;
  double best_cost      = std::numeric_limits<double>::infinity();
  double best_violation = std::numeric_limits<double>::infinity();
  bool any_feasible     = false;
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t i = 0; i < groups[g].time_s.size(); ++i) {
      const double e    = groups[g].energy.empty() ? 0.0 : groups[g].energy[i].total_j();
      const double cost = o.cost(groups[g].time_s[i], e);
      const double v    = row_violation(groups[g], i, o);
      if (v == 0) {
        if (!any_feasible || cost < best_cost) {
          best         = {g, i, true};
          best_cost    = cost;
          any_feasible = true;
        }
      } else if (!any_feasible && (v < best_violation || (v == best_violation && cost < best_cost))) {
        best           = {g, i, false};
        best_violation = v;
        best_cost      = cost;
      }
    }
  return best;
}

} // namespace popex
