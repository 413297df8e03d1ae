#pragma once

#include "actors/device_state.hpp"
#include "actors/edge_model.hpp"

#include <simgrid/s4u/Mailbox.hpp>

namespace popex {

/** Typed configuration of an EdgeDevice. */
struct EdgeDeviceConfig {
  double cloud_speed_flops = 1e9; //!< reference cloud speed: a layer of cloud time t is t x this many flops
};

/** Finalises an image: record, closed-loop release, free. Called where the image ends (edge or edge collector). */
void finish_image(Image* image, DeviceState& device, MetricsSink& sink);

/**
 * The edge device: for each image (FIFO), reads the published split, runs the edge part as ONE exec (the exit
 * outcome is known, so the layers up to the exit or the split are one block), feeds the exit observations to
 * the Update Box, and either finishes the image or hands the split tensor to the UplinkSender (the next image
 * can start while the tensor is on the uplink).
 */
class EdgeDevice {
public:
  EdgeDevice(EdgeDeviceConfig config, const EdgeModel& model, DeviceState& device, MetricsSink& sink);
  void operator()();

private:
  EdgeDeviceConfig config_;
  const EdgeModel& model_;
  DeviceState& device_;
  MetricsSink& sink_;
};

/** Typed configuration of an UplinkSender. */
struct UplinkSenderConfig {
  simgrid::s4u::Mailbox* cloud = nullptr; //!< the cloud's inbox
  double protocol_overhead     = 1;       //!< wire bytes per payload byte; default 1
  double offload_overhead_s    = 0;       //!< fixed cost paid before each transfer, s; default 0
};

/**
 * Sends a device's split tensors to the cloud one at a time, in FIFO order, as one application connection does:
 * the edge keeps computing the next image meanwhile. Each offload first pays the fixed offload overhead, then
 * sends its payload times the protocol overhead.
 */
class UplinkSender {
public:
  UplinkSender(UplinkSenderConfig config, DeviceState& device) : config_(config), device_(device) {}
  void operator()();

private:
  UplinkSenderConfig config_;
  DeviceState& device_;
};

/** Receives results coming back from the cloud (eager receiver on the device's result mailbox). */
class ResultCollector {
public:
  ResultCollector(simgrid::s4u::Mailbox* results, DeviceState& device, MetricsSink& sink);
  void operator()();

private:
  simgrid::s4u::Mailbox* results_;
  DeviceState& device_;
  MetricsSink& sink_;
};

} // namespace popex
