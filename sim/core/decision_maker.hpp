#pragma once

#include "core/dnn.hpp"
#include "core/expected_time.hpp"
#include "core/partition_graph.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace popex {

/** One decision: the split, its expected time under the inputs, and whether it changed the published split. */
struct Decision {
  std::size_t split      = 0;
  double expected_time_s = 0;
  bool changed           = false;
};

/**
 * POPEX's Decision Maker: re-solves the partitioning graph with the latest inputs, and applies hysteresis
 * (switch only when the predicted gain over the current split is at least `hysteresis_pct` %).
 */
class DecisionMaker {
public:
  /** `dnn` must outlive the decision maker. */
  DecisionMaker(const Dnn& dnn, double hysteresis_pct = 0);

  /** Decides with `params`; the first call always publishes. */
  Decision decide(const ModelParams& params);
  /** The split currently published (after at least one decide()). */
  std::size_t current() const { return current_.value_or(0); }

private:
  const Dnn& dnn_;
  PartitionGraph graph_;
  double hysteresis_pct_;
  std::optional<std::size_t> current_;
};

} // namespace popex
