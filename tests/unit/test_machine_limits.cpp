#include "simulation/machine_limits.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace popex {
namespace {

std::size_t max_map_count()
{
  std::ifstream f("/proc/sys/vm/max_map_count");
  std::size_t n = 0;
  f >> n;
  return n;
}

TEST(MachineLimits, ActorsAreDevicesServersWorkersAndDrivers)
{
  Scenario sc;
  sc.cloud_slots = 4;
  // 10 devices + the cloud and its 4 workers + 0 edge servers + the bottleneck driver slot and the exit schedule.
  EXPECT_EQ(actors_needed(sc, 10, 0), 10u + 1 + 4 + 0 + 2);
  sc.edge_server        = EdgeServerConfig{};
  sc.edge_server->slots = 3;
  // Two edge servers, each with 3 workers, a relay and a backhaul driver: 2 x (3 + 3), plus one bottleneck each.
  EXPECT_EQ(actors_needed(sc, 10, 2), 10u + 1 + 4 + 2 * 6 + 2 + 2);
}

TEST(MachineLimits, ActorsThatExceedTheMappingLimitAreNamedWithTheFix)
{
  const std::size_t limit = max_map_count();
  if (limit == 0)
    GTEST_SKIP() << "/proc/sys/vm/max_map_count cannot be read here";
  EXPECT_FALSE(mapping_problem(100, 1).has_value()); // 200 mappings fit any default limit (65,530)
  // Each actor with a guard page takes 2 mappings: limit / 2 + 1 actors cannot fit, whatever else is mapped.
  const auto guarded = mapping_problem(limit / 2 + 1, 1);
  ASSERT_TRUE(guarded.has_value());
  EXPECT_NE(guarded->find("vm.max_map_count = " + std::to_string(limit)), std::string::npos) << *guarded;
  EXPECT_NE(guarded->find("contexts/guard-size:0"), std::string::npos) << *guarded;
  // Without guard pages it is one mapping each (this process maps far fewer than limit / 2 itself), and turning
  // them off is no longer offered.
  EXPECT_FALSE(mapping_problem(limit / 2 + 1, 0).has_value());
  const auto unguarded = mapping_problem(limit + 1, 0);
  ASSERT_TRUE(unguarded.has_value());
  EXPECT_EQ(unguarded->find("guard-size"), std::string::npos) << *unguarded;
}


TEST(MachineLimits, StacksBeyondTheAddressSpaceLimitAreNamedWithTheFix)
{
  constexpr std::size_t MiB = 1024 * 1024;
  // No limit (ulimit -v unlimited): nothing to check.
  EXPECT_FALSE(address_space_problem(100000, 8 * MiB, 4096, std::nullopt, 0).has_value());
  // 1103 actors x (8 MiB + one 4 KiB guard page) + 500 MiB already mapped = 9,781,440,512 B: over 4 GiB, which
  // leaves 3,770,679,296 B for stacks; three quarters of it over 1103 actors is 2,503 KiB, offered as 1024 (the cap).
  const auto over = address_space_problem(1103, 8 * MiB, 4096, 4096 * MiB, 500 * MiB);
  ASSERT_TRUE(over.has_value());
  EXPECT_NE(over->find("1103 actors reserve about 9.8 GB"), std::string::npos) << *over;
  EXPECT_NE(over->find("limit of 4.3 GB (ulimit -v)"), std::string::npos) << *over;
  EXPECT_NE(over->find("--cfg=contexts/stack-size:1024"), std::string::npos) << *over;
  // 1 MiB stacks fit: 1103 x (1 MiB + 4 KiB) + 500 MiB = 1.69 GB.
  EXPECT_FALSE(address_space_problem(1103, MiB, 4096, 4096 * MiB, 500 * MiB).has_value());
  // No room left for even 64 KiB stacks: only raising the limit is offered.
  const auto full = address_space_problem(100000, 8 * MiB, 0, 600 * MiB, 500 * MiB);
  ASSERT_TRUE(full.has_value());
  EXPECT_EQ(full->find("stack-size:"), std::string::npos) << *full;
}

TEST(MachineLimits, DevicesBeyondTheMemoryThereIsAreNamedWithTheFix)
{
  // 12 KiB a device at least: 10,000 devices need 122,880,000 B, "123 MB".
  MemoryRoom room;
  EXPECT_FALSE(memory_problem(10000, room).has_value()); // nothing known: nothing refused
  room.available = 24'000'000'000;
  EXPECT_FALSE(memory_problem(10000, room).has_value());
  room.cgroup_room = 111'000'000;
  room.cgroup_file = "/sys/fs/cgroup/memory/job/memory.limit_in_bytes";
  const auto cgroup = memory_problem(10000, room);
  ASSERT_TRUE(cgroup.has_value());
  EXPECT_NE(cgroup->find("at least 123 MB of memory (12 KiB a device)"), std::string::npos) << *cgroup;
  EXPECT_NE(cgroup->find("has 111 MB left (" + room.cgroup_file + ")"), std::string::npos) << *cgroup;
  EXPECT_NE(cgroup->find("sbatch --mem"), std::string::npos) << *cgroup;
  EXPECT_FALSE(memory_problem(9000, room).has_value()); // 110.6 MB fit in 111 MB
  room.cgroup_room.reset();
  room.available = 100'000'000;
  const auto machine = memory_problem(10000, room);
  ASSERT_TRUE(machine.has_value());
  EXPECT_NE(machine->find("this machine has 100 MB available"), std::string::npos) << *machine;
}

TEST(MachineLimits, ThisMachinesMemoryCanBeRead)
{
  // Linux has had MemAvailable since 3.14: the check is never blind here.
  const MemoryRoom room = memory_room();
  ASSERT_TRUE(room.available.has_value());
  EXPECT_GT(*room.available, 0U);
}

} // namespace
} // namespace popex
