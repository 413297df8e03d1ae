#pragma once

#include "actors/cloud_server.hpp"
#include "actors/device_actor.hpp"
#include "actors/device_state.hpp"
#include "actors/edge_model.hpp"
#include "actors/edge_server.hpp"
#include "actors/link_driver.hpp"
#include "config/prediction.hpp"
#include "core/decision_maker.hpp"
#include "simulation/topology.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace popex {

/**
 * Everything a run creates on the platform, owned for the whole run: the rates applied to the links (through their
 * drivers), gamma applied to the hosts, and the actors of the devices, the edge servers and the cloud. Built once
 * the platform is loaded and its roles found; resolved() then holds the one copy of every per-device value.
 */
class Deployment {
public:
  Deployment(simgrid::s4u::Engine& e, const Scenario& sc, const Topology& t, ExitRegime& regime, MetricsSink& sink);
  const ResolvedRun& resolved() const { return run_; }
  /** Device i's radio energy so far (every transfer, promotion and tail), J; 0 without energy. */
  double radio_energy_j(std::size_t i) const { return devices_[i]->radio_total_j(); }
  /** After a stopped run: every device writes the finished images that still waited for their radio tail. */
  void drain() const
  {
    for (const auto& d : devices_)
      d->drain();
  }
  /** Whether timeout_s stopped a device with images still to create or to finish. */
  bool stopped() const
  {
    return std::any_of(devices_.begin(), devices_.end(), [](const auto& d) { return d->stopped(); });
  }

  /** The partitioning graphs every agent of the run decides on (SplitGraphs). */
  const std::shared_ptr<SplitGraphs>& graphs() const { return graphs_; }

  /** The first device whose actor did not end its loop: SimGrid ended the run under it (a deadlock). */
  std::optional<std::size_t> unended_device() const
  {
    for (std::size_t i = 0; i < devices_.size(); ++i)
      if (!devices_[i]->ended())
        return i;
    return std::nullopt;
  }

private:
  /** Rates at t = 0: each device's access uplink and each edge server's backhaul (before the drivers take them). */
  void initial_rates();
  /** When each exit regime starts: 0, then the schedule's later entries. */
  std::vector<double> schedule_times() const;
  void shared_links();
  void apply_gamma(simgrid::s4u::Host* host, double gamma);
  void deploy_servers(const std::vector<simgrid::s4u::Mailbox*>& device_results);
  void deploy_devices(const std::vector<simgrid::s4u::Mailbox*>& device_results);
  /** The cloud's object, before the devices that send to it; its actor starts in deploy_cloud(). */
  void make_cloud(const std::vector<simgrid::s4u::Mailbox*>& device_results);
  void deploy_cloud();
  /** A driver for `link` at `rate_bps` or following `trace`; its actor runs on `host` when there is a trace. */
  UplinkState& drive(simgrid::s4u::Link* link, const std::shared_ptr<const RateTrace>& trace, double rate_bps,
                     simgrid::s4u::Host* host, const std::string& name);
  const EdgeModel& model_for(const std::shared_ptr<const EdgeProfile>& profile);

  simgrid::s4u::Engine& engine_;
  const Scenario& sc_;
  const Topology& t_;
  ExitRegime& regime_;
  MetricsSink& sink_;
  ResolvedRun run_;
  double cloud_flops_ = 1e9;
  std::shared_ptr<const RateTrace> access_trace_;
  std::deque<UplinkState> states_; //!< stable addresses: drivers and devices keep references
  std::vector<UplinkState*> access_state_;
  // The deployment owns every actor's object; the actors' code holds plain pointers. An actor that owned its object
  // (a shared_ptr in its lambda) would never be freed while its object keeps one of its activities (a cycle).
  std::vector<std::unique_ptr<LinkDriver>> drivers_;
  std::vector<std::unique_ptr<DeviceActor>> devices_;
  std::vector<std::unique_ptr<EdgeServer>> servers_;
  std::unique_ptr<CloudServer> cloud_;
  std::vector<std::pair<const EdgeProfile*, std::unique_ptr<EdgeModel>>> models_;
  std::shared_ptr<SplitGraphs> graphs_; //!< one for every agent: decisions come one at a time
  std::map<double, simgrid::kernel::profile::Profile*> gamma_profiles_; //!< by availability (SimGrid owns them)
  std::vector<simgrid::s4u::Mailbox*> server_from_cloud_;
  std::vector<simgrid::s4u::ActorPtr> uplink_receivers_; //!< the cloud's (two tiers) or each edge server's
  simgrid::s4u::Mailbox* cloud_inbox_  = nullptr;
};

} // namespace popex
