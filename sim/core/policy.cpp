#include "core/policy.hpp"

namespace popex {

std::optional<TieredChoice> Policy::fixed_choice(std::size_t n, bool three_tier) const
{
  switch (kind) {
    case PolicyKind::CLOUD_ONLY:
      return TieredChoice{0, 0, 0};
    case PolicyKind::DEVICE_ONLY:
      return TieredChoice{n, n, 0};
    case PolicyKind::EDGE_ONLY:
      return three_tier ? TieredChoice{0, n, 0} : TieredChoice{n, n, 0};
    case PolicyKind::FIXED:
      return TieredChoice{fixed_split, three_tier ? fixed_edge_split : fixed_split, 0};
    default:
      return std::nullopt;
  }
}

TieredChoice policy_choice(const Policy& policy, const Dnn& dnn, PartitionGraph& graph, const ModelParams& p)
{
  if (auto c = policy.fixed_choice(dnn.layer_count(), false)) {
    c->expected_time_s = expected_time(dnn, p, c->device_split);
    return *c;
  }
  if (policy.exit_aware()) {
    const SplitChoice c = graph.solve(p);
    return {c.split, c.split, c.expected_time_s};
  }
  ModelParams blind = p;
  blind.exit_probs.assign(p.exit_probs.size(), 0.0);
  const std::size_t s = graph.solve(blind).split;
  return {s, s, expected_time(dnn, p, s)};
}

TieredChoice policy_choice(const Policy& policy, const Dnn& dnn, TieredPartitionGraph& graph, const TieredParams& p)
{
  if (auto c = policy.fixed_choice(dnn.layer_count(), true)) {
    c->expected_time_s = expected_time(dnn, p, c->device_split, c->edge_split);
    return *c;
  }
  if (policy.exit_aware())
    return graph.solve(p);
  TieredParams blind = p;
  blind.device.exit_probs.assign(p.device.exit_probs.size(), 0.0);
  TieredChoice c  = graph.solve(blind);
  c.expected_time_s = expected_time(dnn, p, c.device_split, c.edge_split);
  return c;
}

} // namespace popex
