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
  // Sealed with its zone. Not here as well: SimGrid 3.32 tells Link::on_creation at each seal() call, and tracing
  // then declares the link twice ("container ... already present", docs/simgrid-notes.md).
  return zone->create_link(name, LINK_BYTES_S)->set_latency(0)->set_property("role", role);
}

/** Links of a star zone's member (SimGrid's StarZone): `up` from it to everything, `down` from everything to it. */
void star_links(sg4::NetZone* zone, simgrid::kernel::routing::NetPoint* member, std::initializer_list<sg4::Link*> up,
                std::initializer_list<sg4::Link*> down, simgrid::kernel::routing::NetPoint* gateway = nullptr)
{
  const auto path = [](std::initializer_list<sg4::Link*> links) {
    std::vector<sg4::LinkInRoute> out;
    for (sg4::Link* l : links)
      if (l != nullptr)
        out.emplace_back(l);
    return out;
  };
  zone->add_route(member, nullptr, gateway, nullptr, path(up), false);
  zone->add_route(nullptr, member, nullptr, gateway, path(down), false);
}

/** `prefix-i`, zero-padded to the width of `count - 1`: SimGrid lists hosts in name order, so name order is index
 *  order (device i is host edge-i, and edge-10 does not come before edge-2). */
std::string indexed(const char* prefix, std::size_t i, std::size_t count)
{
  const std::size_t width = fmt::format("{}", count > 0 ? count - 1 : 0).size();
  return fmt::format("{}-{:0{}}", prefix, i, width);
}

/**
 * `count` single-core hosts `<prefix>-<k>` in `zone` with property role=`role` (and edge_server=`server` when not
 * empty), where a server's slots compute (CloudServerConfig::slot_hosts, EdgeServerActorConfig::slot_hosts): on the
 * server's own cores, every execution that starts or ends makes SimGrid re-share all the others (one CPU constraint
 * for all cores), a cost per image that grows with the images there at once. A slot runs one image at a time on one
 * core either way, at the same speed, so the timings are the same.
 */
void add_slots(sg4::NetZone* zone, const std::string& prefix, std::size_t count, const char* role,
               const std::string& server)
{
  for (std::size_t k = 0; k < count; ++k) {
    sg4::Host* slot = zone->create_host(indexed(prefix.c_str(), k, count), HOST_FLOPS)->set_property("role", role);
    if (!server.empty())
      slot->set_property("edge_server", server);
    slot->seal();
    star_links(zone, slot->get_netpoint(), {}, {});
  }
}

/** A device in `zone`: its access links (through the zone's shared cell links, if any) to the zone's centre. */
sg4::Host* add_device(sg4::NetZone* zone, const Scenario& sc, std::size_t i, sg4::Link* cell_up, sg4::Link* cell_down,
                      const std::string& server)
{
  sg4::Host* h = zone->create_host(indexed("edge", i, sc.devices.size()), HOST_FLOPS)->set_property("role", "edge");
  if (!server.empty())
    h->set_property("edge_server", server);
  h->seal();
  sg4::Link* up   = link(zone, indexed("uplink", i, sc.devices.size()), "uplink");
  sg4::Link* down = link(zone, indexed("downlink", i, sc.devices.size()), "downlink");
  star_links(zone, h->get_netpoint(), {up, cell_up}, {cell_down, down});
  return h;
}
} // namespace

std::string build_platform(const Scenario& sc)
{
  // Star zones (SimGrid's StarZone): routing state per host, O(n), where a Full zone holds O(n^2) routes (10,000
  // devices took 1 GB). A route is the source's up links then the destination's down links: the devices' access links
  // and the cell's; the cloud has none. Three tiers: one star zone per edge server (its devices and itself), inside
  // a star zone with the cloud, each server zone reaching the cloud through its backhaul (docs/platforms.md).
  sg4::NetZone* world = sg4::create_star_zone("world");
  const bool tiers3   = three_tier(sc);
  const bool cell     = sc.bottleneck.has_value();
  // Three tiers: SimGrid routes between sibling zones only, so the cloud gets a zone of its own there.
  sg4::NetZone* cloud_zone = tiers3 ? sg4::create_star_zone("cloud-zone")->set_parent(world) : world;
  sg4::Host* cloud         = cloud_zone->create_host("cloud", HOST_FLOPS)
                         ->set_core_count(std::max(sc.cloud_slots, 1))
                         ->set_property("role", "cloud")
                         ->seal();
  star_links(cloud_zone, cloud->get_netpoint(), {}, {});
  add_slots(cloud_zone, "cloud-slot", static_cast<std::size_t>(std::max(sc.cloud_slots, 1)), "cloud-slot", "");
  if (tiers3) {
    cloud_zone->seal();
    star_links(world, cloud_zone->get_netpoint(), {}, {}, cloud->get_netpoint());
  }
  if (!tiers3) {
    sg4::Link* cell_up   = cell ? link(world, "bottleneck-up", "bottleneck") : nullptr;
    sg4::Link* cell_down = cell ? link(world, "bottleneck-down", "bottleneck") : nullptr;
    for (std::size_t i = 0; i < sc.devices.size(); ++i)
      add_device(world, sc, i, cell_up, cell_down, "");
    world->seal();
    return fmt::format("generated: {} devices", sc.devices.size());
  }
  const auto servers = static_cast<std::size_t>(sc.edge_servers);
  for (std::size_t j = 0; j < servers; ++j) {
    sg4::NetZone* zone     = sg4::create_star_zone(indexed("cell", j, servers))->set_parent(world);
    const std::string name = indexed("edge-server", j, servers);
    sg4::Host* server      = zone->create_host(name, HOST_FLOPS)
                            ->set_core_count(sc.edge_server->slots)
                            ->set_property("role", "edge-server")
                            ->seal();
    star_links(zone, server->get_netpoint(), {}, {});
    add_slots(zone, name + "-slot", static_cast<std::size_t>(std::max(sc.edge_server->slots, 1)), "edge-server-slot",
              name);
    sg4::Link* cell_up   = cell ? link(zone, indexed("bottleneck-up", j, servers), "bottleneck") : nullptr;
    sg4::Link* cell_down = cell ? link(zone, indexed("bottleneck-down", j, servers), "bottleneck") : nullptr;
    for (std::size_t i = j; i < sc.devices.size(); i += servers) // device i reaches edge server i mod M
      add_device(zone, sc, i, cell_up, cell_down, name);
    zone->seal();
    star_links(world, zone->get_netpoint(), {link(world, indexed("backhaul-up", j, servers), "backhaul")},
               {link(world, indexed("backhaul-down", j, servers), "backhaul")}, server->get_netpoint());
  }
  world->seal();
  return fmt::format("generated: {} devices, {} edge servers", sc.devices.size(), servers);
}

} // namespace popex
