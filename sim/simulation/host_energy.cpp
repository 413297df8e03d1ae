#include "simulation/host_energy.hpp"

#include <simgrid/plugins/energy.h>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>

namespace sg4 = simgrid::s4u;

namespace popex {

namespace {
/** Marks the hosts whose power popex-sim set from the scenario. */
constexpr const char* OURS = "popex_wattage";

/** `idle:epsilon:max` once per pstate (the plugin asserts one entry per pstate). */
std::string wattage(const sg4::Host& host, double idle_w, double epsilon_w, double max_w)
{
  const std::string one = fmt::format("{}:{}:{}", idle_w, epsilon_w, max_w);
  std::string all       = one;
  for (unsigned long p = 1; p < host.get_pstate_count(); ++p)
    all += "," + one;
  return all;
}
} // namespace

void enable_host_energy(const Scenario& sc)
{
  if (!sc.energy)
    return;
  const EnergyConfig e = *sc.energy;
  const double slots   = std::max(sc.cloud_slots, 1);
  const double server_slots = sc.edge_server ? std::max(sc.edge_server->slots, 1) : 1;
  // Connected before the plugin's own creation callback, so it runs first: the plugin reads the property once, when
  // the host is sealed (SimGrid 3.32, src/plugins/host_energy.cpp).
  sg4::Host::on_creation_cb([e, slots, server_slots](sg4::Host& host) {
    if (host.get_property("wattage_per_state") != nullptr)
      return; // the platform's own values win (per its declared speed: not corrected below)
    host.set_property(OURS, "1");
    const char* role = host.get_property("role");
    const std::string r = role != nullptr ? role : "";
    const DevicePower d = e.params.device;
    if (r == "edge")
      host.set_property("wattage_per_state", wattage(host, d.idle_w, d.busy_w, d.busy_w));
    else if (r == "edge-server")
      host.set_property("wattage_per_state",
                        wattage(host, e.edge_server.idle_w, e.edge_server.idle_w, e.edge_server.busy_w));
    else if (r == "cloud")
      host.set_property("wattage_per_state", wattage(host, e.cloud.idle_w, e.cloud.idle_w, e.cloud.busy_w));
    else if (r == "cloud-slot") // the cloud's part above idle for one of its cores: the cloud's own never load
      host.set_property("wattage_per_state", wattage(host, 0, 0, (e.cloud.busy_w - e.cloud.idle_w) / slots));
    else if (r == "edge-server-slot") // the same for an edge server's
      host.set_property("wattage_per_state",
                        wattage(host, 0, 0, (e.edge_server.busy_w - e.edge_server.idle_w) / server_slots));
    else
      host.set_property("wattage_per_state", wattage(host, 0, 0, 0));
  });
  sg_host_energy_plugin_init();
}

double host_energy_j(const sg4::Host* host)
{
  return sg_host_get_consumed_energy(host);
}

HostEnergyTotals host_energy_totals(const Topology& t, const EnergyConfig& e)
{
  HostEnergyTotals out;
  std::set<const sg4::Host*> seen; // a host counts once, however many roles it plays
  const double now = sg4::Engine::get_clock();
  // The plugin's load is the share of the host's declared speed in use, so a server slowed to 1/a of it by the
  // gamma availability profile reads a load of at most a. With epsilon = idle, its energy is idle x T + slope x a x
  // (busy core-seconds / cores): dividing the part above idle by a gives the server's own, exactly. Devices need no
  // correction: idle:busy:busy draws busy_w at any load.
  const auto server = [&](double& total, const sg4::Host* h, const DevicePower& p) {
    if (!seen.insert(h).second)
      return;
    const double a = h->get_available_speed();
    const double j = host_energy_j(h);
    total += h->get_property(OURS) != nullptr && a > 0 ? p.idle_w * now + (j - p.idle_w * now) / a : j;
  };
  for (const auto& d : t.devices)
    if (seen.insert(d.host).second)
      out.devices_j += host_energy_j(d.host);
  // A server's slot hosts (generated platforms) draw its power above idle, from 0 W, at its speed: the same
  // correction with no idle part (a = 1 for the cloud's).
  const auto slots = [&](double& total, const std::vector<sg4::Host*>& hosts) {
    for (const sg4::Host* h : hosts)
      server(total, h, DevicePower{});
  };
  for (const auto& s : t.servers) {
    server(out.edge_servers_j, s.host, e.edge_server);
    slots(out.edge_servers_j, s.slots);
  }
  server(out.cloud_j, t.cloud, e.cloud);
  slots(out.cloud_j, t.cloud_slots);
  return out;
}

} // namespace popex
