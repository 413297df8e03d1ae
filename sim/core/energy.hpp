#pragma once

#include "core/expected_time.hpp"
#include "core/tiered_time.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace popex {

/** A device's compute power: `busy_w` while it executes, `idle_w` otherwise (docs/model.md, "Energy"). */
struct DevicePower {
  double busy_w = 0; //!< W while executing, >= idle_w
  double idle_w = 0; //!< W otherwise, >= 0
};

/**
 * A radio's power model, after Huang et al., "A Close Examination of Performance and Power Characteristics of 4G LTE
 * Networks" (MobiSys 2012): while transferring, P = alpha_up x up_Mbps + alpha_down x down_Mbps + beta; after the
 * last transfer, a tail at tail_w for tail_s, cut short when a new transfer starts; leaving idle (after a full tail)
 * costs a promotion, promotion_w for promotion_s (its energy only: the promotion delay is not simulated).
 */
struct RadioPower {
  std::string technology;          //!< "3g", "4g" or "wifi" (a preset), or a user's name
  double alpha_up_w_per_mbps   = 0; //!< W per Mbit/s sent
  double alpha_down_w_per_mbps = 0; //!< W per Mbit/s received
  double beta_w                = 0; //!< W while a transfer runs, whatever its rate
  double tail_w                = 0; //!< W in the tail after the last transfer
  double tail_s                = 0; //!< how long the tail lasts, s
  double promotion_w           = 0; //!< W during a promotion from idle
  double promotion_s           = 0; //!< how long a promotion lasts, s
};

/** A radio parameter's name (as in scenarios and `solve --radio-set`) and its member. */
struct RadioField {
  const char* name;
  double RadioPower::*member;
};
/** Every numeric parameter of RadioPower, in declaration order. */
const std::vector<RadioField>& radio_fields();

/** Huang et al.'s parameters for "3g", "4g" (also "lte") and "wifi" (docs/model.md cites the tables); nullopt
 *  for another name. */
std::optional<RadioPower> radio_preset(const std::string& technology);

/** What a device's energy per image depends on besides the model's inputs. */
struct EnergyParams {
  DevicePower device;
  RadioPower radio;
};

/** Expected energy of an image on the device, joules. */
struct EnergyTerms {
  double compute_j = 0; //!< busy_w x the device's expected execution time
  double radio_j   = 0; //!< its transfers, promotion and tails
  double total_j() const { return compute_j + radio_j; }
};

/**
 * The radio energy of one offload: its upload (alpha_up x Mbits + beta x (L + 8 f a/B)), a promotion, its result's
 * download when r > 0 (with the tail between the upload and the download, cut after `gap_s`), and one full tail.
 * Exact when images are further apart than the tail (docs/model.md).
 */
double offload_radio_j(const RadioPower& radio, const LinkParams& access, double bytes_up, double result_bytes,
                       double gap_s);

/**
 * Two tiers, every split s = 0..N: compute = busy_w x (sum_{i<=s} rho_i gamma e_i + branches), radio = R_s x
 * offload_radio_j(a_s) with the cloud's part sum_{i>s} t_i + w_c as the gap. O(N).
 */
std::vector<EnergyTerms> expected_energies(const Dnn& dnn, const ModelParams& p, const EnergyParams& e);

/**
 * Three tiers, every pair in pair_index() order: compute on the device up to s1, radio for the access link at s1. The
 * gap between the upload and the result is bounded by a full tail (exact when r = 0, an upper bound otherwise).
 */
std::vector<EnergyTerms> expected_energies(const Dnn& dnn, const TieredParams& p, const EnergyParams& e);

} // namespace popex
