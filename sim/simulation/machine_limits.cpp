#include "simulation/machine_limits.hpp"

#include <fmt/format.h>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

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
  const std::size_t per_actor = guard_pages > 0 ? 2 : 1;
  // popex-sim maps about 190 regions besides its actors' stacks (its libraries, their data, the heap). Far from the
  // limit, counting them is not worth /proc/self/maps, whose text the kernel builds path by path: a campaign's
  // one-image runs spent 2% of their CPU there.
  constexpr std::size_t FAR_MORE_THAN_MAPPED = 8192;
  if (per_actor * actors + FAR_MORE_THAN_MAPPED <= limit)
    return std::nullopt;
  std::ifstream maps("/proc/self/maps");
  std::size_t current = 0;
  for (std::string line; std::getline(maps, line);)
    ++current;
  const std::size_t needed    = current + per_actor * actors;
  if (needed <= limit)
    return std::nullopt;
  return fmt::format("{} actors need about {} memory mappings ({} per actor stack{}), over this machine's "
                     "vm.max_map_count = {}: raise it (sysctl -w vm.max_map_count={}){}",
                     actors, needed, per_actor, guard_pages > 0 ? " and its guard page" : "", limit,
                     needed * 2,
                     guard_pages > 0 ? ", or run with --cfg=contexts/guard-size:0 (no stack overflow check)" : "");
}

namespace {
std::string gib(std::size_t bytes)
{
  return fmt::format("{:.1f} GB", static_cast<double>(bytes) / 1e9);
}

std::string mib(std::size_t bytes)
{
  return fmt::format("{:.0f} MB", static_cast<double>(bytes) / 1e6);
}

/** The "Key:   N kB" lines of a /proc file for each of `keys`, in bytes (nullopt: no such line), in one read. */
template <std::size_t N>
std::array<std::optional<std::size_t>, N> proc_kb(const char* file, const std::array<std::string_view, N>& keys)
{
  std::array<std::optional<std::size_t>, N> found;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    for (std::size_t i = 0; i < N; ++i)
      if (line.size() > keys[i].size() && line.compare(0, keys[i].size(), keys[i]) == 0 &&
          line[keys[i].size()] == ':') {
        std::istringstream values(line.substr(keys[i].size() + 1));
        std::size_t kb = 0;
        if (values >> kb)
          found[i] = kb * 1024;
      }
  return found;
}

/** The value of `key` in a "key value" file (a cgroup's memory.stat). */
std::optional<std::size_t> stat_value(const std::string& path, const std::string& key)
{
  std::ifstream in(path);
  std::string k;
  std::size_t v = 0;
  while (in >> k >> v)
    if (k == key)
      return v;
  return std::nullopt;
}

/** The first number in a file ("max" and unreadable files: nullopt). */
std::optional<std::size_t> file_number(const std::string& path)
{
  std::ifstream in(path);
  std::size_t n = 0;
  if (in >> n)
    return n;
  return std::nullopt;
}
} // namespace

std::optional<std::string> address_space_problem(std::size_t actors, std::size_t stack_bytes,
                                                 std::size_t guard_bytes, std::optional<std::size_t> limit_bytes,
                                                 std::size_t used_bytes)
{
  if (!limit_bytes)
    return std::nullopt;
  const std::size_t needed = used_bytes + actors * (stack_bytes + guard_bytes);
  if (needed <= *limit_bytes)
    return std::nullopt;
  // The stack size that would fit, in KiB, with a quarter of the room left for the rest.
  const std::size_t room     = *limit_bytes > used_bytes ? *limit_bytes - used_bytes : 0;
  const std::size_t fit_kib  = actors > 0 ? room * 3 / 4 / actors / 1024 : 0;
  return fmt::format("{} actors reserve about {} of address space for their stacks ({} KiB each: "
                     "contexts/stack-size), over this process's limit of {} (ulimit -v): raise it (ulimit -v "
                     "unlimited){}",
                     actors, gib(needed), stack_bytes / 1024, gib(*limit_bytes),
                     fit_kib >= 64 ? fmt::format(", or run with smaller stacks (--cfg=contexts/stack-size:{})",
                                                 std::min<std::size_t>(fit_kib, 1024))
                                   : "");
}

std::optional<std::string> address_space_problem(std::size_t actors, std::size_t stack_bytes,
                                                 std::size_t guard_bytes)
{
  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) != 0 || as.rlim_cur == RLIM_INFINITY)
    return std::nullopt;
  return address_space_problem(actors, stack_bytes, guard_bytes, static_cast<std::size_t>(as.rlim_cur),
                               proc_kb<1>("/proc/self/status", {"VmSize"})[0].value_or(0));
}

MemoryRoom memory_room()
{
  MemoryRoom room;
  if (const auto [avail, swap] = proc_kb<2>("/proc/meminfo", {"MemAvailable", "SwapFree"}); avail)
    room.available = *avail + swap.value_or(0);
  // /proc/self/cgroup: "0::/path" (v2) or "N:memory:/path" (v1, possibly with other controllers).
  std::ifstream groups("/proc/self/cgroup");
  for (std::string line; std::getline(groups, line);) {
    const auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos)
      continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path        = line.substr(second + 1);
    std::string dir, limit, usage, cache_key;
    if (controllers.empty()) {
      dir   = "/sys/fs/cgroup" + path;
      limit = dir + "/memory.max";
      usage = dir + "/memory.current";
      cache_key = "file";
    } else if (("," + controllers + ",").find(",memory,") != std::string::npos) {
      dir   = "/sys/fs/cgroup/memory" + path;
      limit = dir + "/memory.limit_in_bytes";
      usage = dir + "/memory.usage_in_bytes";
      cache_key = "total_cache";
    } else {
      continue;
    }
    const auto max = file_number(limit);
    // v1 says "no limit" with a huge number (about 2^63): anything past 2^60 bytes is none.
    if (!max || *max >= (std::size_t{1} << 60))
      continue;
    // The usage counts the page cache (files read or written), which the kernel reclaims before it kills: not used.
    const std::size_t charged = file_number(usage).value_or(0);
    const std::size_t cache   = stat_value(dir + "/memory.stat", cache_key).value_or(0);
    const std::size_t used    = charged > cache ? charged - cache : 0;
    room.cgroup_room          = *max > used ? *max - used : 0;
    room.cgroup_file       = limit;
    break;
  }
  return room;
}

std::optional<std::string> memory_problem(std::size_t devices, const MemoryRoom& room)
{
  const std::size_t needed = devices * DEVICE_BYTES_AT_LEAST;
  if (room.cgroup_room && needed > *room.cgroup_room)
    return fmt::format("they need at least {} of memory ({} KiB a device), and this process's memory cgroup has {} "
                       "left ({}): ask for more memory (e.g. sbatch --mem) or simulate fewer devices",
                       mib(needed), DEVICE_BYTES_AT_LEAST / 1024, mib(*room.cgroup_room), room.cgroup_file);
  if (room.available && needed > *room.available)
    return fmt::format("they need at least {} of memory ({} KiB a device), and this machine has {} available "
                       "(MemAvailable + SwapFree): simulate fewer devices, or on a larger machine",
                       mib(needed), DEVICE_BYTES_AT_LEAST / 1024, mib(*room.available));
  return std::nullopt;
}

} // namespace popex
