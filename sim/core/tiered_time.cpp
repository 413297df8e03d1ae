#include "core/tiered_time.hpp"

namespace popex {

namespace {
/** Per-position quantities shared by the closed form and the enumeration: rho, R and the per-tier layer costs. */
struct Terms {
  std::vector<double> reach;       // [i], i = 1..N: rho_i, the probability of reaching layer i
  std::vector<double> offload;     // [s]: R_s (1 at s = 0), ignoring that nothing leaves at s = N
  std::vector<double> device_cost; // [i]: rho_i gd e_i + the branch after i, rho gd eb (prefix of the device)
  std::vector<double> server_cost; // [i]: the same on the edge server, with ge and its times
};

Terms terms(const Dnn& dnn, const TieredParams& p)
{
  const std::size_t n = dnn.layer_count();
  Terms t;
  t.reach.assign(n + 1, 1.0);
  t.offload.assign(n + 1, 1.0);
  t.device_cost.assign(n + 1, 0.0);
  t.server_cost.assign(n + 1, 0.0);
  const EdgeProfile* dev = p.device.edge_profile.get();
  const EdgeProfile* srv = p.server.profile.get();
  double reach           = 1.0;
  for (std::size_t i = 1; i <= n; ++i) {
    t.reach[i]       = reach;
    t.device_cost[i] = reach * p.device.gamma * edge_base_layer_s(dnn, dev, i);
    t.server_cost[i] = reach * p.server.gamma * edge_base_layer_s(dnn, srv, i);
    if (const int k = dnn.branch_after(i); k >= 0) {
      const auto kk = static_cast<std::size_t>(k);
      t.device_cost[i] += reach * p.device.gamma * edge_base_branch_s(dnn, dev, kk);
      t.server_cost[i] += reach * p.server.gamma * edge_base_branch_s(dnn, srv, kk);
      reach *= 1.0 - p.device.exit_probs[kk];
    }
    t.offload[i] = reach;
  }
  return t;
}

/** Seconds a sample leaving the device at s1 adds, besides the edge server's layers and the cloud part. */
double access_cost_s(const Dnn& dnn, const ModelParams& d, std::size_t s1)
{
  const LinkParams& l = d.link;
  return l.uplink_latency_s + d.offload_overhead_s + 8.0 * dnn.split_bytes(s1) * l.protocol_overhead / l.uplink_bps +
         l.downlink_latency_s + 8.0 * dnn.result_bytes() * l.protocol_overhead / l.downlink_bps;
}

/** Seconds a sample leaving the edge server at s2 adds: the backhaul both ways and the cloud's layers. */
double backhaul_cost_s(const Dnn& dnn, const TieredParams& p, std::size_t s2)
{
  const LinkParams& b = p.server.backhaul;
  return b.uplink_latency_s + 8.0 * dnn.split_bytes(s2) * b.protocol_overhead / b.uplink_bps +
         dnn.cloud_suffix_s(s2) + p.device.cloud_wait_s + b.downlink_latency_s +
         8.0 * dnn.result_bytes() * b.protocol_overhead / b.downlink_bps;
}

double pair_time(const Dnn& dnn, const TieredParams& p, const Terms& t, const std::vector<double>& device_prefix,
                 const std::vector<double>& server_prefix, std::size_t s1, std::size_t s2)
{
  const std::size_t n = dnn.layer_count();
  double total        = device_prefix[s1];
  if (s1 == n)
    return total;
  total += t.offload[s1] * access_cost_s(dnn, p.device, s1);
  if (s1 < s2)
    total += t.offload[s1] * p.server.wait_s + (server_prefix[s2] - server_prefix[s1]);
  if (s2 < n)
    total += t.offload[s2] * backhaul_cost_s(dnn, p, s2);
  return total;
}

std::vector<double> prefix(const std::vector<double>& cost)
{
  std::vector<double> out(cost.size(), 0.0);
  for (std::size_t i = 1; i < cost.size(); ++i)
    out[i] = out[i - 1] + cost[i];
  return out;
}
} // namespace

double expected_time(const Dnn& dnn, const TieredParams& p, std::size_t s1, std::size_t s2)
{
  const Terms t = terms(dnn, p);
  return pair_time(dnn, p, t, prefix(t.device_cost), prefix(t.server_cost), s1, s2);
}

std::vector<double> expected_times(const Dnn& dnn, const TieredParams& p)
{
  const std::size_t n = dnn.layer_count();
  const Terms t       = terms(dnn, p);
  const auto dp       = prefix(t.device_cost);
  const auto sp       = prefix(t.server_cost);
  std::vector<double> out;
  out.reserve((n + 1) * (n + 2) / 2);
  for (std::size_t s1 = 0; s1 <= n; ++s1)
    for (std::size_t s2 = s1; s2 <= n; ++s2)
      out.push_back(pair_time(dnn, p, t, dp, sp, s1, s2));
  return out;
}

TieredChoice brute_force_split(const Dnn& dnn, const TieredParams& p)
{
  const std::size_t n = dnn.layer_count();
  TieredChoice best{0, 0, expected_time(dnn, p, 0, 0)};
  for (std::size_t s1 = 0; s1 <= n; ++s1)
    for (std::size_t s2 = s1; s2 <= n; ++s2) {
      const double v = expected_time(dnn, p, s1, s2); // the closed form per pair: independent of the prefix sums
      if (v < best.expected_time_s)
        best = {s1, s2, v};
    }
  return best;
}

} // namespace popex
