#include "config/prediction.hpp"
#include "core/policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace popex {

std::vector<double> scenario_exit_probs(const Scenario& sc, const std::string& variant)
{
  return scenario_exit_probs(sc, variant, sc.threshold.value_or(1.0));
}

std::vector<double> scenario_exit_probs(const Scenario& sc, const std::string& variant, double threshold)
{
  const ExitModel* m = sc.workload.variant(variant);
  std::vector<double> q = m != nullptr ? m->at(threshold).exit_probs : std::vector<double>(sc.exit_prob.size(), 0.0);
  for (std::size_t k = 0; k < q.size() && k < sc.exit_prob.size(); ++k)
    if (sc.exit_prob[k])
      q[k] = *sc.exit_prob[k];
  return q;
}

namespace {
/** The exit-table variant in force at t = 0: an exit_schedule entry at 0 replaces the scenario's variant. */
std::string initial_variant(const Scenario& sc)
{
  std::string variant = sc.variant;
  for (const auto& e : sc.exit_schedule)
    if (e.at_s == 0)
      variant = e.variant;
  return variant;
}
} // namespace

TieredParams initial_params(const Scenario& sc, const ResolvedRun& run, std::size_t d)
{
  const ResolvedDevice& dev = run.devices[d];
  TieredParams p;
  p.device.gamma              = dev.gamma;
  p.device.edge_profile       = dev.profile;
  p.device.link               = {dev.uplink_bps, dev.downlink_bps, dev.up_latency_s, dev.down_latency_s,
                                 sc.protocol_overhead};
  p.device.exit_probs         = scenario_exit_probs(sc, initial_variant(sc));
  p.device.offload_overhead_s = sc.offload_overhead_ms / 1e3;
  if (three_tier(sc)) {
    const ResolvedEdgeServer& s = run.servers[dev.edge_server];
    p.server.gamma              = s.gamma;
    p.server.profile            = s.profile;
    p.server.backhaul           = {s.backhaul_bps, s.backhaul_down_bps, s.up_latency_s, s.down_latency_s,
                                   sc.protocol_overhead};
  }
  return p;
}

bool same_initial_params(const ResolvedRun& run, std::size_t a, std::size_t b)
{
  // The fields initial_params() reads; the rest of its inputs are the scenario's.
  const ResolvedDevice& x = run.devices[a];
  const ResolvedDevice& y = run.devices[b];
  return x.gamma == y.gamma && x.profile == y.profile && x.uplink_bps == y.uplink_bps &&
         x.downlink_bps == y.downlink_bps && x.up_latency_s == y.up_latency_s && x.down_latency_s == y.down_latency_s &&
         x.edge_server == y.edge_server;
}

std::vector<double> scenario_thresholds(const Scenario& sc)
{
  const ExitModel* m = sc.workload.variant(initial_variant(sc));
  if (m != nullptr && sc.objective.accuracy_min)
    return m->grid();
  return {sc.threshold.value_or(1.0)};
}

std::size_t initial_threshold_index(const Scenario& sc)
{
  const auto grid = scenario_thresholds(sc);
  const double t  = sc.threshold.value_or(1.0);
  std::size_t best = 0;
  for (std::size_t j = 1; j < grid.size(); ++j)
    if (std::abs(grid[j] - t) < std::abs(grid[best] - t))
      best = j;
  return best;
}

AgentConfig agent_config(const Scenario& sc, const ResolvedRun& run, std::size_t d)
{
  (void)run; (void)d; // every device shares the scenario's agent today; the resolved run may refine it
  AgentConfig c;
  c.policy          = sc.policy;
  c.objective       = sc.objective;
  c.three_tier      = three_tier(sc);
  c.hysteresis_pct  = sc.estimator.hysteresis_pct;
  c.thresholds      = scenario_thresholds(sc);
  c.threshold_index = initial_threshold_index(sc);
  c.variant         = initial_variant(sc);
  if (sc.energy)
    c.energy = sc.energy->params;
  return c;
}

Prediction predict(const Scenario& sc, const ResolvedRun& run, std::size_t d, std::shared_ptr<SplitGraphs> graphs)
{
  // The agent's own first decision (the same code as in the simulation), evaluated under the true conditions.
  const Dnn& dnn = sc.workload.dnn;
  Prediction p;
  p.params             = initial_params(sc, run, d);
  const AgentConfig ac = agent_config(sc, run, d);
  Agent agent(sc.workload, ac, UpdateBox(sc.estimator, p.params), std::move(graphs));
  const AgentDecision a = agent.decide(std::nullopt, nullptr);
  p.threshold           = ac.thresholds[a.decision.option];
  p.feasible            = a.decision.feasible;
  const ExitModel* m    = sc.workload.variant(initial_variant(sc));
  if (sc.objective.accuracy_min) // q at the chosen threshold
    p.params.device.exit_probs = m->at(p.threshold).exit_probs;
  const std::size_t s1 = a.decision.split, s2 = a.decision.edge_split;
  p.choice = {s1, s2, three_tier(sc) ? expected_time(dnn, p.params, s1, s2) : expected_time(dnn, p.params.device, s1)};
  const auto& q        = p.params.device.exit_probs;
  p.offload_prob       = offload_prob(dnn, q, s1);
  p.cloud_offload_prob = offload_prob(dnn, q, s2);
  if (sc.energy) {
    const auto all = three_tier(sc) ? expected_energies(dnn, p.params, sc.energy->params)
                                    : expected_energies(dnn, p.params.device, sc.energy->params);
    p.energy = all[three_tier(sc) ? pair_index(dnn.layer_count(), s1, s2) : s1];
  }
  const bool overridden = std::any_of(sc.exit_prob.begin(), sc.exit_prob.end(), [](auto& v) { return v.has_value(); });
  if (m != nullptr && !overridden) // cloud-only runs no branch
    p.expected_accuracy =
        m->expected_accuracy(p.threshold, sc.policy.kind == PolicyKind::CLOUD_ONLY ? 0 : dnn.edge_branch_count(s2));
  return p;
}

