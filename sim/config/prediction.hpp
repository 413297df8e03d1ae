#pragma once

#include "config/scenario.hpp"
#include "core/agent.hpp"
#include "core/expected_time.hpp"
#include "core/tiered_time.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace popex {

/**
 * One device's values, resolved once from the scenario and the platform: what the simulation runs, what the
 * analytic prediction assumes and what the summary reports. Nothing else holds them, so the three cannot disagree.
 */
struct ResolvedDevice {
  double gamma = 1;                              //!< its edge/cloud processing-time ratio
  std::shared_ptr<const EdgeProfile> profile;    //!< its measured edge times, or nullptr
  ArrivalConfig arrival;                         //!< its arrivals
  double uplink_bps   = 0;                       //!< its access uplink's rate at t = 0 (a trace's first rate), bit/s
  bool uplink_trace   = false;                   //!< the rate follows the scenario's uplink trace
  double downlink_bps = 0;                       //!< its access downlink's rate, bit/s
  double up_latency_s = 0, down_latency_s = 0;   //!< one-way access latencies, s
  std::size_t edge_server = 0;                   //!< three tiers: the edge server it reaches
};

/** One edge server's values (three tiers). */
struct ResolvedEdgeServer {
  double gamma = 1;
  std::shared_ptr<const EdgeProfile> profile;
  int slots = 1;
  double backhaul_bps = 0, backhaul_down_bps = 0; //!< at t = 0, bit/s
  double up_latency_s = 0, down_latency_s = 0;
};

/** Everything a run resolved. */
struct ResolvedRun {
  std::vector<ResolvedDevice> devices;
  std::vector<ResolvedEdgeServer> servers;
};

/**
 * The run resolved from the scenario alone (analytic campaigns: no platform): latencies from `latency_ms` and the
 * backhaul's `latency_ms` (default 0), rates from the scenario (a trace's first rate).
 */
ResolvedRun resolve_without_platform(const Scenario& sc);

/** The analytic model's view of one device at t = 0. */
struct Prediction {
  TieredParams params;                     //!< true initial conditions (rates, latencies, q, gammas, overheads)
  TieredChoice choice;                     //!< the policy's choice at t = 0, and E[T] under the true conditions
  double offload_prob       = 0;           //!< R_s1
  double cloud_offload_prob = 0;           //!< R_s2
  std::optional<double> expected_accuracy; //!< at that choice, if the exit model gives accuracies
  std::optional<EnergyTerms> energy;       //!< with energy: E[energy] of that choice (compute, radio)
  double threshold = 0;                    //!< the threshold of that choice (with accuracy_min, the agent's)
  bool feasible    = true;                 //!< false: nothing met the objective's constraints
};

/** The thresholds a device may use: the exit model's grid with accuracy_min, else the scenario's one (1 without). */
std::vector<double> scenario_thresholds(const Scenario& sc);

/** Which of scenario_thresholds() is in force at t = 0: the scenario's threshold, or the nearest grid row. */
std::size_t initial_threshold_index(const Scenario& sc);

/** What device `d`'s agent is: its policy, objective, power model and thresholds (one definition for the simulation
 *  and the prediction). */
AgentConfig agent_config(const Scenario& sc, const ResolvedRun& run, std::size_t d);

/** q at the scenario's threshold for `variant`, with the scenario's exit_prob overrides applied. */
std::vector<double> scenario_exit_probs(const Scenario& sc, const std::string& variant);
/** The same at `threshold` (an accuracy target's grid). */
std::vector<double> scenario_exit_probs(const Scenario& sc, const std::string& variant, double threshold);

/** The model's inputs for device `d` at t = 0. Two tiers use `.device` only. */
TieredParams initial_params(const Scenario& sc, const ResolvedRun& run, std::size_t d);

/**
 * Whether devices `a` and `b` of `run` have the same initial_params(), and so the same prediction: every value of
 * theirs that it reads is equal (their edge server's too, by index). 10,000 identical devices predict once.
 */
bool same_initial_params(const ResolvedRun& run, std::size_t a, std::size_t b);

/**
 * What the core predicts for device `d` at t = 0: the policy's choice (core/policy.hpp) and its E[T] under the true
 * initial conditions. `graphs`: the scenario DNN's partitioning graphs to solve on (a run's, shared by its agents and
 * its per-device predictions); nullptr: graphs of its own.
 */
Prediction predict(const Scenario& sc, const ResolvedRun& run, std::size_t d,
                   std::shared_ptr<SplitGraphs> graphs = nullptr);

/** Summary columns for a run, of device `d`: dnn ... seed (three tiers: edge_gamma, backhaul_bps, ...). */
std::vector<std::pair<std::string, std::string>> scenario_columns(const Scenario& sc, const ResolvedRun& run,
                                                                  std::size_t d);

/** Summary columns of a prediction: exit_prob_<branch>, analytic_split, ... analytic_expected_accuracy. */
std::vector<std::pair<std::string, std::string>> prediction_columns(const Scenario& sc, const Prediction& p);

} // namespace popex
