#pragma once

#include "core/image_outcome.hpp"
#include "metrics/metrics_sink.hpp"

namespace popex {

struct Image;

/** Edge -> cloud: the split tensor of one image (the comm's size is the tensor's bytes). */
struct OffloadMsg {
  Image* image = nullptr;
};

/** Cloud -> edge: the classification result of one image. */
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
  double send_start_s    = 0; //!< uplink transfer started
  double cloud_arrival_s = 0; //!< tensor fully received by the cloud
  double result_sent_s   = 0; //!< cloud started sending the result back
  OffloadMsg offload;         //!< payload of the uplink transfer (points back here)
  ResultMsg result;           //!< payload of the downlink transfer (points back here)
};

/** Agent -> cloud: a bandwidth probe (active measurement); carries nothing. */
struct ProbeMsg {};

} // namespace popex
