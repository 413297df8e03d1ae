#pragma once

#include "core/expected_time.hpp"

#include <cstddef>
#include <memory>
#include <vector>

namespace popex {

/** The edge server and its backhaul to the cloud, as the three-tier model sees them (docs/model.md). */
struct EdgeServerParams {
  double gamma = 1;                                   //!< gamma_e: edge-server/cloud processing-time ratio (> 0)
  std::shared_ptr<const EdgeProfile> profile;         //!< measured edge-server times; nullptr = the cloud times
  LinkParams backhaul;                                //!< edge server <-> cloud: L2, B2 (up), B2d (down), f
  double wait_s = 0;                                  //!< queueing before the edge server runs layers (load-aware)
};

/**
 * Everything E[T(s1, s2)] depends on: the device side as in the two-tier model (gamma_d and its profile, the access
 * link L1/B1/B1d, q, the cloud's wait, the offload overhead paid once when a sample leaves the device) and the edge
 * server.
 */
struct TieredParams {
  ModelParams device;
  EdgeServerParams server;
};

/** A pair of splits: the device runs layers 1..s1, the edge server s1+1..s2, the cloud the rest. */
struct TieredChoice {
  std::size_t device_split = 0; //!< s1
  std::size_t edge_split   = 0; //!< s2 >= s1
  double expected_time_s   = 0; //!< E[T(s1, s2)], seconds
};

/**
 * E[T(s1, s2)] of docs/model.md, three tiers, for 0 <= s1 <= s2 <= N:
 *   sum_{i<=s1} rho_i gd e_i + sum_{l(k)<=s1} rho_l(k) gd eb_k
 *   + [s1<N] ( R_s1 (L1 + o + 8 f a_s1/B1) + [s1<s2] R_s1 w_e
 *             + sum_{s1<i<=s2} rho_i ge e'_i + sum_{s1<l(k)<=s2} rho_l(k) ge eb'_k
 *             + [s2<N] R_s2 (L2 + 8 f a_s2/B2 + sum_{i>s2} t_i + w_c + L2 + 8 f r/B2d)
 *             + R_s1 (L1 + 8 f r/B1d) )
 * with e, eb the device's edge times and e', eb' the edge server's (their profiles, else the cloud times), o the
 * offload overhead, w_e and w_c the edge server's and the cloud's waits (0 in the model of the issue).
 */
double expected_time(const Dnn& dnn, const TieredParams& p, std::size_t s1, std::size_t s2);

/** Index of the pair (s1, s2) in expected_times(): pairs in order of s1, then s2. */
inline std::size_t pair_index(std::size_t n, std::size_t s1, std::size_t s2)
{
  // Pairs before row s1: sum_{j<s1} (n + 1 - j) = s1 (n + 1) - s1 (s1 - 1) / 2.
  return s1 * (n + 1) - s1 * (s1 - 1) / 2 + (s2 - s1);
}

/** E[T(s1, s2)] of every pair, in pair_index() order, in O(N^2). */
std::vector<double> expected_times(const Dnn& dnn, const TieredParams& p);

/** Minimises E[T(s1, s2)] by enumeration; ties go to the smallest (s1, s2). The test oracle of the tiered graph. */
TieredChoice brute_force_split(const Dnn& dnn, const TieredParams& p);

} // namespace popex
