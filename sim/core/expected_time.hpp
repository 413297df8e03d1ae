#pragma once

#include "core/dnn.hpp"
#include "core/edge_profile.hpp"

#include <cstddef>
#include <memory>
#include <vector>

namespace popex {

/** The uplink and downlink as the model sees them. */
struct LinkParams {
  double uplink_bps         = 0; //!< uplink rate B, bit/s (> 0)
  double downlink_bps       = 0; //!< downlink rate Bd, bit/s (> 0)
  double uplink_latency_s   = 0; //!< one-way uplink latency Lu, seconds
  double downlink_latency_s = 0; //!< one-way downlink latency Ld, seconds
  double protocol_overhead  = 1; //!< wire bytes per payload byte (TCP/IP framing: 1514/1448), >= 1; default 1
};

/** Everything E[T(s)] depends on besides the DNN's structure. */
struct ModelParams {
  double gamma = 1;               //!< edge/cloud processing-time ratio (> 0); multiplies the edge profile's times
  std::shared_ptr<const EdgeProfile> edge_profile; //!< measured edge times; nullptr = the cloud times
  LinkParams link;                //!< network
  std::vector<double> exit_probs; //!< q_k per branch, conditional (size = Dnn::branch_count())
  double cloud_wait_s = 0;        //!< extra seconds every offload pays in the cloud (queueing); 0 in the papers
  double offload_overhead_s = 0;  //!< fixed seconds every offload pays before its transfer (serialisation,
                                  //!< framing); 0 in the papers
};

/** A split and its expected inference time. */
struct SplitChoice {
  std::size_t split      = 0; //!< s in 0..N
  double expected_time_s = 0; //!< E[T(s)], seconds
};

/** R_s: probability that an image is offloaded at split s (1 at s = 0, 0 at s = N). */
double offload_prob(const Dnn& dnn, const std::vector<double>& exit_probs, std::size_t s);

/** Probability that an edge branch classifies the image at split s: 1 - prod_{l(k)<=s} (1 - q_k). */
double edge_exit_prob(const Dnn& dnn, const std::vector<double>& exit_probs, std::size_t s);

/**
 * Seconds an offloaded image spends after the split: Lu + o + 8 f a_s/B + sum_{i>s} t_i + wait + Ld + 8 f r/Bd, with
 * o the offload overhead and f the protocol overhead.
 */
double offload_cost_s(const Dnn& dnn, const ModelParams& p, std::size_t s);

/**
 * E[T(s)], the closed form of docs/model.md (e_i, eb_k: edge times, the profile's or the cloud's):
 *   sum_{i<=s} rho_i gamma e_i + sum_{l(k)<=s} rho_{l(k)} gamma eb_k + [s<N] R_s offload_cost_s(s)
 */
double expected_time(const Dnn& dnn, const ModelParams& p, std::size_t s);

/** E[T(s)] for every s = 0..N, in O(N). */
std::vector<double> expected_times(const Dnn& dnn, const ModelParams& p);

/** Minimises E[T(s)] by enumeration; ties go to the smallest s. The reference the optimizer is tested against. */
SplitChoice brute_force_split(const Dnn& dnn, const ModelParams& p);

} // namespace popex
