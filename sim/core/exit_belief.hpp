#pragma once

#include "core/small_queues.hpp"
#include "core/workload.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace popex {

/**
 * What an agent believes of the exits at every threshold it may choose, for accuracy targets (ICC 2021: the
 * threshold is chosen with the split). Accuracy cannot be observed online (no labels), so the agent infers which of
 * the DNN's measured exit models (its variants: pristine, blur-k, noise-k) describes the images it sees now, from the
 * exits its branches observe, and reads q and the accuracy at every threshold from that model's tables.
 *
 * Candidates are the variants of the same trained model as the initial one (the workload's `model` key): a
 * distortion-trained "expert" network has tables of its own, but the deployed network does not turn into it.
 *
 * The inference is a maximum likelihood over a sliding window: the last `window` observations of each branch (an
 * image reached branch k at threshold t and exited there or not), each a Bernoulli draw of q_k(variant, t). Only
 * observed branches count, so branches the split leaves to the cloud say nothing, and observations made at an
 * earlier threshold still count at theirs. The belief moves to another variant only when that variant is more
 * likely by `switch_nats` (a likelihood ratio of e^2 by default), so noise does not make it flap. With one variant,
 * that variant. Updating costs O(variants) per observation.
 */
class ExitBelief {
public:
  /**
   * `workload` must outlive the belief; `initial` names the variant in force at t = 0 ("" = default);
   * `thresholds` are those the agent may use (variants whose tables do not cover them all are not candidates).
   */
  ExitBelief(const Workload& workload, const std::string& initial, std::vector<double> thresholds,
             std::size_t window = 200, double switch_nats = 2.0);

  /** An image reached branch `k` while thresholds[threshold_index] was in force, and exited there or not. */
  void observe(std::size_t k, std::size_t threshold_index, bool exited);
  /** Revises the belief from the window (the most likely variant, with the switching margin). */
  void revise();
  /** Takes `variant` as known (the oracle policy knows the true exit model). */
  void assume(const std::string& variant);

  const ExitModel& model() const { return *candidates_[current_].model; }
  const std::string& variant() const { return candidates_[current_].name; }
  /** q at thresholds[j] under the believed variant. */
  const std::vector<double>& exit_probs(std::size_t j) const { return candidates_[current_].q[j]; }
  /** The log-likelihood of each candidate over the window, in candidate order (for tests). */
  std::vector<double> log_likelihoods() const;

private:
  struct Candidate {
    std::string name;
    const ExitModel* model = nullptr;
    std::vector<std::vector<double>> q; //!< [threshold index][branch]
    double log_likelihood = 0;          //!< over the window
  };
  struct Observation {
    std::size_t threshold_index;
    bool exited;
  };
  double log_p(const Candidate& c, const Observation& o, std::size_t k) const;

  std::vector<Candidate> candidates_;
  std::size_t current_ = 0;
  std::size_t window_;
  double switch_nats_;
  std::vector<SlidingWindow<Observation>> seen_; //!< per branch, the last `window_`
};

} // namespace popex
