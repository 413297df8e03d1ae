#pragma once

#include "actors/messages.hpp"
#include "core/image_outcome.hpp"
#include "core/rate_estimator.hpp"

#include <simgrid/s4u/Semaphore.hpp>

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace popex {

/** A FIFO of images between two actors of one device, with a semaphore counting what is ready. */
class ImageQueue {
public:
  ImageQueue() : ready_(simgrid::s4u::Semaphore::create(0)) {}
  void push(Image* image)
  {
    items_.push_back(image);
    ready_->release();
  }
  /** Blocks until an image (or the nullptr end marker) is there. */
  Image* pop()
  {
    ready_->acquire();
    Image* i = items_.front();
    items_.pop_front();
    return i;
  }

private:
  std::deque<Image*> items_;
  simgrid::s4u::SemaphorePtr ready_;
};

/** Owns a device's images: reuses finished ones, and frees every image, finished or not, at the end of the run. */
class ImagePool {
public:
  Image* acquire()
  {
    Image* i = nullptr;
    if (free_.empty()) {
      i = &storage_.emplace_back();
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
  std::deque<Image> storage_; // stable addresses
  std::vector<Image*> free_;
};

/** The true uplink rate, owned by the LinkDriver; oracles and the link's sharing callback read it. */
class UplinkState {
public:
  double rate_bps() const { return rate_bps_; }
  /** Sets the rate and tells the listeners (the oracle policy re-solves at every change). */
  void set_rate(double bps)
  {
    rate_bps_ = bps;
    for (const auto& l : listeners_)
      l(bps);
  }
  void on_change(std::function<void(double)> listener) { listeners_.push_back(std::move(listener)); }

private:
  double rate_bps_ = 0;
  std::vector<std::function<void(double)>> listeners_;
};

/** The exit behaviour in force: switched by the exit schedule (image-quality drift). */
struct ExitRegime {
  std::vector<std::unique_ptr<OutcomeSampler>> samplers; //!< one per schedule entry
  std::vector<std::vector<double>> true_q;               //!< q at the threshold, per entry
  std::size_t current = 0;
  std::vector<std::function<void()>> listeners;           //!< told after each switch
};

/**
 * What the actors of one device share: the edge queue, the published split, the finished-image semaphore of a
 * closed loop, and the Update Box's observations. Each actor gets only the pieces it uses.
 */
struct DeviceState {
  int index = 0;
  ImagePool pool;
  ImageQueue edge_queue;
  ImageQueue uplink_queue;                      //!< tensors waiting for the device's uplink, FIFO
  std::size_t split = 0;                        //!< published by the agent, read when an image starts
  simgrid::s4u::SemaphorePtr finished = simgrid::s4u::Semaphore::create(0); //!< one release per finished image
  std::unique_ptr<RateEstimator> rate_estimator; //!< passive throughput samples
  std::unique_ptr<ExitProbEstimator> exit_estimator;
  double last_offload_s = 0;                     //!< when the last offload finished its transfer
  double cloud_wait_s   = 0;                     //!< EWMA of this device's measured cloud queueing delays, s
  std::uint64_t images_done = 0;
};

} // namespace popex
