#include "actors/popex_agent.hpp"

#include <simgrid/s4u.hpp>

#include <cmath>

XBT_LOG_NEW_DEFAULT_CATEGORY(popex_agent, "POPEX agents (Update Box + Decision Maker)");

namespace sg4 = simgrid::s4u;

namespace popex {

PopexAgent::PopexAgent(PopexAgentConfig config, const Dnn& dnn, DeviceState& device, const UplinkState& uplink,
                       ExitRegime& regime, MetricsSink& sink)
    : config_(std::move(config))
    , dnn_(dnn)
    , device_(device)
    , uplink_(uplink)
    , regime_(regime)
    , sink_(sink)
    , maker_(dnn, config_.estimator.hysteresis_pct)
{
}

void PopexAgent::decide(const char* trigger, double rate_bps, const std::vector<double>& q)
{
  ModelParams p       = config_.initial;
  p.link.uplink_bps   = rate_bps;
  p.exit_probs        = q;
  if (config_.policy.kind == PolicyKind::LOAD_AWARE) // dynamic + the measured cloud queueing in the cost
    p.cloud_wait_s = device_.cloud_wait_s;
  DecisionRecord rec;
  rec.time_s             = sg4::Engine::get_clock();
  rec.device             = device_.index;
  rec.trigger            = trigger;
  rec.true_rate_bps      = uplink_.rate_bps();
  rec.estimated_rate_bps = rate_bps;
  rec.q                  = q;
  switch (config_.policy.kind) {
    case PolicyKind::CLOUD_ONLY:
    case PolicyKind::EDGE_ONLY:
    case PolicyKind::FIXED: {
      const std::size_t s = config_.policy.kind == PolicyKind::CLOUD_ONLY  ? 0
                            : config_.policy.kind == PolicyKind::EDGE_ONLY ? dnn_.layer_count()
                                                                           : config_.policy.fixed_split;
      rec.split           = s;
      rec.expected_time_s = expected_time(dnn_, p, s);
      rec.changed         = true;
      break;
    }
    default: {
      const Decision d    = maker_.decide(p);
      rec.split           = d.split;
      rec.expected_time_s = d.expected_time_s;
      rec.changed         = d.changed;
    }
  }
  device_.split = rec.split;
  sink_.decision(rec);
}

double PopexAgent::probe()
{
  const double t0 = sg4::Engine::get_clock();
  // A probe pays the protocol overhead like any transfer; the sample is then the link's (wire) rate.
  const double wire_bytes = config_.estimator.probe_bytes * config_.initial.link.protocol_overhead;
  config_.probes->put(&probe_, static_cast<uint64_t>(std::llround(wire_bytes)));
  const double payload_s = sg4::Engine::get_clock() - t0 - config_.uplink_latency_s;
  sink_.probe(config_.estimator.probe_bytes);
  device_.last_offload_s = sg4::Engine::get_clock();
  return payload_s > 0 ? 8.0 * wire_bytes / payload_s : 0.0;
}

void PopexAgent::on_rate_change(double bps)
{
  if (config_.policy.kind == PolicyKind::ORACLE)
    decide("rate-change", bps, regime_.true_q[regime_.current]);
}

void PopexAgent::operator()()
{
  const PolicyKind kind = config_.policy.kind;
  const std::vector<double> zeros(dnn_.branch_count(), 0.0);
  // Neurosurgeon is exit-unaware; cloud-only runs the plain DNN.
  const bool exit_aware = kind != PolicyKind::NEUROSURGEON && kind != PolicyKind::CLOUD_ONLY;
  decide("start", config_.initial.link.uplink_bps, exit_aware ? config_.initial.exit_probs : zeros);
  if (kind == PolicyKind::ORACLE) {
    regime_.listeners.push_back([this] { decide("exit-change", uplink_.rate_bps(), regime_.true_q[regime_.current]); });
    // The oracle learns every rate change from the link itself; this actor has nothing more to do.
    return;
  }
  if (kind != PolicyKind::DYNAMIC && kind != PolicyKind::LOAD_AWARE && kind != PolicyKind::NEUROSURGEON)
    return;
  while (true) {
    sg4::this_actor::sleep_for(config_.update_period_s);
    double rate = config_.initial.link.uplink_bps;
    if (config_.estimator.kind == EstimatorKind::ORACLE) {
      rate = uplink_.rate_bps();
    } else {
      if (config_.estimator.probe_idle_s > 0 &&
          sg4::Engine::get_clock() - device_.last_offload_s >= config_.estimator.probe_idle_s)
        device_.rate_estimator->add_sample(probe());
      if (auto e = device_.rate_estimator->estimate())
        rate = *e;
    }
    decide("period", rate, exit_aware ? device_.exit_estimator->estimate() : zeros);
  }
}

} // namespace popex
