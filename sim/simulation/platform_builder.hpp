#pragma once

#include "config/scenario.hpp"

#include <string>

namespace popex {

/**
 * Builds the platform of a scenario without a platform file, through s4u's platform API, in star zones (routing
 * state O(N), not the O(N^2) of a Full zone):
 *
 * - two tiers (`devices: N`), one star zone: hosts `edge-<i>` (role=edge) and `cloud` (role=cloud, cloud.slots cores),
 *   and one single-core host `cloud-slot-<k>` (role=cloud-slot) per cloud slot, where its executions run; per device
 *   links `uplink-<i>` and `downlink-<i>` (role=uplink, role=downlink); with a `bottleneck`, the shared links
 *   `bottleneck-up` and `bottleneck-down` (role=bottleneck) on every device's route to the cloud and back;
 * - three tiers (`edge_server`): also `edge-server-<j>` (role=edge-server, edge_server.slots cores) for
 *   j < edge_servers, each in a star zone `cell-<j>` with its devices, and the cloud in a zone of its own; device i
 *   reaches edge server i mod M (host property edge_server) over its access links (and
 *   that server's `bottleneck-up-<j>`/`-down-<j>`), and each edge server the cloud over `backhaul-up-<j>` and
 *   `backhaul-down-<j>` (role=backhaul).
 *
 * Indices are zero-padded to the width of the largest (edge-007 with 1000 devices): SimGrid lists hosts in name
 * order, which is then index order, so the scenario's device i is host edge-i.
 *
 * Hosts run at 1 Gflop/s and links at 1 Gbit/s with no latency: the scenario's rates, latencies and gammas are
 * applied afterwards, as for a platform file. Returns a one-line description for run.yaml.
 */
std::string build_platform(const Scenario& sc);

} // namespace popex
