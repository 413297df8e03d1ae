#pragma once

#include "core/partition_graph.hpp"
#include "core/tiered_graph.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace popex {

/** Who decides the split(s) (docs/scenarios.md, "Policies"). */
enum class PolicyKind { STATIC, DYNAMIC, LOAD_AWARE, ORACLE, NEUROSURGEON, CLOUD_ONLY, DEVICE_ONLY, EDGE_ONLY, FIXED };

/**
 * A partitioning policy as a strategy: what it knows and when it decides. The agent and the analytic prediction both
 * ask it, so that the two never disagree.
 */
struct Policy {
  PolicyKind kind = PolicyKind::STATIC; //!< default static
  std::string text;                     //!< as written, e.g. "fixed:conv2" or "fixed:conv1,fc1"
  std::size_t fixed_split      = 0;     //!< fixed: s (s1 with three tiers)
  std::size_t fixed_edge_split = 0;     //!< fixed with three tiers: s2 (= s1 with two)

  /** Uses the branches' exit probabilities: all but neurosurgeon (exit-unaware) and cloud-only (no branch runs). */
  bool exit_aware() const { return kind != PolicyKind::NEUROSURGEON && kind != PolicyKind::CLOUD_ONLY; }
  /** Re-decides every update period from its estimates: dynamic, load-aware and neurosurgeon. */
  bool periodic() const
  {
    return kind == PolicyKind::DYNAMIC || kind == PolicyKind::LOAD_AWARE || kind == PolicyKind::NEUROSURGEON;
  }
  /** Adds the measured queueing delays (edge server, cloud) to the cost. */
  bool load_aware() const { return kind == PolicyKind::LOAD_AWARE; }
  /** Re-decides at every change of the true rate or exit regime. */
  bool oracle() const { return kind == PolicyKind::ORACLE; }

  /**
   * The pair (s1, s2) it always publishes, for a DNN of `n` layers: cloud-only (0, 0); device-only (n, n); edge-only
   * (n, n) with two tiers (everything on the edge device), (0, n) with three (everything on the edge server); fixed.
   * nullopt when it decides.
   */
  std::optional<TieredChoice> fixed_choice(std::size_t n, bool three_tier) const;
};

/** The policy's choice under `p`, with its E[T] under `p`: fixed pairs as they are; neurosurgeon solves as if every
 *  q were 0; the others with Dijkstra. Two tiers: s1 = s2. */
TieredChoice policy_choice(const Policy& policy, const Dnn& dnn, PartitionGraph& graph, const ModelParams& p);
/** The same with three tiers. */
TieredChoice policy_choice(const Policy& policy, const Dnn& dnn, TieredPartitionGraph& graph, const TieredParams& p);

} // namespace popex
