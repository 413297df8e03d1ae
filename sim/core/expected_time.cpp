#include "core/expected_time.hpp"

namespace popex {

double offload_prob(const Dnn& dnn, const std::vector<double>& exit_probs, std::size_t s)
{
  return s >= dnn.layer_count() ? 0.0 : 1.0 - edge_exit_prob(dnn, exit_probs, s);
}

double edge_exit_prob(const Dnn& dnn, const std::vector<double>& exit_probs, std::size_t s)
{
  double stay = 1.0;
  for (std::size_t k = 0; k < dnn.edge_branch_count(s); ++k)
    stay *= 1.0 - exit_probs[k];
  return 1.0 - stay;
}

double offload_cost_s(const Dnn& dnn, const ModelParams& p, std::size_t s)
{
  const LinkParams& l = p.link;
  // With no overheads (o = 0, f = 1) every term is computed exactly as without them: results stay bit-identical.
  return l.uplink_latency_s + p.offload_overhead_s + 8.0 * dnn.split_bytes(s) * l.protocol_overhead / l.uplink_bps +
         dnn.cloud_suffix_s(s) + p.cloud_wait_s + l.downlink_latency_s +
         8.0 * dnn.result_bytes() * l.protocol_overhead / l.downlink_bps;
}

double expected_time(const Dnn& dnn, const ModelParams& p, std::size_t s)
{
  double reach = 1.0; // rho_i
  double edge  = 0.0;
  for (std::size_t i = 1; i <= s; ++i) {
    edge += reach * p.gamma * edge_base_layer_s(dnn, p.edge_profile.get(), i);
    if (const int k = dnn.branch_after(i); k >= 0) {
      edge += reach * p.gamma * edge_base_branch_s(dnn, p.edge_profile.get(), static_cast<std::size_t>(k));
      reach *= 1.0 - p.exit_probs[static_cast<std::size_t>(k)];
    }
  }
  if (s == dnn.layer_count())
    return edge;
  return edge + reach * offload_cost_s(dnn, p, s);
}

std::vector<double> expected_times(const Dnn& dnn, const ModelParams& p)
{
  const std::size_t n = dnn.layer_count();
  std::vector<double> out(n + 1);
  double reach = 1.0;
  double edge  = 0.0;
  for (std::size_t s = 0; s <= n; ++s) {
    if (s > 0) {
      edge += reach * p.gamma * edge_base_layer_s(dnn, p.edge_profile.get(), s);
      if (const int k = dnn.branch_after(s); k >= 0) {
        edge += reach * p.gamma * edge_base_branch_s(dnn, p.edge_profile.get(), static_cast<std::size_t>(k));
        reach *= 1.0 - p.exit_probs[static_cast<std::size_t>(k)];
      }
    }
    out[s] = s == n ? edge : edge + reach * offload_cost_s(dnn, p, s);
  }
  return out;
}

SplitChoice brute_force_split(const Dnn& dnn, const ModelParams& p)
{
  SplitChoice best{0, expected_time(dnn, p, 0)};
  for (std::size_t s = 1; s <= dnn.layer_count(); ++s) {
    const double t = expected_time(dnn, p, s);
    if (t < best.expected_time_s)
      best = {s, t};
  }
  return best;
}

} // namespace popex
