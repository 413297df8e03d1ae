#pragma once

#include "actors/device_state.hpp"
#include "config/scenario.hpp"
#include "core/decision_maker.hpp"

#include <simgrid/s4u/Mailbox.hpp>

namespace popex {

/** Typed configuration of a PopexAgent. */
struct PopexAgentConfig {
  PolicyConfig policy;           //!< who decides and how
  EstimatorConfig estimator;     //!< Update Box settings
  double update_period_s = 1.0;  //!< dynamic, load-aware, neurosurgeon: decide this often, s
  ModelParams initial;           //!< gamma, nominal link, prior q: what static partitioning knows at t = 0
  double uplink_latency_s = 0;   //!< to turn a probe's time into a throughput sample
  simgrid::s4u::Mailbox* probes = nullptr; //!< where active probes go
};

/**
 * POPEX's Update Box and Decision Maker for one device. Per policy:
 * static decides once at t = 0; dynamic, load-aware (plus the cloud wait) and neurosurgeon (q = 0) every update_period_s from the estimated rate
 * and, for dynamic, the exit probabilities observed online; oracle at every change of the true rate or of the
 * exit regime; cloud-only, edge-only and fixed:<layer> publish their split once.
 */
class PopexAgent {
public:
  PopexAgent(PopexAgentConfig config, const Dnn& dnn, DeviceState& device, const UplinkState& uplink,
             ExitRegime& regime, MetricsSink& sink);
  void operator()();
  /** Oracle only: the true uplink rate changed. */
  void on_rate_change(double bps);

private:
  void decide(const char* trigger, double rate_bps, const std::vector<double>& q);
  double probe();

  PopexAgentConfig config_;
  const Dnn& dnn_;
  DeviceState& device_;
  const UplinkState& uplink_;
  ExitRegime& regime_;
  MetricsSink& sink_;
  DecisionMaker maker_;
  ProbeMsg probe_; //!< the payload of every probe (it carries nothing)
};

} // namespace popex
