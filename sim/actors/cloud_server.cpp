#include "actors/cloud_server.hpp"
#include "actors/edge_device.hpp"

#include <simgrid/s4u.hpp>

#include <cmath>

XBT_LOG_NEW_DEFAULT_CATEGORY(popex_cloud, "Cloud server");

namespace sg4 = simgrid::s4u;

namespace popex {

CloudServer::CloudServer(CloudServerConfig config, const Dnn& dnn, std::vector<CloudDeviceLink> devices,
                         MetricsSink& sink)
    : config_(config), dnn_(dnn), devices_(std::move(devices)), sink_(sink), ready_(sg4::Semaphore::create(0))
{
}

void CloudServer::operator()()
{
  // Eager receiver: transfers start as soon as the edge sends, whatever the workers are doing.
  config_.inbox->set_receiver(sg4::Actor::self());
  for (int i = 0; i < config_.slots; ++i)
    sg4::Actor::create("cloud-worker-" + std::to_string(i), sg4::this_actor::get_host(), [this] { worker(); })
        ->daemonize();
  while (true) {
    Image* img = config_.inbox->get<OffloadMsg>()->image;
    const double now     = sg4::Engine::get_clock();
    img->cloud_arrival_s   = now;
    img->record.transfer_s = now - img->send_start_s + config_.offload_overhead_s;
    CloudDeviceLink& link  = devices_[static_cast<std::size_t>(img->record.device)];
    // Update Box, passive: the link's rate = wire bytes / (transfer time - latency).
    const double payload_s = now - img->send_start_s - link.uplink_latency_s;
    if (payload_s > 0 && link.device->rate_estimator)
      link.device->rate_estimator->add_sample(8.0 * img->record.bytes_up * config_.protocol_overhead / payload_s);
    link.device->last_offload_s = now;
    queue_.push_back(img);
    ready_->release();
  }
}

void CloudServer::worker()
{
  while (true) {
    ready_->acquire();
    Image* img = queue_.front();
    queue_.pop_front();
    ImageRecord& r  = img->record;
    const double t0 = sg4::Engine::get_clock();
    r.cloud_queue_s = t0 - img->cloud_arrival_s;
    DeviceState& owner = *devices_[static_cast<std::size_t>(r.device)].device;
    owner.cloud_wait_s = 0.2 * r.cloud_queue_s + 0.8 * owner.cloud_wait_s; // seen by load-aware agents
    const double seconds = dnn_.cloud_suffix_s(r.split);
    if (seconds > 0)
      sg4::this_actor::execute(seconds * config_.cloud_speed_flops);
    r.cloud_s = sg4::Engine::get_clock() - t0;
    CloudDeviceLink& link = devices_[static_cast<std::size_t>(r.device)];
    if (link.results == nullptr) {
      finish_image(img, *link.device, sink_);
      continue;
    }
    img->result_sent_s = sg4::Engine::get_clock();
    const auto wire = static_cast<uint64_t>(std::llround(config_.result_bytes * config_.protocol_overhead));
    link.results->put_init(&img->result, wire)->detach();
  }
}

} // namespace popex
