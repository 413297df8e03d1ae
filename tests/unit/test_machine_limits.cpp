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

} // namespace
} // namespace popex
