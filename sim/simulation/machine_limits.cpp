#include "simulation/machine_limits.hpp"

#include <fmt/format.h>

#include <fstream>
#include <string>

namespace popex {

std::size_t actors_needed(const Scenario& sc, std::size_t devices, std::size_t edge_servers)
{
  const bool access_trace = sc.uplink.loaded != nullptr;
  std::size_t n = devices * (access_trace ? 2 : 1);     // the device, and its link driver on a trace
  n += 1 + static_cast<std::size_t>(sc.cloud_slots);    // the cloud and its workers
  if (sc.edge_server)                                   // each server, its workers, its relay, its backhaul driver
    n += edge_servers * (3 + static_cast<std::size_t>(sc.edge_server->slots));
  return n + edge_servers + 2;                          // bottleneck drivers, the exit schedule
}

std::optional<std::string> mapping_problem(std::size_t actors, int guard_pages)
{
  std::ifstream limit_file("/proc/sys/vm/max_map_count");
  std::size_t limit = 0;
  if (!(limit_file >> limit) || limit == 0)
    return std::nullopt;
  std::ifstream maps("/proc/self/maps");
  std::size_t current = 0;
  for (std::string line; std::getline(maps, line);)
    ++current;
  const std::size_t per_actor = guard_pages > 0 ? 2 : 1;
  const std::size_t needed    = current + per_actor * actors;
  if (needed <= limit)
    return std::nullopt;
  return fmt::format("{} actors need about {} memory mappings ({} per actor stack{}), over this machine's "
                     "vm.max_map_count = {}: raise it (sysctl -w vm.max_map_count={}){}",
                     actors, needed, per_actor, guard_pages > 0 ? " and its guard page" : "", limit,
                     needed * 2, guard_pages > 0 ? ", or run with --cfg=contexts/guard-size:0 (no stack overflow check)" : "");
}

} // namespace popex
