#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace popex {

/** Largest platform file check_platform_file() reads (64 MiB): a bigger one is refused before it is read. */
inline constexpr std::uintmax_t max_platform_file_bytes = std::uintmax_t{64} << 20;

/**
 * Checks a SimGrid 3.32 platform XML file before SimGrid reads it, so that every mistake SimGrid would crash on,
 * hang on, accept silently or report on several lines becomes one ConfigError:
 * `FILE:LINE:COL: platform: <element> '<id>': <attribute> must <rule> (got <value>)`.
 *
 * The file must be a regular file of at most max_platform_file_bytes (no FIFO, no device). Then
 * check_platform_text() checks it.
 */
void check_platform_file(const std::string& path);

/**
 * Checks the text of a platform file; `name` stands for the file in messages. What is checked (docs/platforms.md):
 *
 * - the XML itself (scan_xml()), the DOCTYPE SimGrid requires, and the DTD v4.1 structure SimGrid's parser
 *   enforces: which element may hold which, in which order (a zone's hosts, routers and links before its routes;
 *   hosts and sub-zones never in one zone), which attributes each element takes and which it needs;
 * - elements and attributes SimGrid has removed or popex-sim cannot honour (clusters, profiles, actors, WiFi);
 * - every value with SimGrid's own unit grammar (simgrid_units.hpp) and a range popex-sim and SimGrid can run:
 *   host speed (each pstate) within [1f, 1Ef], core an integer within [1, 10^6], pstate an index of the speeds,
 *   link bandwidth within [1bps, 1Pbps], latency within [0s, 1d], version, routing, sharing_policy, symmetrical,
 *   direction, coordinates, `<config>` options (simgrid_options.hpp);
 * - names: host, router and zone ids unique together, link ids unique (with the _UP/_DOWN halves of SPLITDUPLEX
 *   links), routes naming hosts or routers of their own zone, zoneRoutes naming sub-zones and gateways inside them,
 *   link_ctn naming declared links, one route per pair in zones that declare routes;
 * - sizes: at most 10,000 hosts and routers in a Full zone and 5,000 in a Floyd zone (SimGrid keeps n x n route
 *   tables there: about 1 GB and 0.6 GB at those sizes);
 * - popex-sim's properties: each property given once per element, host role one of edge, cloud, edge-server, link
 *   role one of uplink, downlink, bottleneck, backhaul; and, when the platform has one cloud host, a route from
 *   every edge host to its target (the cloud; with edge servers, the one its property edge_server names, or the
 *   only one) and back, and from every edge server to the cloud and back, where both ends sit in one zone that
 *   declares its routes.
 *
 * Throws ConfigError at the first mistake.
 */
void check_platform_text(std::string_view text, const std::string& name);

} // namespace popex
