#pragma once

#include "config/prediction.hpp"
#include "config/scenario.hpp"

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

#include <string>
#include <vector>

namespace popex {

/** A device's host and the links its traffic crosses, found by their role properties. */
struct DeviceNode {
  simgrid::s4u::Host* host            = nullptr;
  simgrid::s4u::Link* uplink          = nullptr; //!< role=uplink, or the only link of the access route
  simgrid::s4u::Link* downlink        = nullptr;
  simgrid::s4u::Link* bottleneck_up   = nullptr; //!< role=bottleneck on the access route, if any
  simgrid::s4u::Link* bottleneck_down = nullptr;
  double up_latency_s   = 0; //!< the access route's latency (after the scenario's latency_ms)
  double down_latency_s = 0;
  std::size_t edge_server = 0; //!< three tiers: the edge server it reaches
};

/** An edge server's host and its backhaul (three tiers). */
struct EdgeServerNode {
  simgrid::s4u::Host* host          = nullptr;
  simgrid::s4u::Link* backhaul_up   = nullptr; //!< role=backhaul, or the only link of the route to the cloud
  simgrid::s4u::Link* backhaul_down = nullptr;
  double up_latency_s   = 0;
  double down_latency_s = 0;
  std::vector<simgrid::s4u::Host*> slots; //!< generated platforms: one single-core host per slot
};

/** Who is where: the roles of a loaded platform, checked against the scenario. */
struct Topology {
  std::string platform;                 //!< the platform as messages name it
  simgrid::s4u::Host* cloud = nullptr;
  std::vector<simgrid::s4u::Host*> cloud_slots; //!< generated platforms: one single-core host per cloud slot
  std::vector<DeviceNode> devices;      //!< the scenario's devices, in order
  std::vector<EdgeServerNode> servers;  //!< three tiers
};

/**
 * Finds the roles (host property role=edge|edge-server|cloud; link property role=uplink|downlink|bottleneck|
 * backhaul) in the loaded platform, checks them against the scenario, and applies the scenario's latencies (an
 * end-to-end one-way latency goes on the access links, the other links of the route get none). Throws ConfigError.
 */
Topology find_topology(const simgrid::s4u::Engine& e, const Scenario& sc, const std::string& platform);

/**
 * The run's values, resolved once: each device's gamma, profile, arrivals, rates and latencies (the scenario's, else
 * the platform's), and each edge server's. `access_bps[i]` is device i's access rate at t = 0.
 */
ResolvedRun resolve_run(const Scenario& sc, const Topology& t, const std::vector<double>& access_bps,
                        const std::vector<double>& backhaul_bps);

} // namespace popex
