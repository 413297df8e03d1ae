#pragma once

#include "config/scenario.hpp"
#include "simulation/topology.hpp"

namespace popex {

/**
 * Turns on SimGrid's host energy plugin for a scenario with energy, before its platform is loaded: every host gets a
 * `wattage_per_state` from its role unless the platform gives one (docs/model.md, "Energy"):
 * - role=edge (a device): `idle:busy:busy`, device_power's; it draws busy_w whenever it computes;
 * - role=edge-server and role=cloud: `idle:idle:busy`, their power's; linear in the share of their cores in use;
 * - role=cloud-slot (generated platforms, one per cloud slot, where the slots compute): `0:0:(busy - idle) / slots`,
 *   so that the cloud's idle power and its slots' add up to the cloud's own linear model;
 * - any other host: 0 W.
 * Every pstate gets the same values. Does nothing when the scenario has no energy.
 */
void enable_host_energy(const Scenario& sc);

/** The hosts' energy at the end of a run (the plugin's totals, idle included), J. */
struct HostEnergyTotals {
  double devices_j      = 0; //!< every device host's compute (busy and idle), without the radio
  double edge_servers_j = 0;
  double cloud_j        = 0;
};

/** One host's energy so far (the plugin's), J. */
double host_energy_j(const simgrid::s4u::Host* host);

/**
 * Reads the plugin's totals; call after the run, before the engine is destroyed. An edge server's total is corrected
 * for the availability profile that slows it to 1 / edge gamma (exact, see the definition).
 */
HostEnergyTotals host_energy_totals(const Topology& t, const EnergyConfig& e);

} // namespace popex
