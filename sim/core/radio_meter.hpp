#pragma once

#include "core/energy.hpp"

#include <cstdint>
#include <optional>

namespace popex {

/**
 * One device's radio, as a state machine driven by its actual transfers (uploads, result downloads, probes), after
 * Huang et al. (MobiSys 2012): active during a transfer at alpha_up x up_Mbps + alpha_down x down_Mbps + beta (so a
 * transfer's alpha part is alpha x its Mbits, whatever its rate did), then a tail at tail_w for tail_s, cut short by
 * the next transfer, then idle (no power); leaving idle costs a promotion.
 *
 * Attribution: each transfer's energy, and the promotion it caused, go to its owner (an image, or nobody for a probe);
 * the tail after a transfer goes to the owner of the transfer that started it, up to where the next one cut it. A
 * tail is final once the next transfer starts, or tail_s after it began (final_until()).
 *
 * Transfers are reported when they end, in that order. When they overlap, beta is counted once over their union as
 * reported, which can miss a little when a later-reported transfer started before an earlier-reported one: the model's
 * exactness does not cover overlapping transfers (docs/model.md).
 */
class RadioMeter {
public:
  /** Who pays: an image id, or none (a probe). */
  using Owner = std::optional<std::uint64_t>;

  explicit RadioMeter(RadioPower radio) : radio_(radio) {}

  /** A transfer [start_s, end_s] of `up_mbit` sent and `down_mbit` received; returns its own energy, promotion
   *  included (the tail it starts is credited later). */
  double transfer(double start_s, double end_s, double up_mbit, double down_mbit, Owner owner);
  /** The tail running since the last transfer, if it has an owner: who, and its energy up to `now_s` (full after
   *  tail_s). */
  std::optional<std::pair<std::uint64_t, double>> open_tail(double now_s) const;
  /** Whether the tail started by the last transfer is final at `now_s` (tail_s has passed). */
  bool tail_final(double now_s) const { return !last_end_ || now_s >= *last_end_ + radio_.tail_s; }
  /** The owner of the tail that the last report cut (credited with `cut_tail_j()`), if any. */
  const Owner& cut_owner() const { return cut_owner_; }
  double cut_tail_j() const { return cut_tail_j_; }
  /** Every joule so far, probes and tails included, the open tail counted in full (energy is spent after the run). */
  double total_j() const;

private:
  RadioPower radio_;
  std::optional<double> last_end_; //!< when the radio last stopped transferring
  Owner tail_owner_;               //!< who started the tail running since last_end_
  Owner cut_owner_;                //!< who owned the tail the last transfer cut
  double cut_tail_j_ = 0;
  double total_j_    = 0;          //!< transfers, promotions and cut tails
};

} // namespace popex
