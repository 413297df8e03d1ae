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
 * A server's uplink inbox: where devices put their tensors and probes. An actor on `host` is its eager receiver
 * (set before the run, so every transfer starts when it is put) and drains it; the sending device times its own
 * transfer and hands the image over itself (Receiver::arrive), so the drain only frees SimGrid's record of it.
 *
 * Why not host-to-host transfers (`Comm::sendto_async`): SimGrid 3.32 detaches those, and walks its list of detached
 * transfers from end to end each time one ends; 10,000 devices on 4G keep about 1,500 tensors in flight, and that
 * walk took 20% of the run. A device's `put_async` is listed under the device only. Both time a transfer exactly
 * alike (the same route, from the device's host to `host`).
 */
simgrid::s4u::Mailbox* drained_inbox(simgrid::s4u::Engine& engine, simgrid::s4u::Host* host, const std::string& name);

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
