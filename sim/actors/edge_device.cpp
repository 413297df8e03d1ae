#include "actors/edge_device.hpp"

#include <simgrid/s4u.hpp>

#include <cmath>

XBT_LOG_NEW_DEFAULT_CATEGORY(popex_edge, "Edge devices");

namespace sg4 = simgrid::s4u;

namespace popex {

void finish_image(Image* image, DeviceState& device, MetricsSink& sink)
{
  ImageRecord& r = image->record;
  r.finish_s     = sg4::Engine::get_clock();
  const bool at_branch = r.exit_branch >= 0;
  r.correct = !image->outcome.accuracy_known ? -1
              : (at_branch ? image->outcome.correct_at_branch : image->outcome.correct_at_final) ? 1
                                                                                                 : 0;
  sink.image(r);
  ++device.images_done;
  device.finished->release();
  device.pool.release(image);
}

EdgeDevice::EdgeDevice(EdgeDeviceConfig config, const EdgeModel& model, DeviceState& device, MetricsSink& sink)
    : config_(config), model_(model), device_(device), sink_(sink)
{
}

void EdgeDevice::operator()()
{
  const Dnn& dnn = model_.dnn();
  while (Image* img = device_.edge_queue.pop()) {
    ImageRecord& r     = img->record;
    r.start_s          = sg4::Engine::get_clock();
    r.split            = device_.split;
    const EdgeWork w   = model_.work(img->outcome.natural_exit, r.split);
    r.exit_branch      = w.exit_branch;
    r.at_edge          = w.at_edge;
    if (w.edge_seconds > 0)
      sg4::this_actor::execute(w.edge_seconds * config_.cloud_speed_flops);
    r.edge_s = sg4::Engine::get_clock() - r.start_s;
    if (device_.exit_estimator)
      for (std::size_t k = 0; k < w.evaluated; ++k)
        device_.exit_estimator->observe(k, static_cast<int>(k) == w.exit_branch);
    if (w.at_edge) {
      finish_image(img, device_, sink_);
      continue;
    }
    r.bytes_up        = dnn.split_bytes(r.split);
    img->send_start_s = sg4::Engine::get_clock(); // enqueued; the sender stamps the transfer's own start
    device_.uplink_queue.push(img);
  }
  device_.uplink_queue.push(nullptr);
}

void UplinkSender::operator()()
{
  while (Image* img = device_.uplink_queue.pop()) {
    img->record.uplink_queue_s = sg4::Engine::get_clock() - img->send_start_s;
    if (config_.offload_overhead_s > 0)
      sg4::this_actor::sleep_for(config_.offload_overhead_s);
    img->send_start_s = sg4::Engine::get_clock(); // the cloud adds the overhead back into transfer_s
    // The cloud's mailbox has a permanent receiver: put() returns when the tensor has arrived.
    config_.cloud->put(&img->offload,
                       static_cast<uint64_t>(std::llround(img->record.bytes_up * config_.protocol_overhead)));
  }
}

ResultCollector::ResultCollector(sg4::Mailbox* results, DeviceState& device, MetricsSink& sink)
    : results_(results), device_(device), sink_(sink)
{
}

void ResultCollector::operator()()
{
  results_->set_receiver(sg4::Actor::self());
  while (true) {
    Image* img = results_->get<ResultMsg>()->image;
    img->record.downlink_s = sg4::Engine::get_clock() - img->result_sent_s;
    finish_image(img, device_, sink_);
  }
}

} // namespace popex
