#pragma once

#include "actors/messages.hpp"
#include "core/image_outcome.hpp"
#include "traces/rate_trace.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace popex {

/** Owns a device's images: reuses finished ones, and frees every image, finished or not, at the end of the run. */
class ImagePool {
public:
  Image* acquire()
  {
    Image* i = nullptr;
    if (free_.empty()) {
      i = storage_.emplace_back(std::make_unique<Image>()).get();
    } else {
      i = free_.back();
      free_.pop_back();
      *i = Image{};
    }
    i->offload.image = i;
    i->result.image  = i;
    return i;
  }
  void release(Image* image) { free_.push_back(image); }

private:
  std::vector<std::unique_ptr<Image>> storage_; // stable addresses (a deque allocates even empty)
  std::vector<Image*> free_;
};

/** A link's true rate, owned by its LinkDriver; oracles and the link's sharing callback read it. */
class UplinkState {
public:
  double rate_bps() const { return rate_bps_; }
  /**
   * The rate in force at `t_s` (a trace is right-continuous: a change at t is in force at t), whatever order the
   * actors woken at t run in. `t_s` is now or later than the last change.
   */
  double rate_at(double t_s) const { return trace_ != nullptr ? 8.0 * trace_->rate_at(t_s) : rate_bps_; }
  /** The trace the driver follows (it must outlive this state), or nullptr for a constant rate. */
  void follow(const RateTrace* trace) { trace_ = trace; }
  /** Sets the rate and tells the listeners (the oracle policy re-solves at every change). */
  void set_rate(double bps)
  {
    rate_bps_ = bps;
    for (const auto& l : listeners_)
      l(bps);
  }
  void on_change(std::function<void(double)> listener) { listeners_.push_back(std::move(listener)); }

private:
  double rate_bps_        = 0;
  const RateTrace* trace_ = nullptr;
  std::vector<std::function<void(double)>> listeners_;
};

/**
 * The exit behaviour in force: switched by the exit schedule (image-quality drift), at each threshold a device may
 * use (the grid with an accuracy target, else the scenario's one).
 */
struct ExitRegime {
  std::vector<double> thresholds;                                      //!< the thresholds a device may use
  std::vector<std::vector<std::unique_ptr<OutcomeSampler>>> samplers;  //!< [schedule entry][threshold]
  std::vector<std::vector<std::vector<double>>> true_q;                //!< [schedule entry][threshold]: q
  std::vector<std::string> variants;                                   //!< [schedule entry]: its exit model's name
  std::size_t current = 0;
  std::vector<std::function<void()>> listeners; //!< told after each switch
};

} // namespace popex
