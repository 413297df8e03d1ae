#pragma once

#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace popex {

/**
 * Where a device's uplink transfers (its tensors, its probes) go: a mailbox of the device's own, whose eager receiver
 * is an actor on the server's host that never receives (uplink_receiver()). SimGrid starts each transfer as soon as
 * the device puts it, routed from the device's host to the server's; the device times it itself and, once it has
 * ended, takes it off its mailbox (take_back()). Each such mailbox holds one transfer at a time.
 *
 * Why not one inbox per server that an actor drains: SimGrid 3.32 keeps an eager mailbox's transfers in a circular
 * buffer from the moment they are put, and a receive takes the oldest one out by shifting every other one (and
 * touching its reference count): with 10,000 devices about 1,300 tensors are in flight, and that shift was 6% of the
 * run's instructions and a seventh of its cache misses. Why not host-to-host transfers (`Comm::sendto_async`):
 * SimGrid 3.32 detaches those, and walks its list of every detached transfer from end to end each time one ends
 * (docs/simgrid-notes.md).
 */
simgrid::s4u::Mailbox* uplink_mailbox(simgrid::s4u::Engine& engine, const simgrid::s4u::ActorPtr& receiver,
                                      const std::string& name);

/** The eager receiver of the uplink mailboxes of the devices that send to `host`: it waits for ever, and receives
 *  nothing. A daemon: it ends with the run. */
simgrid::s4u::ActorPtr uplink_receiver(simgrid::s4u::Host* host, const std::string& name);

/** Takes the oldest transfer off `mailbox`, an uplink mailbox of the caller's whose transfer the caller has seen end:
 *  a receive that finds it done and returns at once. Left there, each would stay listed in SimGrid for the run. */
void take_back(simgrid::s4u::Mailbox* mailbox);

/**
 * The transfers an actor sent and does not wait for (a server's results, an edge server's forwards).
 *
 * Not detached, on purpose: SimGrid 3.32 keeps every detached transfer (and every host-to-host one) in one list of
 * the engine's, and walks that list from end to end each time one of them ends (`std::list::remove`). With 10,000
 * devices about 1,500 transfers are in flight, and that walk was 27% of the run (docs/performance.md, section 8).
 * A transfer that is not detached sits in its sender's own list instead, until the sender waits for it. This keeps
 * a handful: before each send it takes the earlier ones that ended off its list (one `wait_any_for` with a zero
 * timeout per transfer that ended, and one more when some are still in flight; then it lets twice as many gather
 * before the next sweep), so the cost per transfer stays flat whatever the number of devices.
 */
class SentTransfers {
public:
  void add(simgrid::s4u::ActivityPtr comm)
  {
    if (sent_.size() >= next_sweep_) // the earlier ones only: the new one cannot have ended yet
      forget_arrived();
    sent_.push_back(std::move(comm));
  }

private:
  static constexpr std::size_t FEW = 1;

  void forget_arrived()
  {
    // Only a wait takes a finished transfer off its sender's list (a test() leaves it there): a wait with a zero
    // timeout finishes the first one that ended, and returns -1 at once (same instant) when none has.
    for (ssize_t i; !sent_.empty() && (i = simgrid::s4u::Activity::wait_any_for(sent_, 0.0)) >= 0;) {
      sent_[static_cast<std::size_t>(i)] = std::move(sent_.back());
      sent_.pop_back();
    }
    next_sweep_ = std::max(FEW, 2 * sent_.size()); // many still in flight: sweep less often, never per transfer
  }

  std::vector<simgrid::s4u::ActivityPtr> sent_;
  std::size_t next_sweep_ = FEW;
};

} // namespace popex
