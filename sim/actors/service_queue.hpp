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
 */
class ServiceQueue {
public:
  ServiceQueue() : ready_(simgrid::s4u::Semaphore::create(0)) {}

  void push(Image* image, double arrival_s)
  {
    queue_.push({arrival_s, image->record.device, image->record.id, image});
    ready_->release();
  }

  /** Blocks until an image is queued; lets every message of this instant arrive first, then takes the first. */
  Image* pop()
  {
    ready_->acquire();
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
  simgrid::s4u::SemaphorePtr ready_;
};

} // namespace popex
