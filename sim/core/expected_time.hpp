#pragma once

#include "core/dnn.hpp"

#include <cstddef>
#include <vector>

namespace popex {

/** The uplink and downlink as the model sees them. */
struct LinkParams {
  double uplink_bps         = 0; //!< uplink rate B, bit/s (> 0)
  double downlink_bps       = 0; //!< downlink rate Bd, bit/s (> 0)
  double uplink_latency_s   = 0; //!< one-way uplink latency Lu, seconds
  double downlink_latency_s = 0; //!< one-way downlink latency Ld, seconds
};

/** Everything E[T(s)] depends on besides the DNN's structure. */
struct ModelParams {
  double gamma = 1;               //!< edge/cloud processing-time ratio (> 0)
  LinkParams link;                //!< network
  std::vector<double> exit_probs; //!< q_k per branch, conditional (size = Dnn::branch_count())
  double cloud_wait_s = 0;        //!< extra seconds every offload pays in the cloud (queueing); 0 in the papers
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

/** Seconds an offloaded image spends after the split: Lu + 8 a_s/B + sum_{i>s} t_i + wait + Ld + 8 r/Bd. */
double offload_cost_s(const Dnn& dnn, const ModelParams& p, std::size_t s);

/**
 * E[T(s)], the closed form of DESIGN.md section 2:
 *   sum_{i<=s} rho_i gamma t_i + sum_{l(k)<=s} rho_{l(k)} gamma tb_k + [s<N] R_s (Lu + 8 a_s/B + sum_{i>s} t_i + Ld + 8 r/Bd)
 */
double expected_time(const Dnn& dnn, const ModelParams& p, std::size_t s);

/** E[T(s)] for every s = 0..N, in O(N). */
std::vector<double> expected_times(const Dnn& dnn, const ModelParams& p);

/** Minimises E[T(s)] by enumeration; ties go to the smallest s. The reference the optimizer is tested against. */
SplitChoice brute_force_split(const Dnn& dnn, const ModelParams& p);

} // namespace popex
