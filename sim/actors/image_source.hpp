#pragma once

#include "actors/device_state.hpp"
#include "config/scenario.hpp"

#include <cstdint>
#include <optional>

namespace popex {

/** Typed configuration of an ImageSource. */
struct ImageSourceConfig {
  ArrivalConfig arrival;                //!< closed-loop, periodic or Poisson
  std::optional<std::uint64_t> images;  //!< stop after this many images
  std::optional<double> duration_s;     //!< or stop creating images after this simulated time
  std::uint64_t seed = 1;               //!< master seed (arrival and exit streams derive from it)
};

/**
 * Creates the images of one device: draws each image's outcome from its own stream when it is created, and
 * pushes it to the edge queue. Closed loop: the next image when the last one is done, as the papers measure.
 * After the last image it waits for all of them to finish, then ends (the simulation ends with the sources).
 */
class ImageSource {
public:
  ImageSource(ImageSourceConfig config, DeviceState& device, const ExitRegime& regime);
  void operator()();

private:
  ImageSourceConfig config_;
  DeviceState& device_;
  const ExitRegime& regime_;
};

} // namespace popex
