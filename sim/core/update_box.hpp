#pragma once

#include "core/policy.hpp"
#include "core/rate_estimator.hpp"
#include "core/tiered_time.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace popex {

/** What a result message tells its device, besides the result: measured on the way by the edge server and cloud. */
struct ResultReport {
  double cloud_wait_s = 0;                   //!< waited for a cloud slot (0 when the cloud was not reached)
  bool reached_cloud  = false;
  double edge_wait_s  = 0;                   //!< waited for an edge-server slot (three tiers)
  bool computed_on_edge_server = false;
  std::optional<double> backhaul_bps;        //!< the backhaul's rate, from the tensor's transfer to the cloud
  std::size_t first_server_branch = 0;       //!< branches first..first+evaluated-1 ran on the edge server
  std::size_t server_branches_evaluated = 0;
  int exit_branch = -1;                      //!< the branch that took the image, or -1
};

/**
 * POPEX's Update Box for one device: everything its agent knows comes from its own measurements (the throughput of
 * its transfers and probes, the exits its branches see) or from the reports its result messages carry (queueing at
 * the edge server and the cloud, the backhaul's rate, the exits on the edge server). estimate() turns that into the
 * inputs of a decision. No SimGrid here: the actors feed it.
 */
class UpdateBox {
public:
  /** `initial`: what the agent knows at t = 0 (nominal rates, latencies, prior q, gammas, overheads). */
  UpdateBox(const EstimatorConfig& config, TieredParams initial);

  /** A transfer or a probe on the access uplink ended at `now_s`; `bps` is its rate, when it could be measured. */
  void access_sample(std::optional<double> bps, double now_s);
  void exit_observed(std::size_t branch, bool exited)
  {
    exits_.observe(branch, exited);
    ++inputs_;
  }
  /** The threshold changed: start observing again, from `prior` (q at the new threshold, as believed). */
  void reset_exits(std::vector<double> prior) { exits_ = ExitProbEstimator(std::move(prior)); }
  void result(const ResultReport& report);
  /** How many inputs it has had (transfers, probes, exits, results): unchanged, a decision would repeat itself. */
  std::uint64_t inputs() const { return inputs_; }
  /** A probe is due: probing is on and the link has been idle for probe_idle_s. */
  bool probe_due(double now_s) const;

  /**
   * The inputs of a decision: the access rate estimated (or `true_access_bps` for the oracle estimator), the
   * backhaul's last samples, q as observed (the prior until enough samples; zeros for an exit-unaware policy) and,
   * for a load-aware policy, the measured waits.
   */
  TieredParams estimate(const Policy& policy, std::optional<double> true_access_bps = std::nullopt) const;
  /** The current access-rate estimate (the nominal rate before the first sample), bit/s. */
  double access_bps() const;
  std::vector<double> exit_probs() const { return exits_.estimate(); }
  const TieredParams& initial() const { return initial_; }

private:
  EstimatorConfig config_;
  TieredParams initial_;
  std::unique_ptr<RateEstimator> access_;
  std::unique_ptr<RateEstimator> backhaul_;
  ExitProbEstimator exits_;
  WaitEstimator cloud_wait_;
  WaitEstimator edge_wait_;
  double last_transfer_s_ = 0;
  std::uint64_t inputs_   = 0;
};

} // namespace popex
