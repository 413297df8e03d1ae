#pragma once

#include "core/image_outcome.hpp"
#include "metrics/metrics_sink.hpp"

namespace popex {

/** An image in flight: its record (filled in as it moves) and its pre-drawn outcome. */
struct Image {
  ImageRecord record;
  ImageOutcome outcome;
  double send_start_s    = 0; //!< uplink transfer started
  double cloud_arrival_s = 0; //!< tensor fully received by the cloud
  double result_sent_s   = 0; //!< cloud started sending the result back
};

/** Edge -> cloud: the split tensor of one image (the comm's size is the tensor's bytes). */
struct OffloadMsg {
  Image* image;
};

/** Cloud -> edge: the classification result of one image. */
struct ResultMsg {
  Image* image;
};

/** Agent -> cloud: a bandwidth probe (active measurement); carries nothing. */
struct ProbeMsg {};

} // namespace popex
