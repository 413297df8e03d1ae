#include "core/radio_meter.hpp"

#include <algorithm>

namespace popex {

double RadioMeter::transfer(double start_s, double end_s, double up_mbit, double down_mbit, Owner owner)
{
  cut_owner_  = std::nullopt;
  cut_tail_j_ = 0;
  double own  = radio_.alpha_up_w_per_mbps * up_mbit + radio_.alpha_down_w_per_mbps * down_mbit;
  if (!last_end_ || start_s >= *last_end_) {
    // The radio was in its tail (cut here) or idle (a promotion first).
    const double gap = last_end_ ? start_s - *last_end_ : radio_.tail_s;
    if (last_end_) {
      cut_tail_j_ = radio_.tail_w * std::min(gap, radio_.tail_s);
      cut_owner_  = tail_owner_;
      total_j_ += cut_tail_j_;
    }
    if (gap >= radio_.tail_s)
      own += radio_.promotion_w * radio_.promotion_s;
    own += radio_.beta_w * (end_s - start_s);
  } else {
    own += radio_.beta_w * std::max(0.0, end_s - *last_end_); // the part beyond what was already active
  }
  total_j_ += own;
  if (!last_end_ || end_s >= *last_end_) {
    last_end_   = end_s;
    tail_owner_ = owner;
  }
  return own;
}

std::optional<std::pair<std::uint64_t, double>> RadioMeter::open_tail(double now_s) const
{
  if (!last_end_ || !tail_owner_)
    return std::nullopt;
  return std::make_pair(*tail_owner_, radio_.tail_w * std::min(std::max(0.0, now_s - *last_end_), radio_.tail_s));
}

double RadioMeter::total_j() const
{
  return total_j_ + (last_end_ ? radio_.tail_w * radio_.tail_s : 0.0);
}

} // namespace popex
