#include "actors/edge_server.hpp"

#include <simgrid/s4u.hpp>

#include <cmath>

XBT_LOG_NEW_DEFAULT_CATEGORY(popex_edge_server, "Edge servers (three tiers)");

namespace sg4 = simgrid::s4u;

namespace popex {

namespace {
uint64_t wire_bytes(double payload, double overhead)
{
  return static_cast<uint64_t>(std::llround(payload * overhead));
}
} // namespace

EdgeServer::EdgeServer(EdgeServerActorConfig config, const EdgeModel& model)
    : config_(std::move(config)), model_(model)
{
}

void EdgeServer::operator()()
{
  sg4::Host* host        = sg4::this_actor::get_host();
  const std::string name = "edge-server-" + std::to_string(config_.index);
  for (int i = 0; i < config_.slots; ++i) {
    sg4::Host* slot = config_.slot_hosts.empty() ? host : config_.slot_hosts[static_cast<std::size_t>(i)];
    sg4::Actor::create(name + "-worker-" + std::to_string(i), host,
                       [this, slot, sent = &sent_.emplace_back()] { worker(slot, *sent); })
        ->daemonize();
  }
  sg4::Actor::create(name + "-relay", host, [this, sent = &sent_.emplace_back()] { relay_results(*sent); })
      ->daemonize();
  SentTransfers& sent = sent_.emplace_back(); // each actor sweeps what it sent itself (SimGrid lists it under it)
  ServiceQueue::Worker me;
  while (true)
    forward(relays_.pop(me), sent);
}

void EdgeServer::arrive(Image* img)
{
  img->server_arrival_s = sg4::Engine::get_clock();
  if (img->record.split == img->record.edge_split) // s1 = s2: nothing to run here, relay the tensor
    relays_.push(img, img->server_arrival_s);
  else
    queue_.push(img, img->server_arrival_s);
}

void EdgeServer::worker(sg4::Host* slot, SentTransfers& sent)
{
  ServiceQueue::Worker me;
  while (true) {
    Image* img            = queue_.pop(me);
    ImageRecord& r        = img->record;
    const double t0       = sg4::Engine::get_clock();
    r.edge_server_queue_s = t0 - img->server_arrival_s;
    const EdgeWork w      = model_.work(img->outcome.natural_exit, r.split, r.edge_split);
    img->server_first_branch = w.first_branch;
    img->server_evaluated    = w.evaluated;
    if (w.edge_seconds > 0)
      sg4::this_actor::exec_init(w.edge_seconds * config_.flops_per_s)->set_host(slot)->wait();
    r.edge_server_s = sg4::Engine::get_clock() - t0;
    if (w.at_edge) {
      r.exit_branch = w.exit_branch;
      r.location    = ExitLocation::EDGE_SERVER;
      reply(img, sent);
    } else {
      forward(img, sent);
    }
  }
}

void EdgeServer::forward(Image* img, SentTransfers& sent)
{
  img->forward_start_s = sg4::Engine::get_clock();
  // Concurrent transfers share the backhaul max-min fairly (one connection per device).
  sent.add(config_.cloud->put_async(&img->offload, wire_bytes(model_.dnn().split_bytes(img->record.edge_split),
                                                               config_.protocol_overhead)));
}

void EdgeServer::reply(Image* img, SentTransfers& sent)
{
  img->result_sent_s = img->access_result_s = sg4::Engine::get_clock();
  sent.add(config_.device_results[static_cast<std::size_t>(img->record.device)]->put_async(
      &img->result, wire_bytes(config_.result_bytes, config_.protocol_overhead)));
}

void EdgeServer::relay_results(SentTransfers& sent)
{
  config_.from_cloud->set_receiver(sg4::Actor::self());
  while (true) {
    Image* img           = config_.from_cloud->get<ResultMsg>()->image;
    img->access_result_s = sg4::Engine::get_clock();
    sent.add(config_.device_results[static_cast<std::size_t>(img->record.device)]->put_async(
        &img->result, wire_bytes(config_.result_bytes, config_.protocol_overhead)));
  }
}

} // namespace popex
