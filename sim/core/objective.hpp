#pragma once

#include "core/energy.hpp"
#include "core/partition_graph.hpp"
#include "core/tiered_graph.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace popex {

/** What a choice minimises (docs/model.md, "Objectives"). */
enum class ObjectiveKind { LATENCY, ENERGY, WEIGHTED };

/** "latency", "energy" or "weighted"; nullopt for another word. */
std::optional<ObjectiveKind> objective_kind(const std::string& word);

/** The objective and the constraints of a choice. */
struct Objective {
  ObjectiveKind kind = ObjectiveKind::LATENCY; //!< latency | energy | weighted; default latency
  double energy_weight_s_per_j = 0;            //!< weighted: minimise E[T] + w x E[energy], s/J
  std::optional<double> energy_budget_j;       //!< only choices with E[energy] <= this, J
  std::optional<double> latency_max_s;         //!< only choices with E[T] <= this, s
  std::optional<double> accuracy_min;          //!< only choices with expected accuracy >= this (the threshold too)

  bool needs_energy() const { return kind != ObjectiveKind::LATENCY || energy_budget_j || latency_max_s; }
  /** Constraints on time or energy: applied over the rows (an additive objective alone is a shortest path). */
  bool constrained() const { return energy_budget_j.has_value() || latency_max_s.has_value(); }
  /** The additive cost of a row: E[T] (latency), E[energy] (energy), or E[T] + w E[energy]. */
  double cost(double time_s, double energy_j) const;
  double time_coefficient() const { return kind == ObjectiveKind::ENERGY ? 0.0 : 1.0; }
  double energy_coefficient() const
  {
    return kind == ObjectiveKind::ENERGY ? 1.0 : kind == ObjectiveKind::WEIGHTED ? energy_weight_s_per_j : 0.0;
  }
};

/** One exit behaviour's rows: E[T], energy and accuracy of every split (two tiers) or pair (three, pair_index()). */
struct Rows {
  std::vector<double> time_s;
  std::vector<EnergyTerms> energy;   //!< empty without energy parameters
  std::vector<double> accuracy;      //!< per row; NaN when the model gives no accuracy
};

/** How far row `i` of `g` is from meeting the constraints: the sum of its relative violations; 0 when feasible. */
double row_violation(const Rows& g, std::size_t i, const Objective& o);

/** The rows of `p` (two tiers use `p.device`); `accuracy_by_split[s]` is the accuracy with the branches up to s. */
Rows make_rows(const Dnn& dnn, const TieredParams& p, bool three_tier, const EnergyParams* energy,
               const std::vector<double>& accuracy_by_split);

/** A chosen row among several exit behaviours (thresholds). */
struct RowChoice {
  std::size_t group = 0;  //!< which exit behaviour (threshold)
  std::size_t row   = 0;  //!< split s, or pair_index(N, s1, s2)
  bool feasible     = true; //!< false: nothing met the constraints, this is the least-violating row
};

/**
 * The row of `groups` that minimises the objective among those meeting its constraints; ties go to the first group,
 * then the smallest row. When none is feasible, the least-violating row (the smallest sum of relative violations of
 * the accuracy, the energy budget and the latency bound), flagged infeasible: never a silent pick. Exhaustive over the
 * rows: the test oracle of the graphs, and the way constraints are applied exactly.
 */
RowChoice choose_row(const std::vector<Rows>& groups, const Objective& objective);

/** (s1, s2) of a row. Two tiers: (s, s). */
std::pair<std::size_t, std::size_t> row_splits(std::size_t n, std::size_t row, bool three_tier);

} // namespace popex
