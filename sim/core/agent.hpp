#pragma once

#include "core/decision_maker.hpp"
#include "core/exit_belief.hpp"
#include "core/objective.hpp"
#include "core/policy.hpp"
#include "core/update_box.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace popex {

/** What an agent is, besides what it measures. */
struct AgentConfig {
  Policy policy;                      //!< who decides and when
  Objective objective;                //!< what it minimises, under which constraints
  std::optional<EnergyParams> energy; //!< the device's power model, when energy is on
  bool three_tier       = false;
  double hysteresis_pct = 0;          //!< switch only if the predicted gain is >= this %
  std::vector<double> thresholds;     //!< the thresholds it may use: the grid with accuracy_min, else the one in force
  std::size_t threshold_index = 0;    //!< the one in force at t = 0
  std::string variant;                //!< the exit-table variant in force at t = 0 ("" = default)
};

/** One decision, with what it was made from. */
struct AgentDecision {
  Decision decision;
  TieredParams inputs;          //!< the inputs as the agent estimated them
  double threshold = 0;         //!< the threshold in force after it (NaN without one)
};

/**
 * POPEX's agent for one device, without SimGrid: the Update Box (UpdateBox), the Decision Maker (DecisionMaker) and,
 * with an accuracy target, the choice of the threshold from what it believes of the exits at each (ExitBelief). The
 * device actor feeds it and publishes what it decides.
 */
class Agent {
public:
  /**
   * `workload` must outlive the agent. `graphs`: partitioning graphs of the workload's DNN to share with other agents
   * (SplitGraphs; with the tiered one when config.three_tier); nullptr: graphs of its own.
   */
  Agent(const Workload& workload, AgentConfig config, UpdateBox box, std::shared_ptr<SplitGraphs> graphs = nullptr);

  /**
   * Decides. `true_bps`, `true_q` and `true_variant` stand for the oracle's knowledge of the true rate, exit
   * probabilities (q at the threshold in force) and exit model; without them, the Update Box's estimates and the
   * belief.
   */
  AgentDecision decide(std::optional<double> true_bps, const std::vector<double>* true_q,
                       const std::string* true_variant = nullptr);
  /** Branch k ran on the device and the image exited there or not: for the Update Box and the belief. */
  void exit_observed(std::size_t k, bool exited);
  /** A result came back with what was measured on its way (the edge server's branches' exits too). */
  void result(const ResultReport& report);
  UpdateBox& box() { return box_; }
  /** The exit model it believes describes the images now ("" for a DNN without exit tables). */
  std::string believed_variant() const { return workload_.variants.empty() ? std::string{} : belief_.variant(); }
  std::size_t threshold_index() const { return config_.threshold_index; }

private:
  std::vector<ExitOption> options(const TieredParams& p, const std::string* true_variant);

  const Workload& workload_;
  AgentConfig config_;
  UpdateBox box_;
  DecisionMaker maker_;
  ExitBelief belief_;
};

} // namespace popex
