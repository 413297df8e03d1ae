#pragma once

#include "core/dnn.hpp"
#include "core/expected_time.hpp"
#include "core/partition_graph.hpp"
#include "core/tiered_graph.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace popex {

/** One decision: the splits, the expected time under the inputs, and whether it changed the published splits. */
struct Decision {
  std::size_t split      = 0; //!< s (s1 with three tiers)
  std::size_t edge_split = 0; //!< s2 with three tiers; = split with two
  double expected_time_s = 0;
  bool changed           = false;
};

/**
 * POPEX's Decision Maker: re-solves the partitioning graph (two tiers, or three) with the latest inputs, and applies
 * hysteresis (switch only when the predicted gain over the current choice is at least `hysteresis_pct` %).
 */
class DecisionMaker {
public:
  /** `dnn` must outlive the decision maker. */
  DecisionMaker(const Dnn& dnn, bool three_tier, double hysteresis_pct = 0);

  /** Decides with `params` (two tiers: `params.device` only); the first call always publishes. */
  Decision decide(const TieredParams& params);
  /** Two tiers. */
  Decision decide(const ModelParams& params);

private:
  /** Hysteresis between the published choice and the best one, whose time is `best_s`. */
  Decision settle(std::size_t s1, std::size_t s2, double best_s, double current_s);

  const Dnn& dnn_;
  PartitionGraph graph_;
  std::optional<TieredPartitionGraph> tiered_;
  double hysteresis_pct_;
  std::optional<std::pair<std::size_t, std::size_t>> current_;
};

} // namespace popex
