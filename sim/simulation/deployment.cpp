#include "simulation/deployment.hpp"

#include "actors/transfers.hpp"

#include <simgrid/kernel/ProfileBuilder.hpp>
#include <simgrid/s4u.hpp>

#include <fmt/format.h>

namespace sg4 = simgrid::s4u;

namespace popex {

Deployment::Deployment(sg4::Engine& e, const Scenario& sc, const Topology& t, ExitRegime& regime, MetricsSink& sink)
    : engine_(e)
    , sc_(sc)
    , t_(t)
    , regime_(regime)
    , sink_(sink)
    , cloud_flops_(t.cloud->get_speed())
    , graphs_(std::make_shared<SplitGraphs>(sc.workload.dnn, three_tier(sc)))
{
  access_trace_ = link_trace(sc.uplink, "uplink");
  initial_rates();
  shared_links();
  std::vector<sg4::Mailbox*> results;
  for (std::size_t i = 0; i < t.devices.size(); ++i)
    results.push_back(e.mailbox_by_name_or_create("results-" + std::to_string(i)));
  cloud_inbox_ = e.mailbox_by_name_or_create("cloud");
  if (three_tier(sc))
    deploy_servers(results);
  else
    uplink_receivers_.push_back(uplink_receiver(t.cloud, "uplink-receiver-cloud"));
  make_cloud(results);
  if (regime_.samplers.size() > 1)
    sg4::Actor::create("exit-schedule", t.cloud, ExitScheduler(schedule_times(), regime_))->daemonize();
  deploy_devices(results);
  deploy_cloud();
}

std::vector<double> Deployment::schedule_times() const
{
  std::vector<double> at{0.0};
  for (const auto& entry : sc_.exit_schedule)
    if (entry.at_s > 0)
      at.push_back(entry.at_s);
  return at;
}

void Deployment::initial_rates()
{
  std::vector<double> access;
  for (std::size_t i = 0; i < t_.devices.size(); ++i) {
    // The device's own rate, else the scenario's (a trace's first), else the platform's.
    const double platform_bps = 8.0 * t_.devices[i].uplink->get_bandwidth();
    const double scenario_bps = access_trace_ ? 8.0 * access_trace_->rate_at(0) : sc_.uplink.rate_bps.value_or(platform_bps);
    access.push_back(sc_.devices[i].uplink_bps.value_or(scenario_bps));
  }
  std::vector<double> backhaul;
  if (three_tier(sc_)) {
    const auto trace = link_trace(*sc_.backhaul, "backhaul");
    for (const auto& s : t_.servers)
      backhaul.push_back(trace ? 8.0 * trace->rate_at(0)
                               : sc_.backhaul->rate_bps.value_or(8.0 * s.backhaul_up->get_bandwidth()));
  }
  run_ = resolve_run(sc_, t_, access, backhaul);
}

UplinkState& Deployment::drive(sg4::Link* link, const std::shared_ptr<const RateTrace>& trace, double rate_bps,
                               sg4::Host* host, const std::string& name)
{
  UplinkState& state = states_.emplace_back();
  LinkDriver* driver = drivers_.emplace_back(std::make_unique<LinkDriver>(link, state, trace, rate_bps)).get();
  if (driver->has_trace())
    sg4::Actor::create(name, host, [driver] { (*driver)(); })->daemonize();
  return state;
}

void Deployment::shared_links()
{
  if (!sc_.bottleneck)
    return;
  // One driver per distinct bottleneck (one cell, or one per edge server's cell), all following the scenario's.
  const auto trace  = link_trace(*sc_.bottleneck, "bottleneck");
  const double rate = trace ? 8.0 * trace->rate_at(0) : *sc_.bottleneck->rate_bps;
  std::vector<const sg4::Link*> seen;
  for (const DeviceNode& d : t_.devices) {
    if (d.bottleneck_up == nullptr || std::find(seen.begin(), seen.end(), d.bottleneck_up) != seen.end())
      continue;
    seen.push_back(d.bottleneck_up);
    drive(d.bottleneck_up, trace, rate, t_.cloud, "bottleneck-driver-" + std::to_string(seen.size() - 1));
    if (d.bottleneck_down != nullptr)
      d.bottleneck_down->set_bandwidth(rate / 8.0);
  }
}

void Deployment::apply_gamma(sg4::Host* host, double gamma)
{
  // A host's speed is frozen once sealed: a constant availability profile makes it run at cloud speed / gamma,
  // whatever speed the platform declares (docs/simgrid-notes.md). Hosts with the same availability share one
  // profile (SimGrid schedules one event per host on it): 10,000 devices parsed 10,000 identical profiles.
  const double availability = cloud_flops_ / (gamma * host->get_speed());
  auto [it, fresh]          = gamma_profiles_.try_emplace(availability, nullptr);
  if (fresh) {
    const std::string value = fmt::format("{}", availability); // the shortest text that reads back as it
    it->second = simgrid::kernel::profile::ProfileBuilder::from_string("gamma-" + value, "0 " + value + "\n", -1);
  }
  host->set_speed_profile(it->second);
}

const EdgeModel& Deployment::model_for(const std::shared_ptr<const EdgeProfile>& profile)
{
  for (const auto& [p, m] : models_)
    if (p == profile.get())
      return *m;
  models_.emplace_back(profile.get(), std::make_unique<EdgeModel>(sc_.workload.dnn, profile.get()));
  return *models_.back().second;
}

void Deployment::deploy_servers(const std::vector<sg4::Mailbox*>& device_results)
{
  const auto trace = link_trace(*sc_.backhaul, "backhaul");
  for (std::size_t j = 0; j < t_.servers.size(); ++j) {
    const EdgeServerNode& n     = t_.servers[j];
    const ResolvedEdgeServer& s = run_.servers[j];
    const std::string id        = std::to_string(j);
    drive(n.backhaul_up, trace, s.backhaul_bps, n.host, "backhaul-driver-" + id);
    n.backhaul_down->set_bandwidth(s.backhaul_down_bps / 8.0);
    apply_gamma(n.host, s.gamma);
    for (sg4::Host* slot : n.slots) // its slots compute at its speed
      apply_gamma(slot, s.gamma);
    uplink_receivers_.push_back(uplink_receiver(n.host, "uplink-receiver-edge-server-" + id));
    server_from_cloud_.push_back(engine_.mailbox_by_name_or_create("edge-server-from-cloud-" + id));
    EdgeServerActorConfig c{static_cast<int>(j),   s.slots,           cloud_flops_,
                            sc_.workload.dnn.result_bytes(), sc_.protocol_overhead,
                            server_from_cloud_.back(), cloud_inbox_, {}, n.slots};
    for (std::size_t i = 0; i < run_.devices.size(); ++i)
      c.device_results.push_back(run_.devices[i].edge_server == j ? device_results[i] : nullptr);
    EdgeServer* server =
        servers_.emplace_back(std::make_unique<EdgeServer>(std::move(c), model_for(s.profile))).get();
    sg4::Actor::create("edge-server-" + id, n.host, [server] { (*server)(); })->daemonize();
  }
}

void Deployment::deploy_devices(const std::vector<sg4::Mailbox*>& device_results)
{
  const bool tiers3 = three_tier(sc_);
  for (std::size_t i = 0; i < t_.devices.size(); ++i) {
    const DeviceNode& n     = t_.devices[i];
    const ResolvedDevice& d = run_.devices[i];
    const std::string id    = std::to_string(i);
    UplinkState& access =
        drive(n.uplink, sc_.devices[i].uplink_bps ? nullptr : access_trace_, d.uplink_bps, n.host,
              "link-driver-" + id);
    n.downlink->set_bandwidth(d.downlink_bps / 8.0);
    apply_gamma(n.host, d.gamma);
    DeviceActorConfig c;
    c.index              = static_cast<int>(i);
    c.arrival            = d.arrival;
    c.images             = sc_.images;
    c.duration_s         = sc_.duration_s;
    c.seed               = sc_.seed;
    c.flops_per_s        = cloud_flops_;
    const sg4::ActorPtr& server = uplink_receivers_[tiers3 ? d.edge_server : 0];
    c.uplink             = uplink_mailbox(engine_, server, "tensors-" + id);
    c.probes             = uplink_mailbox(engine_, server, "probes-" + id);
    c.receiver           = tiers3 ? static_cast<Receiver*>(servers_[d.edge_server].get()) : cloud_.get();
    c.results            = device_results[i];
    c.protocol_overhead  = sc_.protocol_overhead;
    c.offload_overhead_s = sc_.offload_overhead_ms / 1e3;
    c.access_latency_s   = d.up_latency_s;
    c.backhaul_latency_s = tiers3 ? run_.servers[d.edge_server].up_latency_s : 0;
    c.policy             = sc_.policy;
    c.estimator          = sc_.estimator;
    c.update_period_s    = sc_.update_period_s;
    if (sc_.timeout_s > 0)
      c.stop_at_s = sc_.timeout_s;
    c.three_tier         = tiers3;
    if (sc_.energy)
      c.energy = sc_.energy->params;
    auto agent = std::make_unique<Agent>(sc_.workload, agent_config(sc_, run_, i),
                                         UpdateBox(sc_.estimator, initial_params(sc_, run_, i)), graphs_);
    DeviceActor* device = devices_
                              .emplace_back(std::make_unique<DeviceActor>(std::move(c), model_for(d.profile),
                                                                          std::move(agent), access, regime_, sink_))
                              .get();
    if (sc_.policy.oracle()) {
      access.on_change([device](double bps) { device->on_rate_change(bps); });
      regime_.listeners.push_back([device] { device->on_exit_change(); });
    }
    sg4::Actor::create("device-" + id, n.host, [device] { (*device)(); });
  }
}

void Deployment::make_cloud(const std::vector<sg4::Mailbox*>& device_results)
{
  const bool tiers3 = three_tier(sc_);
  CloudServerConfig c{sc_.cloud_slots, cloud_flops_, sc_.workload.dnn.result_bytes(), sc_.protocol_overhead,
                      cloud_inbox_, {}, tiers3, t_.cloud_slots};
  for (std::size_t i = 0; i < run_.devices.size(); ++i)
    c.reply_to.push_back(tiers3 ? server_from_cloud_[run_.devices[i].edge_server] : device_results[i]);
  cloud_ = std::make_unique<CloudServer>(std::move(c), sc_.workload.dnn);
}

void Deployment::deploy_cloud()
{
  CloudServer* cloud = cloud_.get();
  sg4::Actor::create("cloud", t_.cloud, [cloud] { (*cloud)(); })->daemonize();
}

} // namespace popex
