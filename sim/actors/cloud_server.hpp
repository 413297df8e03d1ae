#pragma once

#include "actors/device_state.hpp"

#include <simgrid/s4u/Mailbox.hpp>
#include <simgrid/s4u/Semaphore.hpp>

#include <deque>
#include <vector>

namespace popex {

/** Per-device facts the cloud needs to finish an image. */
struct CloudDeviceLink {
  DeviceState* device = nullptr;
  simgrid::s4u::Mailbox* results = nullptr; //!< where results go back; nullptr if they cost nothing (r = 0, Ld = 0)
  double uplink_latency_s = 0;              //!< to turn a transfer time into a throughput sample
};

/** Typed configuration of the CloudServer. */
struct CloudServerConfig {
  int slots = 1;                         //!< concurrent executions (cores of the cloud host)
  double cloud_speed_flops = 1e9;        //!< the cloud host's speed
  double result_bytes = 0;               //!< r, bytes sent back per image
  simgrid::s4u::Mailbox* inbox = nullptr; //!< where edge devices send tensors and probes
  double protocol_overhead = 1;           //!< wire bytes per payload byte (throughput samples are wire rates)
  double offload_overhead_s = 0;          //!< the fixed cost each offload paid before its transfer, s
};

/**
 * The cloud: a receiver that timestamps arriving tensors (and feeds each device's Update Box a throughput
 * sample), a FIFO queue, and `slots` workers that run the rest of the DNN (one exec) and send the result back.
 */
class CloudServer {
public:
  CloudServer(CloudServerConfig config, const Dnn& dnn, std::vector<CloudDeviceLink> devices, MetricsSink& sink);
  /** The receiver loop; it also starts the workers. */
  void operator()();

private:
  void worker();

  CloudServerConfig config_;
  const Dnn& dnn_;
  std::vector<CloudDeviceLink> devices_;
  MetricsSink& sink_;
  std::deque<Image*> queue_;
  simgrid::s4u::SemaphorePtr ready_;
};

} // namespace popex
