#include "actors/cloud_server.hpp"

#include "actors/transfers.hpp"

#include <simgrid/s4u.hpp>

#include <cmath>

XBT_LOG_NEW_DEFAULT_CATEGORY(popex_cloud, "Cloud server");

namespace sg4 = simgrid::s4u;

namespace popex {

CloudServer::CloudServer(CloudServerConfig config, const Dnn& dnn)
    : config_(std::move(config)), dnn_(dnn)
{
}

void CloudServer::operator()()
{
  for (int i = 0; i < config_.slots; ++i) {
    sg4::Host* slot = config_.slot_hosts.empty() ? sg4::this_actor::get_host()
                                                 : config_.slot_hosts[static_cast<std::size_t>(i)];
    sg4::Actor::create("cloud-worker-" + std::to_string(i), sg4::this_actor::get_host(),
                       [this, slot, sent = &sent_.emplace_back()] { worker(slot, *sent); })
        ->daemonize();
  }
  if (!config_.three_tier)
    return;
  // Eager receiver: transfers start as soon as an edge server puts, whatever the workers are doing.
  config_.inbox->set_receiver(sg4::Actor::self());
  while (true)
    arrive(config_.inbox->get<OffloadMsg>()->image);
}

void CloudServer::arrive(Image* img)
{
  img->cloud_arrival_s = sg4::Engine::get_clock();
  if (config_.three_tier)
    img->record.backhaul_s = img->cloud_arrival_s - img->forward_start_s;
  queue_.push(img, img->cloud_arrival_s);
}

void CloudServer::worker(sg4::Host* slot, SentTransfers& results)
{
  ServiceQueue::Worker me;
  while (true) {
    Image* img      = queue_.pop(me);
    ImageRecord& r  = img->record;
    const double t0 = sg4::Engine::get_clock();
    r.cloud_queue_s = t0 - img->cloud_arrival_s;
    r.location      = ExitLocation::CLOUD;
    const double seconds = dnn_.cloud_suffix_s(config_.three_tier ? r.edge_split : r.split);
    if (seconds > 0)
      sg4::this_actor::exec_init(seconds * config_.flops_per_s)->set_host(slot)->wait();
    r.cloud_s          = sg4::Engine::get_clock() - t0;
    img->result_sent_s = img->access_result_s = sg4::Engine::get_clock(); // three tiers: the edge server restamps
    const auto wire    = static_cast<uint64_t>(std::llround(config_.result_bytes * config_.protocol_overhead));
    results.add(config_.reply_to[static_cast<std::size_t>(r.device)]->put_async(&img->result, wire));
  }
}

} // namespace popex
