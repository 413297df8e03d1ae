#include "config/prediction.hpp"
#include "core/partition_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace popex {

std::vector<double> scenario_exit_probs(const Scenario& sc, const std::string& variant)
{
  const ExitModel* m = sc.workload.variant(variant);
  std::vector<double> q =
      m != nullptr ? m->at(sc.threshold.value_or(1.0)).exit_probs : std::vector<double>(sc.exit_prob.size(), 0.0);
  for (std::size_t k = 0; k < q.size() && k < sc.exit_prob.size(); ++k)
    if (sc.exit_prob[k])
      q[k] = *sc.exit_prob[k];
  return q;
}

Prediction predict(const Scenario& sc, double uplink_bps, double downlink_bps, double uplink_latency_s,
                   double downlink_latency_s)
{
  const Dnn& dnn = sc.workload.dnn;
  Prediction p;
  // The regime in force at t = 0: an exit_schedule entry at 0 replaces the scenario's variant.
  std::string variant = sc.variant;
  for (const auto& e : sc.exit_schedule)
    if (e.at_s == 0)
      variant = e.variant;
  p.params.gamma              = sc.devices.front().gamma;
  p.params.edge_profile       = sc.devices.front().edge_profile;
  p.params.link               = {uplink_bps, downlink_bps, uplink_latency_s, downlink_latency_s, sc.protocol_overhead};
  p.params.offload_overhead_s = sc.offload_overhead_ms / 1e3;
  p.params.exit_probs = scenario_exit_probs(sc, variant);
  switch (sc.policy.kind) {
    case PolicyKind::CLOUD_ONLY:
      p.split = 0;
      break;
    case PolicyKind::EDGE_ONLY:
      p.split = dnn.layer_count();
      break;
    case PolicyKind::FIXED:
      p.split = sc.policy.fixed_split;
      break;
    case PolicyKind::NEUROSURGEON: {
      ModelParams blind = p.params;
      blind.exit_probs.assign(blind.exit_probs.size(), 0.0);
      p.split = PartitionGraph(dnn).solve(blind).split;
      break;
    }
    default:
      p.split = PartitionGraph(dnn).solve(p.params).split;
  }
  p.expected_time_s = expected_time(dnn, p.params, p.split);
  p.offload_prob    = offload_prob(dnn, p.params.exit_probs, p.split);
  const ExitModel* m = sc.workload.variant(variant);
  const bool overridden = std::any_of(sc.exit_prob.begin(), sc.exit_prob.end(), [](auto& q) { return q.has_value(); });
  if (m != nullptr && !overridden)
    p.expected_accuracy = m->expected_accuracy(sc.threshold.value_or(1.0),
                                               sc.policy.kind == PolicyKind::CLOUD_ONLY ? 0 : dnn.edge_branch_count(p.split));
  return p;
}

std::vector<std::pair<std::string, std::string>> scenario_columns(const Scenario& sc, double uplink_bps,
                                                                  double uplink_latency_s)
{
  std::vector<std::pair<std::string, std::string>> c{
      {"dnn", sc.workload.dnn.name()},
      {"variant", sc.variant.empty() ? sc.workload.default_variant() : sc.variant},
      {"policy", policy_name(sc.policy)},
      {"gamma", fmt::format("{}", sc.devices.front().gamma)}, // what device 0 ran at, as the analytic columns
      {"uplink_bps", fmt::format("{}", uplink_bps)},
      {"uplink_trace", sc.uplink.trace.empty() ? "" : std::filesystem::path(sc.uplink.trace).filename().string()},
      {"latency_ms", fmt::format("{}", sc.latency_ms.value_or(uplink_latency_s * 1e3))},
      {"threshold", sc.threshold ? fmt::format("{}", *sc.threshold) : ""},
      {"seed", fmt::format("{}", sc.seed)}};
  return c;
}

std::vector<std::pair<std::string, std::string>> prediction_columns(const Scenario& sc, const Prediction& p)
{
  std::vector<std::pair<std::string, std::string>> c;
  const auto& branches = sc.workload.dnn.branches();
  for (std::size_t k = 0; k < branches.size(); ++k)
    c.emplace_back("exit_prob_" + branches[k].name, fmt::format("{}", p.params.exit_probs[k]));
  c.emplace_back("analytic_split", fmt::format("{}", p.split));
  c.emplace_back("analytic_split_after", sc.workload.dnn.split_name(p.split));
  c.emplace_back("analytic_expected_time_s", fmt::format("{}", p.expected_time_s));
  c.emplace_back("analytic_offload_prob", fmt::format("{}", p.offload_prob));
  c.emplace_back("analytic_expected_accuracy",
                 p.expected_accuracy ? fmt::format("{}", *p.expected_accuracy) : std::string());
  return c;
}

} // namespace popex