namespace {
double initial_rate_bps(const LinkConfig& link, const std::string& field)
{
  const auto trace = link_trace(link, field);
  return trace ? 8.0 * trace->rate_at(0) : link.rate_bps.value_or(0);
}
} // namespace

ResolvedRun resolve_without_platform(const Scenario& sc)
{
  ResolvedRun run;
  const double up      = initial_rate_bps(sc.uplink, "uplink");
  const double latency = sc.latency_ms.value_or(0) / 1e3;
  for (std::size_t i = 0; i < sc.devices.size(); ++i) {
    const DeviceConfig& c = sc.devices[i];
    ResolvedDevice d;
    d.gamma        = c.gamma;
    d.profile      = c.edge_profile;
    d.arrival      = c.arrival;
    d.uplink_bps   = c.uplink_bps.value_or(up);
    d.uplink_trace = !c.uplink_bps && !sc.uplink.trace.empty();
    d.downlink_bps = sc.downlink_bps.value_or(c.uplink_bps.value_or(up));
    d.up_latency_s = d.down_latency_s = latency;
    d.edge_server  = i % static_cast<std::size_t>(sc.edge_servers);
    run.devices.push_back(d);
  }
  if (three_tier(sc))
    for (int j = 0; j < sc.edge_servers; ++j) {
      ResolvedEdgeServer s;
      s.gamma             = sc.edge_server->gamma;
      s.profile           = sc.edge_server->profile;
      s.slots             = sc.edge_server->slots;
      s.backhaul_bps      = initial_rate_bps(*sc.backhaul, "backhaul");
      s.backhaul_down_bps = sc.backhaul->downlink_bps.value_or(s.backhaul_bps);
      s.up_latency_s = s.down_latency_s = sc.backhaul->latency_ms.value_or(0) / 1e3;
      run.servers.push_back(s);
    }
  return run;
}

std::vector<std::pair<std::string, std::string>> scenario_columns(const Scenario& sc, const ResolvedRun& run,
                                                                  std::size_t d)
{
  const ResolvedDevice& dev = run.devices[d];
  std::vector<std::pair<std::string, std::string>> c{
      {"dnn", sc.workload.dnn.name()},
      {"variant", sc.variant.empty() ? sc.workload.default_variant() : sc.variant},
      {"policy", policy_name(sc.policy)},
      {"gamma", fmt::format("{}", dev.gamma)},
      {"uplink_bps", fmt::format("{}", dev.uplink_bps)},
      {"uplink_trace", dev.uplink_trace ? std::filesystem::path(sc.uplink.trace).filename().string() : ""},
      {"latency_ms", fmt::format("{}", sc.latency_ms.value_or(dev.up_latency_s * 1e3))}, // as written when given
      {"threshold", sc.threshold ? fmt::format("{}", *sc.threshold) : ""},
      {"seed", fmt::format("{}", sc.seed)}};
  if (three_tier(sc)) {
    const ResolvedEdgeServer& s = run.servers[dev.edge_server];
    c.emplace_back("edge_gamma", fmt::format("{}", s.gamma));
    c.emplace_back("backhaul_bps", fmt::format("{}", s.backhaul_bps));
    c.emplace_back("backhaul_latency_ms", fmt::format("{}", sc.backhaul->latency_ms.value_or(s.up_latency_s * 1e3)));
  }
  return c;
}

std::vector<std::pair<std::string, std::string>> prediction_columns(const Scenario& sc, const Prediction& p)
{
  std::vector<std::pair<std::string, std::string>> c;
  const Dnn& dnn       = sc.workload.dnn;
  const auto& branches = dnn.branches();
  for (std::size_t k = 0; k < branches.size(); ++k)
    c.emplace_back("exit_prob_" + branches[k].name, fmt::format("{}", p.params.device.exit_probs[k]));
  c.emplace_back("analytic_split", fmt::format("{}", p.choice.device_split));
  c.emplace_back("analytic_split_after", dnn.split_name(p.choice.device_split));
  if (three_tier(sc)) {
    c.emplace_back("analytic_edge_split", fmt::format("{}", p.choice.edge_split));
    c.emplace_back("analytic_edge_split_after", dnn.split_name(p.choice.edge_split));
  }
  c.emplace_back("analytic_expected_time_s", fmt::format("{}", p.choice.expected_time_s));
  c.emplace_back("analytic_offload_prob", fmt::format("{}", p.offload_prob));
  if (three_tier(sc))
    c.emplace_back("analytic_cloud_offload_prob", fmt::format("{}", p.cloud_offload_prob));
  c.emplace_back("analytic_expected_accuracy",
                 p.expected_accuracy ? fmt::format("{}", *p.expected_accuracy) : std::string());
  if (p.energy)
    c.emplace_back("analytic_expected_energy_j", fmt::format("{}", p.energy->total_j()));
  if (sc.objective.accuracy_min || sc.objective.constrained()) {
    c.emplace_back("analytic_threshold", fmt::format("{}", p.threshold));
    c.emplace_back("analytic_feasible", p.feasible ? "1" : "0");
  }
  return c;
}

} // namespace popex
