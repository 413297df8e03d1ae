#pragma once

#include "core/image_outcome.hpp"
#include "metrics/metrics_sink.hpp"

namespace popex {

struct Image;

/** Device -> edge server or cloud, and edge server -> cloud: the split tensor of one image. */
struct OffloadMsg {
  Image* image = nullptr;
};

/** Cloud or edge server -> device (through the edge server from the cloud): the classification of one image, with
 *  what was measured on its way (the record's queueing and transfer times). */
struct ResultMsg {
  Image* image = nullptr;
};

/**
 * An image in flight: its record (filled in as it moves), its pre-drawn outcome, and the messages that carry it.
 * The messages live in the image, and images live in the device's ImagePool: a run that stops with images in flight
 * (timeout_s) frees everything, and no message is allocated per transfer.
 */
struct Image {
  ImageRecord record;
  ImageOutcome outcome;
  double send_start_s     = 0; //!< the access transfer started (after the offload overhead)
  double server_arrival_s = 0; //!< three tiers: the tensor fully received by the edge server
  double forward_start_s  = 0; //!< three tiers: the edge server started sending it to the cloud
  double cloud_arrival_s  = 0; //!< tensor fully received by the cloud
  double result_sent_s    = 0; //!< the result left the tier that computed it
  double access_result_s  = 0; //!< the result entered the device's access link (the device's radio receives it)
  std::size_t server_first_branch = 0; //!< three tiers: branches the edge server evaluated, from this one
  std::size_t server_evaluated    = 0; //!< ... and how many
  OffloadMsg offload;          //!< payload of the uplink transfers (points back here)
  ResultMsg result;            //!< payload of the result transfers (points back here)
};

/**
 * A server that devices send tensors to (the cloud in two tiers, an edge server in three). A device's access
 * transfer is its own `put_async` to an uplink mailbox of its own, towards the server's host (uplink_mailbox(),
 * actors/transfers.hpp): not one mailbox per server (SimGrid shifts every transfer in flight on each of its
 * receives) nor a host-to-host transfer (SimGrid 3.32 walks a list of all of those each time one ends). When the
 * transfer ends, the sending device hands the image over at that instant.
 */
class Receiver {
public:
  virtual ~Receiver() = default;
  /** The image's tensor has fully arrived, now. Called from the sending device's actor. */
  virtual void arrive(Image* image) = 0;
};

} // namespace popex
