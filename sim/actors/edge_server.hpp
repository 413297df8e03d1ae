#pragma once

#include "actors/device_state.hpp"
#include "actors/edge_model.hpp"
#include "actors/transfers.hpp"
#include "actors/service_queue.hpp"

#include <simgrid/s4u/Mailbox.hpp>

#include <deque>
#include <vector>

namespace popex {

/** Typed configuration of an EdgeServer. */
struct EdgeServerActorConfig {
  int index = 0;                               //!< edge server number
  int slots = 1;                               //!< concurrent executions
  double flops_per_s = 1e9;                    //!< reference speed: a layer of time t is t x this many flops
  double result_bytes = 0;                     //!< r, payload bytes of a result
  double protocol_overhead = 1;                //!< wire bytes per payload byte
  simgrid::s4u::Mailbox* from_cloud = nullptr; //!< results the cloud sends back through it
  simgrid::s4u::Mailbox* cloud = nullptr;      //!< the cloud's inbox, across the backhaul
  std::vector<simgrid::s4u::Mailbox*> device_results; //!< per device index: its result mailbox (nullptr if not ours)
  std::vector<simgrid::s4u::Host*> slot_hosts; //!< per worker, the host its executions run on; empty: the server's
};

/**
 * The edge server of three tiers (device -> edge server -> cloud): its devices hand over their tensors when their
 * transfer ends (arrive()); a FIFO and `slots` workers
 * that run layers s1+1..s2 and their branches (one exec: the image's outcome is known), then either return the
 * result to the device (a branch took the image, or s2 = N) or forward the tensor to the cloud over the backhaul.
 * With s1 = s2 its own actor relays the tensor without a slot. Results from the cloud come back through it (a relay
 * actor).
 * What it measures (its queueing, the branches it ran) travels in the image's result message.
 */
class EdgeServer : public Receiver {
public:
  EdgeServer(EdgeServerActorConfig config, const EdgeModel& model);
  /** Starts the workers and the result relay, then forwards the tensors it only relays. */
  void operator()();
  void arrive(Image* image) override;

private:
  void worker(simgrid::s4u::Host* slot, SentTransfers& sent);
  void relay_results(SentTransfers& sent);
  void forward(Image* image, SentTransfers& sent);
  void reply(Image* image, SentTransfers& sent);

  EdgeServerActorConfig config_;
  const EdgeModel& model_;
  ServiceQueue queue_;
  ServiceQueue relays_; //!< s1 = s2: tensors to forward as they are
  std::deque<SentTransfers> sent_; //!< one per actor, outliving it (a transfer destroyed in flight is reported)
};

} // namespace popex
