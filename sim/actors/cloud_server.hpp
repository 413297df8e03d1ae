#pragma once

#include "actors/device_state.hpp"
#include "actors/service_queue.hpp"
#include "core/dnn.hpp"

#include <simgrid/s4u/Mailbox.hpp>

#include <vector>

namespace popex {

/** Typed configuration of the CloudServer. */
struct CloudServerConfig {
  int slots = 1;                          //!< concurrent executions (cores of the cloud host)
  double flops_per_s = 1e9;               //!< the cloud host's speed: a layer of cloud time t is t x this many flops
  double result_bytes = 0;                //!< r, payload bytes sent back per image
  double protocol_overhead = 1;           //!< wire bytes per payload byte
  simgrid::s4u::Mailbox* inbox = nullptr; //!< where devices (two tiers) or edge servers (three) send tensors
  std::vector<simgrid::s4u::Mailbox*> reply_to; //!< per device: where its results go (the device, or its edge server)
  bool three_tier = false;                //!< tensors come from edge servers: time their backhaul transfer
};

/**
 * The cloud: an eager receiver that timestamps arriving tensors, a FIFO queue, and `slots` workers that run the
 * rest of the DNN (one exec) and send the result back. What it measures (the image's queueing, its backhaul
 * transfer) travels back in the result message; the cloud writes nothing into a device's state.
 */
class CloudServer {
public:
  CloudServer(CloudServerConfig config, const Dnn& dnn);
  /** The receiver loop; it also starts the workers. */
  void operator()();

private:
  void worker();

  CloudServerConfig config_;
  const Dnn& dnn_;
  ServiceQueue queue_;
};

} // namespace popex
