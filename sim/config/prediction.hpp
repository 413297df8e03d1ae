#pragma once

#include "config/scenario.hpp"
#include "core/expected_time.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace popex {

/** The analytic model's view of a scenario at t = 0. */
struct Prediction {
  ModelParams params;                      //!< true initial conditions (rate, latencies, q)
  std::size_t split = 0;                   //!< the policy's split at t = 0
  double expected_time_s = 0;              //!< E[T(split)] under the true initial conditions
  double offload_prob    = 0;              //!< R_split
  std::optional<double> expected_accuracy; //!< at that split, if the exit model gives accuracies
};

/** q at the scenario's threshold for `variant`, with the scenario's exit_prob overrides applied. */
std::vector<double> scenario_exit_probs(const Scenario& sc, const std::string& variant);

/**
 * What the core predicts for the scenario: E[T] of the split the policy picks at t = 0 (static, dynamic, oracle:
 * the Dijkstra choice; neurosurgeon: its exit-unaware choice, evaluated with the true q; cloud-only, edge-only,
 * fixed: their split). `uplink_bps` is the initial rate; latencies are one-way, seconds.
 */
Prediction predict(const Scenario& sc, double uplink_bps, double downlink_bps, double uplink_latency_s,
                   double downlink_latency_s);

/** Summary columns for a run: scenario parameters (dnn ... seed, then exit_prob_<branch>). */
std::vector<std::pair<std::string, std::string>> scenario_columns(const Scenario& sc, double uplink_bps,
                                                                  double uplink_latency_s);

/** Summary columns of a prediction: analytic_split, analytic_split_after, analytic_expected_time_s, ... */
std::vector<std::pair<std::string, std::string>> prediction_columns(const Scenario& sc, const Prediction& p);

} // namespace popex
