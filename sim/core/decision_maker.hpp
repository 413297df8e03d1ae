#pragma once

#include "core/dnn.hpp"
#include "core/expected_time.hpp"
#include "core/objective.hpp"
#include "core/partition_graph.hpp"
#include "core/tiered_graph.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace popex {

/** One decision: the splits, the expected time under the inputs, and whether it changed the published splits. */
struct Decision {
  std::size_t split      = 0; //!< s (s1 with three tiers)
  std::size_t edge_split = 0; //!< s2 with three tiers; = split with two
  double expected_time_s = 0;
  bool changed           = false;
  std::size_t option     = 0;     //!< which ExitOption (threshold) was chosen
  double expected_energy_j = 0;   //!< with energy parameters: E[energy] of the choice
  bool feasible          = true;  //!< false: nothing met the constraints, this is the least-violating choice
};

/** One exit behaviour a decision may choose: a threshold, its q, and the accuracy with the branches up to each s. */
struct ExitOption {
  double threshold = 0;                  //!< NaN: no threshold (exit_prob overrides, or no branches)
  std::vector<double> exit_probs;        //!< q at that threshold, as the agent believes it
  std::vector<double> accuracy_by_split; //!< size N+1; NaN when unknown
};

/**
 * The partitioning graphs of one DNN: two tiers, and three when asked. Their shape depends only on the DNN, and each
 * solve rewrites every weight before it runs, so they are scratch space that any number of decision makers may
 * share, one decision at a time. A simulation's agents share one (one thread): 10,000 devices then keep one graph
 * in the processor's caches instead of 10,000 cold ones, and build it once (docs/performance.md, section 8).
 */
struct SplitGraphs {
  /** `dnn` must outlive the graphs. */
  SplitGraphs(const Dnn& dnn, bool three_tier);

  const Dnn& dnn;
  PartitionGraph two;
  std::optional<TieredPartitionGraph> three; //!< only with three tiers
};

/**
 * POPEX's Decision Maker: re-solves the partitioning graph (two tiers, or three) with the latest inputs, and applies
 * hysteresis (switch only when the predicted gain over the current choice is at least `hysteresis_pct` %).
 */
class DecisionMaker {
public:
  /** `dnn` must outlive the decision maker. */
  DecisionMaker(const Dnn& dnn, bool three_tier, double hysteresis_pct = 0);
  /** Solves on `graphs`, which it shares (SplitGraphs); three tiers if they have the tiered graph. */
  explicit DecisionMaker(std::shared_ptr<SplitGraphs> graphs, double hysteresis_pct = 0);

  /** Decides with `params` (two tiers: `params.device` only); the first call always publishes. */
  Decision decide(const TieredParams& params);
  /** Two tiers. */
  Decision decide(const ModelParams& params);
  /**
   * Decides with an objective and constraints (docs/model.md, "Objectives"), over the exit `options` (several
   * thresholds with an accuracy target): an additive objective by Dijkstra on each option's graph (the accuracy
   * target restricts the splits exactly), constraints on time or energy exactly over the rows. `energy` may be nullptr
   * for the latency objective. Hysteresis compares the objective's costs.
   */
  Decision decide(const TieredParams& base, const std::vector<ExitOption>& options, const Objective& objective,
                  const EnergyParams* energy);
  /** The rows the last decide(base, options, ...) weighed, one Rows per option. */
  const std::vector<Rows>& rows() const { return rows_; }
  /** Forgets the published choice: the next decision is made afresh (no hysteresis), as the first one. */
  void reset()
  {
    current_.reset();
    current_option_ = 0;
  }

private:
  /** Hysteresis between the published choice and the best one, whose time is `best_s`. */
  Decision settle(std::size_t s1, std::size_t s2, double best_s, double current_s);

  std::shared_ptr<SplitGraphs> graphs_;
  const Dnn& dnn_;
  double hysteresis_pct_;
  std::optional<std::pair<std::size_t, std::size_t>> current_;
  std::size_t current_option_ = 0;
  std::vector<Rows> rows_;
};

} // namespace popex
