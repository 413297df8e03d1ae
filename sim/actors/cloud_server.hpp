#pragma once

#include "actors/device_state.hpp"
#include "actors/service_queue.hpp"
#include "actors/transfers.hpp"
#include "core/dnn.hpp"

#include <simgrid/s4u/Mailbox.hpp>

#include <deque>
#include <vector>

namespace popex {

/** Typed configuration of the CloudServer. */
struct CloudServerConfig {
  int slots = 1;                          //!< concurrent executions (cores of the cloud host)
  double flops_per_s = 1e9;               //!< the cloud host's speed: a layer of cloud time t is t x this many flops
  double result_bytes = 0;                //!< r, payload bytes sent back per image
  double protocol_overhead = 1;           //!< wire bytes per payload byte
  simgrid::s4u::Mailbox* inbox = nullptr; //!< three tiers: where edge servers send tensors (devices call arrive())
  std::vector<simgrid::s4u::Mailbox*> reply_to; //!< per device: where its results go (the device, or its edge server)
  bool three_tier = false;                //!< tensors come from edge servers: time their backhaul transfer
  std::vector<simgrid::s4u::Host*> slot_hosts; //!< per worker, the host its executions run on; empty: the cloud's
};

/**
 * The cloud: it timestamps arriving tensors, queues them FIFO, and `slots` workers run the rest of the DNN (one
 * exec) and send the result back. Devices hand their tensors over when their transfer ends (arrive()); in three
 * tiers an eager receiver takes the edge servers' tensors. What it measures (the image's queueing, its backhaul
 * transfer) travels back in the result message; the cloud writes nothing into a device's state.
 */
class CloudServer : public Receiver {
public:
  CloudServer(CloudServerConfig config, const Dnn& dnn);
  /** Starts the workers; in three tiers, then receives the edge servers' tensors. */
  void operator()();
  void arrive(Image* image) override;

private:
  void worker(simgrid::s4u::Host* slot, SentTransfers& results);

  CloudServerConfig config_;
  const Dnn& dnn_;
  ServiceQueue queue_;
  std::deque<SentTransfers> sent_; //!< one per worker, outliving it (a transfer destroyed in flight is reported)
};

} // namespace popex
