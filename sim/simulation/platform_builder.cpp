#include "simulation/platform_builder.hpp"

#include <simgrid/s4u.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace sg4 = simgrid::s4u;

namespace popex {

namespace {
constexpr double HOST_FLOPS   = 1e9;
constexpr double LINK_BYTES_S = 1e9 / 8;

sg4::Link* link(sg4::NetZone* zone, const std::string& name, const char* role)
{
  return zone->create_link(name, LINK_BYTES_S)->set_latency(0)->set_property("role", role)->seal();
}

/** A one-way route through `links`, in order (nullptr links are skipped). */
void route(sg4::NetZone* zone, const sg4::Host* from, const sg4::Host* to, std::initializer_list<sg4::Link*> links)
{
  std::vector<sg4::LinkInRoute> path;
  for (sg4::Link* l : links)
    if (l != nullptr)
      path.emplace_back(l);
  zone->add_route(from->get_netpoint(), to->get_netpoint(), nullptr, nullptr, path, false);
}

/** Access links from devices [first, ...) stepping by `step` to `target`, through an optional shared cell. */
void attach_devices(sg4::NetZone* zone, const std::vector<sg4::Host*>& devices, sg4::Host* target, std::size_t first,
                    std::size_t step, sg4::Link* cell_up, sg4::Link* cell_down)
{
  for (std::size_t i = first; i < devices.size(); i += step) {
    sg4::Link* up   = link(zone, fmt::format("uplink-{}", i), "uplink");
    sg4::Link* down = link(zone, fmt::format("downlink-{}", i), "downlink");
    route(zone, devices[i], target, {up, cell_up});
    route(zone, target, devices[i], {cell_down, down});
  }
}
} // namespace

std::string build_platform(const Scenario& sc)
{
  sg4::NetZone* zone = sg4::create_full_zone("world");
  const bool tiers3  = three_tier(sc);
  sg4::Host* cloud   = zone->create_host("cloud", HOST_FLOPS)
                         ->set_core_count(std::max(sc.cloud_slots, 1))
                         ->set_property("role", "cloud")
                         ->seal();
  const std::size_t servers = tiers3 ? static_cast<std::size_t>(sc.edge_servers) : 0;
  std::vector<sg4::Host*> devices;
  for (std::size_t i = 0; i < sc.devices.size(); ++i) {
    sg4::Host* h = zone->create_host(fmt::format("edge-{}", i), HOST_FLOPS)->set_property("role", "edge");
    if (tiers3)
      h->set_property("edge_server", fmt::format("edge-server-{}", i % servers));
    devices.push_back(h->seal());
  }
  const bool cell = sc.bottleneck.has_value();
  if (!tiers3) {
    sg4::Link* cell_up   = cell ? link(zone, "bottleneck-up", "bottleneck") : nullptr;
    sg4::Link* cell_down = cell ? link(zone, "bottleneck-down", "bottleneck") : nullptr;
    attach_devices(zone, devices, cloud, 0, 1, cell_up, cell_down);
  }
  for (std::size_t j = 0; j < servers; ++j) {
    sg4::Host* server = zone->create_host(fmt::format("edge-server-{}", j), HOST_FLOPS)
                            ->set_core_count(sc.edge_server->slots)
                            ->set_property("role", "edge-server")
                            ->seal();
    sg4::Link* cell_up   = cell ? link(zone, fmt::format("bottleneck-up-{}", j), "bottleneck") : nullptr;
    sg4::Link* cell_down = cell ? link(zone, fmt::format("bottleneck-down-{}", j), "bottleneck") : nullptr;
    attach_devices(zone, devices, server, j, servers, cell_up, cell_down);
    route(zone, server, cloud, {link(zone, fmt::format("backhaul-up-{}", j), "backhaul")});
    route(zone, cloud, server, {link(zone, fmt::format("backhaul-down-{}", j), "backhaul")});
  }
  zone->seal();
  return tiers3 ? fmt::format("generated: {} devices, {} edge servers", sc.devices.size(), servers)
                : fmt::format("generated: {} devices", sc.devices.size());
}

} // namespace popex
