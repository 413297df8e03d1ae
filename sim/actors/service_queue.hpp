#pragma once

#include "actors/messages.hpp"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Semaphore.hpp>

#include <queue>
#include <tuple>
#include <vector>

namespace popex {

/**
 * The FIFO of a server (the cloud, an edge server): images in order of arrival, and those arriving at the same
 * instant in order of (device, image id). SimGrid delivers simultaneous messages in the order of its actions'
 * addresses (docs/simgrid-notes.md), which any unrelated allocation can change; this order cannot.
 *
 * Its idle workers wait in a stack: an image wakes the one that went idle last. Workers are interchangeable (each
 * computes one image at a time at the same speed), and the few that keep working keep their stacks and hosts in the
 * processor's caches, where waking them in turn (a semaphore's order) walked all of a 1000-slot cloud's.
 */
class ServiceQueue {
public:
  /** A worker's place in the queue: where it waits when the queue is empty. One per worker, kept for its life. */
  class Worker {
    friend ServiceQueue;
    simgrid::s4u::SemaphorePtr wake_ = simgrid::s4u::Semaphore::create(0);
  };

  void push(Image* image, double arrival_s)
  {
    queue_.push({arrival_s, image->record.device, image->record.id, image});
    if (idle_.empty()) {
      ++unclaimed_;
      return;
    }
    Worker* w = idle_.back(); // this image is its: it takes one when it runs
    idle_.pop_back();
    w->wake_->release();
  }

  /** Blocks until an image is queued for `me`; lets every message of this instant arrive first, then takes the
   *  first. */
  Image* pop(Worker& me)
  {
    if (unclaimed_ > 0) {
      --unclaimed_;
    } else {
      idle_.push_back(&me);
      me.wake_->acquire();
    }
    simgrid::s4u::this_actor::yield();
    Image* image = queue_.top().image;
    queue_.pop();
    return image;
  }

private:
  struct Entry {
    double arrival_s;
    int device;
    std::uint64_t id;
    Image* image;
    bool operator>(const Entry& o) const
    {
      return std::tie(arrival_s, device, id) > std::tie(o.arrival_s, o.device, o.id);
    }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
  std::vector<Worker*> idle_;   //!< idle workers, the last one to go idle at the back
  std::size_t unclaimed_ = 0;   //!< queued images no worker has been woken for
};

} // namespace popex
