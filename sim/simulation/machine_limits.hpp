#pragma once

#include "config/scenario.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace popex {

/** How many actors a run of `sc` starts, at most: devices, the cloud and its workers, edge servers with their
 *  workers and relay, link drivers of traces, the exit schedule. */
std::size_t actors_needed(const Scenario& sc, std::size_t devices, std::size_t edge_servers);

/**
 * SimGrid gives each actor's stack its own memory mapping, split in two by the guard page (contexts/guard-size,
 * default 1): 2 mappings per actor, 1 without guard pages (measured: 3000 devices, 6315 mappings). The kernel caps
 * a process's mappings at vm.max_map_count (65,530 by default), and past it SimGrid dies in the middle of its
 * set-up ("Failed to protect stack"). Returns the one-line reason when `actors` would not fit, given the mappings
 * the process already has; nullopt when they fit or the limit cannot be read.
 */
std::optional<std::string> mapping_problem(std::size_t actors, int guard_pages);

} // namespace popex
