#include "simulation/topology.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

namespace sg4 = simgrid::s4u;

namespace popex {

namespace {
/** The hosts of each role popex-sim knows (host property role=...), each in the platform's order. */
struct HostsByRole {
  std::vector<sg4::Host*> edges, clouds, servers, cloud_slots, server_slots;
};

HostsByRole hosts_by_role(const sg4::Engine& e)
{
  // One pass: SimGrid builds the list of all hosts anew at each call (21,000 hosts with 10,000 devices).
  HostsByRole out;
  for (sg4::Host* h : e.get_all_hosts()) {
    const char* r = h->get_property("role");
    if (r == nullptr)
      continue;
    const std::string_view role = r;
    if (role == "edge")
      out.edges.push_back(h);
    else if (role == "cloud")
      out.clouds.push_back(h);
    else if (role == "edge-server")
      out.servers.push_back(h);
    else if (role == "cloud-slot")
      out.cloud_slots.push_back(h);
    else if (role == "edge-server-slot")
      out.server_slots.push_back(h);
  }
  return out;
}

std::string host_names(const sg4::Engine& e)
{
  std::string out;
  for (const sg4::Host* h : e.get_all_hosts())
    out += (out.empty() ? "" : ", ") + h->get_name();
  return out;
}

sg4::Link* find_role_link(const std::vector<sg4::Link*>& route, const std::string& role)
{
  for (sg4::Link* l : route)
    if (const char* r = l->get_property("role"); r != nullptr && role == r)
      return l;
  return nullptr;
}

/** The link of a route that carries `role`, or its only link. */
sg4::Link* role_link(const std::vector<sg4::Link*>& route, const std::string& role, const std::string& platform,
                     const sg4::Host* from, const sg4::Host* to)
{
  if (sg4::Link* l = find_role_link(route, role))
    return l;
  if (route.size() == 1)
    return route.front();
  throw ConfigError(fmt::format("{}: platform: the route {} -> {} must have one link with property role={} or "
                                "exactly one link (got {} links)",
                                platform, from->get_name(), to->get_name(), role, route.size()));
}

/** A one-way latency given by the scenario goes on `carrier`; the route's other links get none. */
void set_route_latency(const std::vector<sg4::Link*>& route, const sg4::Link* carrier, double latency_s)
{
  for (sg4::Link* l : route)
    l->set_latency(l == carrier ? latency_s : 0.0);
}

/** The links and latencies between a device and its target (the cloud, or its edge server). */
DeviceNode wire_device(sg4::Host* device, sg4::Host* target, const Scenario& sc, const std::string& platform)
{
  DeviceNode d;
  d.host = device;
  std::vector<sg4::Link*> up_route;
  std::vector<sg4::Link*> down_route;
  device->route_to(target, up_route, &d.up_latency_s);
  target->route_to(device, down_route, &d.down_latency_s);
  d.bottleneck_up   = find_role_link(up_route, "bottleneck");
  d.bottleneck_down = find_role_link(down_route, "bottleneck");
  d.uplink          = role_link(up_route, "uplink", platform, device, target);
  d.downlink        = role_link(down_route, "downlink", platform, target, device);
  if (sc.latency_ms) {
    set_route_latency(up_route, d.uplink, *sc.latency_ms / 1e3);
    set_route_latency(down_route, d.downlink, *sc.latency_ms / 1e3);
    d.up_latency_s = d.down_latency_s = *sc.latency_ms / 1e3;
  }
  return d;
}

EdgeServerNode wire_server(sg4::Host* server, sg4::Host* cloud, const Scenario& sc, const std::string& platform)
{
  EdgeServerNode s;
  s.host = server;
  std::vector<sg4::Link*> up_route;
  std::vector<sg4::Link*> down_route;
  server->route_to(cloud, up_route, &s.up_latency_s);
  cloud->route_to(server, down_route, &s.down_latency_s);
  s.backhaul_up   = role_link(up_route, "backhaul", platform, server, cloud);
  s.backhaul_down = role_link(down_route, "backhaul", platform, cloud, server);
  if (const auto l = sc.backhaul->latency_ms) {
    set_route_latency(up_route, s.backhaul_up, *l / 1e3);
    set_route_latency(down_route, s.backhaul_down, *l / 1e3);
    s.up_latency_s = s.down_latency_s = *l / 1e3;
  }
  return s;
}

SourcePos pos_or_file(const SourcePos& pos, const Scenario& sc)
{
  return pos.file.empty() ? SourcePos{sc.file, 0, 0} : pos;
}

/** Each device's edge server: its host property edge_server, or the only one. */
std::size_t server_of(const sg4::Host* device, const std::vector<sg4::Host*>& servers, const std::string& platform)
{
  const char* name = device->get_property("edge_server");
  if (name == nullptr) {
    if (servers.size() == 1)
      return 0;
    throw ConfigError(fmt::format("{}: platform: host '{}': with {} edge servers, each role=edge host needs a "
                                  "property edge_server naming its edge server",
                                  platform, device->get_name(), servers.size()));
  }
  for (std::size_t j = 0; j < servers.size(); ++j)
    if (servers[j]->get_name() == name)
      return j;
  std::string valid;
  for (const auto* s : servers)
    valid += (valid.empty() ? "" : ", ") + s->get_name();
  throw ConfigError(fmt::format("{}: platform: host '{}': edge_server must name a host with role=edge-server "
                                "(valid: {}) (got {})",
                                platform, device->get_name(), valid, name));
}

void check_counts(const sg4::Engine& e, const Scenario& sc, const std::string& platform,
                  const std::vector<sg4::Host*>& edges, const std::vector<sg4::Host*>& clouds,
                  const std::vector<sg4::Host*>& servers)
{
  if (edges.empty() || clouds.size() != 1)
    throw ConfigError(fmt::format("{}: platform: must have at least one host with property role=edge and exactly one "
                                  "with role=cloud (got {} edge, {} cloud; hosts: {})",
                                  platform, edges.size(), clouds.size(), host_names(e)));
  if (edges.size() < sc.devices.size())
    fail_at(pos_or_file(sc.devices_pos, sc),
            fmt::format("scenario: devices must be <= the {} edge hosts (role=edge) of platform {} (got {})",
                        edges.size(), platform, sc.devices.size()));
  if (three_tier(sc) && servers.empty())
    fail_at({sc.file, 0, 0}, fmt::format("edge_server: platform {} must have a host with property role=edge-server "
                                         "(three tiers; hosts: {})",
                                         platform, host_names(e)));
  if (!three_tier(sc) && !servers.empty())
    throw ConfigError(fmt::format("{}: platform: has {} host(s) with role=edge-server: give the scenario an "
                                  "edge_server (three tiers), or use a two-tier platform",
                                  platform, servers.size()));
  const sg4::Host* cloud = clouds.front();
  if (cloud->get_core_count() < sc.cloud_slots)
    fail_at(pos_or_file(sc.cloud_slots_pos, sc),
            fmt::format("cloud: slots must be <= the {} cores of cloud host '{}' in {} (got {})",
                        cloud->get_core_count(), cloud->get_name(), platform, sc.cloud_slots));
  for (const sg4::Host* s : servers)
    if (s->get_core_count() < sc.edge_server->slots)
      fail_at(pos_or_file(sc.edge_server->slots_pos, sc),
              fmt::format("edge_server: slots must be <= the {} cores of edge-server host '{}' in {} (got {})",
                          s->get_core_count(), s->get_name(), platform, sc.edge_server->slots));
}
} // namespace

Topology find_topology(const sg4::Engine& e, const Scenario& sc, const std::string& platform)
{
  const HostsByRole hosts = hosts_by_role(e);
  const auto& edges       = hosts.edges;
  const auto& servers     = hosts.servers;
  check_counts(e, sc, platform, edges, hosts.clouds, servers);
  Topology t;
  t.platform = platform;
  t.cloud    = hosts.clouds.front();
  if (sc.platform_file.empty()) // only the generated platform has them (platform_builder.hpp)
    t.cloud_slots = hosts.cloud_slots;
  for (sg4::Host* s : servers)
    t.servers.push_back(wire_server(s, t.cloud, sc, platform));
  if (sc.platform_file.empty())
    for (sg4::Host* slot : hosts.server_slots) // property edge_server: the server it belongs to
      t.servers[server_of(slot, servers, platform)].slots.push_back(slot);
  for (std::size_t i = 0; i < sc.devices.size(); ++i) {
    const std::size_t j = servers.empty() ? 0 : server_of(edges[i], servers, platform);
    t.devices.push_back(wire_device(edges[i], servers.empty() ? t.cloud : servers[j], sc, platform));
    t.devices.back().edge_server = j;
  }
  if (sc.bottleneck && t.devices.front().bottleneck_up == nullptr)
    throw ConfigError(fmt::format("{}: bottleneck needs a link with property role=bottleneck on the route out of "
                                  "the edge devices of platform {}",
                                  sc.file, platform));
  return t;
}

ResolvedRun resolve_run(const Scenario& sc, const Topology& t, const std::vector<double>& access_bps,
                        const std::vector<double>& backhaul_bps)
{
  ResolvedRun run;
  for (std::size_t i = 0; i < t.devices.size(); ++i) {
    const DeviceConfig& c = sc.devices[i];
    const DeviceNode& n   = t.devices[i];
    ResolvedDevice d;
    d.gamma        = c.gamma;
    d.profile      = c.edge_profile;
    d.arrival      = c.arrival;
    d.uplink_bps   = access_bps[i];
    d.uplink_trace = !c.uplink_bps && !sc.uplink.trace.empty();
    d.downlink_bps = sc.downlink_bps.value_or(c.uplink_bps.value_or(sc.uplink.rate_bps.value_or(access_bps[i])));
    d.up_latency_s   = n.up_latency_s;
    d.down_latency_s = n.down_latency_s;
    d.edge_server    = n.edge_server;
    run.devices.push_back(d);
  }
  for (std::size_t j = 0; j < t.servers.size(); ++j) {
    ResolvedEdgeServer s;
    s.gamma             = sc.edge_server->gamma;
    s.profile           = sc.edge_server->profile;
    s.slots             = sc.edge_server->slots;
    s.backhaul_bps      = backhaul_bps[j];
    s.backhaul_down_bps = sc.backhaul->downlink_bps.value_or(sc.backhaul->rate_bps.value_or(backhaul_bps[j]));
    s.up_latency_s      = t.servers[j].up_latency_s;
    s.down_latency_s    = t.servers[j].down_latency_s;
    run.servers.push_back(s);
  }
  return run;
}

} // namespace popex
