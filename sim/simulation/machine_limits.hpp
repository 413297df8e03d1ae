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

/**
 * Address space: SimGrid reserves each actor's stack whole (contexts/stack-size, 8 MiB by default, plus its guard
 * pages), so 1000 actors reserve 8 GB, and a process limited by `ulimit -v` (RLIMIT_AS, common on clusters) fails
 * in the middle of creating them ("Failed to allocate stack"). The one-line reason when `actors` stacks of
 * `stack_bytes` + `guard_bytes` do not fit in `limit_bytes` (no limit: nullopt) beside the `used_bytes` the
 * process has already.
 */
std::optional<std::string> address_space_problem(std::size_t actors, std::size_t stack_bytes,
                                                 std::size_t guard_bytes, std::optional<std::size_t> limit_bytes,
                                                 std::size_t used_bytes);
/** The same with this process's RLIMIT_AS and VmSize (/proc/self/status). */
std::optional<std::string> address_space_problem(std::size_t actors, std::size_t stack_bytes,
                                                 std::size_t guard_bytes);

/** Memory that a process may still take: the system's, and its cgroup's when it has a limit; bytes. */
struct MemoryRoom {
  std::optional<std::size_t> available;    //!< MemAvailable + SwapFree (/proc/meminfo)
  std::optional<std::size_t> cgroup_room;  //!< its cgroup's limit (v2 memory.max, v1 limit_in_bytes) - its usage
                                           //!< without the page cache (memory.stat file, total_cache)
  std::string cgroup_file;                 //!< the limit's file, for the message
};
/** Reads /proc/meminfo and the process's memory cgroup (v2, else v1); what cannot be read stays unknown. */
MemoryRoom memory_room();

/** At least this much memory per device a run keeps (measured: 16.6 KB at set-up between 2,000 and 10,000 devices,
 *  16.9 KB with three tiers; docs/performance.md, section 8). A lower bound: only a run that cannot fit is refused. */
inline constexpr std::size_t DEVICE_BYTES_AT_LEAST = 12 * 1024;

/**
 * The one-line reason when `devices` cannot fit in `room` (at DEVICE_BYTES_AT_LEAST each), rather than let the
 * kernel's OOM killer end the run without a word; nullopt when they may fit or nothing is known.
 */
std::optional<std::string> memory_problem(std::size_t devices, const MemoryRoom& room);

} // namespace popex
