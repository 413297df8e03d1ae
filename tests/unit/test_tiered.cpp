// The three-tier model (device -> edge server -> cloud): its closed form against hand derivations, its reduction to
// the two-tier model, and the tiered partitioning graph's Dijkstra against the enumeration of every pair.
#include "config/dnn_loader.hpp"
#include "core/partition_graph.hpp"
#include "core/tiered_graph.hpp"
#include "model_fixtures.hpp"
#include "test_helpers.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

using namespace popex;

namespace {
using test::tiny3;

// gd = 10, ge = 2, q = 0.6; access B1 = 8 kbit/s, B1d = 80 kbit/s, L1 = 5 ms; backhaul B2 = 80 kbit/s,
// B2d = 800 kbit/s, L2 = 1 ms.
} // namespace

TEST(TieredTime, HandDerivedPairs)
{
  const Dnn d           = tiny3();
  const TieredParams p  = test::tiny3_tiered();
  // Access link at s1 (both ways): L1 + 8 a_s1/B1 + L1 + 8 r/B1d, with 8 r/B1d = 0.001:
  //   s1=0: 0.005 + 1 + 0.006 = 1.011; s1=1: 0.005 + 0.5 + 0.006 = 0.511; s1=2: 0.005 + 0.1 + 0.006 = 0.111.
  // Backhaul and cloud at s2: L2 + 8 a_s2/B2 + sum_{i>s2} t_i + L2 + 8 r/B2d, with 8 r/B2d = 0.0001:
  //   s2=0: 0.001 + 0.1 + 0.06 + 0.0011 = 0.1621; s2=1: 0.001 + 0.05 + 0.05 + 0.0011 = 0.1021;
  //   s2=2: 0.001 + 0.01 + 0.03 + 0.0011 = 0.0421.
  // Device: l1 + b1 = 10 x 0.011 = 0.11, then R = 0.4: l2 0.4 x 10 x 0.02 = 0.08, l3 0.12.
  // Edge server: l1 2 x 0.01 = 0.02, b1 0.002, l2 0.4 x 2 x 0.02 = 0.016, l3 0.4 x 2 x 0.03 = 0.024.
  EXPECT_NEAR(expected_time(d, p, 0, 0), 1.011 + 0.1621, 1e-12);                       // cloud-only, relayed
  EXPECT_NEAR(expected_time(d, p, 0, 3), 1.011 + 0.02 + 0.002 + 0.016 + 0.024, 1e-12); // all on the edge server
  EXPECT_NEAR(expected_time(d, p, 1, 1), 0.11 + 0.4 * 0.511 + 0.4 * 0.1021, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 1, 2), 0.11 + 0.4 * 0.511 + 0.016 + 0.4 * 0.0421, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 2, 2), 0.19 + 0.4 * 0.111 + 0.4 * 0.0421, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 3, 3), 0.31, 1e-12); // device-only
  const TieredChoice best = brute_force_split(d, p);
  EXPECT_EQ(best.device_split, 2U);
  EXPECT_EQ(best.edge_split, 2U);
  EXPECT_NEAR(best.expected_time_s, 0.25124, 1e-12);
  TieredPartitionGraph g(d);
  const TieredChoice dij = g.solve(p);
  EXPECT_EQ(dij.device_split, 2U);
  EXPECT_EQ(dij.edge_split, 2U);
  EXPECT_NEAR(dij.expected_time_s, 0.25124, 1e-12);
}

TEST(TieredTime, WaitsAndOverheadArePaidWhereTheyHappen)
{
  // The edge server's wait w_e is paid by the samples it computes for (s1 < s2), not by relayed ones; the cloud's
  // w_c by those that reach the cloud; the offload overhead o once, by every sample leaving the device.
  const Dnn d         = tiny3();
  TieredParams p      = test::tiny3_tiered();
  const double base12 = expected_time(d, p, 1, 2);
  const double base11 = expected_time(d, p, 1, 1);
  const double base13 = expected_time(d, p, 1, 3);
  p.server.wait_s            = 0.5;
  p.device.cloud_wait_s      = 0.25;
  p.device.offload_overhead_s = 0.125;
  EXPECT_NEAR(expected_time(d, p, 1, 2), base12 + 0.4 * (0.5 + 0.25 + 0.125), 1e-12);
  EXPECT_NEAR(expected_time(d, p, 1, 1), base11 + 0.4 * (0.25 + 0.125), 1e-12);
  EXPECT_NEAR(expected_time(d, p, 1, 3), base13 + 0.4 * (0.5 + 0.125), 1e-12);
  EXPECT_NEAR(expected_time(d, p, 3, 3), 0.31, 1e-12);
}

TEST(TieredTime, ReducesToTheTwoTierModel)
{
  // s1 = s2, an infinitely fast zero-latency backhaul and gamma_e = 1: exactly the two-tier E[T(s)].
  const Dnn d    = tiny3();
  TieredParams p = test::tiny3_tiered();
  p.server.gamma    = 1;
  p.server.backhaul = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), 0, 0};
  for (std::size_t s = 0; s <= 3; ++s)
    EXPECT_NEAR(expected_time(d, p, s, s), expected_time(d, p.device, s), 1e-12) << s;
}

TEST(TieredTime, ExpectedTimesFollowPairIndex)
{
  const Dnn d          = tiny3();
  const TieredParams p = test::tiny3_tiered();
  const auto all       = expected_times(d, p);
  ASSERT_EQ(all.size(), 10U); // (N+1)(N+2)/2 pairs for N = 3
  std::size_t i = 0;
  for (std::size_t s1 = 0; s1 <= 3; ++s1)
    for (std::size_t s2 = s1; s2 <= 3; ++s2, ++i) {
      EXPECT_EQ(pair_index(3, s1, s2), i);
      EXPECT_NEAR(all[i], expected_time(d, p, s1, s2), 1e-12);
    }
}

TEST(TieredGraph, ShapeIsLinearInTheLayers)
{
  // 3 layers, one branch: input, out; device L1 B1 L2 L3 (4); A0 A1 A2 (3); server L1 B1 L2 L3 (4) = 13 vertices.
  // Edges: device chain 4; server chain 4 + entries 3 - 1 (layer 1 only from A0; layer i from A_{i-1} and E_{i-1})
  // = 2 + ... counted below: leave-device 4, relays 3, leave-server 3.
  const Dnn d = tiny3();
  TieredPartitionGraph g(d);
  EXPECT_EQ(g.vertex_count(), 13U);
  // device chain 4, server layers from E 2 + server branch 1, server entries 3, leave device 4, relay 3, leave
  // server 3 = 20.
  EXPECT_EQ(g.edge_count(), 20U);
}

namespace {
using test::random_dnn;
using test::random_profile;

TieredParams random_params(const Dnn& d, std::mt19937_64& rng)
{
  std::uniform_real_distribution<double> u(0.0, 1.0);
  TieredParams p;
  p.device.gamma     = std::pow(10.0, 3 * u(rng));
  p.server.gamma     = std::pow(10.0, 2 * u(rng) - 1); // 0.1 .. 10
  const double up    = 1e5 * std::pow(1000.0, u(rng));
  const double bh    = 1e6 * std::pow(1000.0, u(rng));
  p.device.link      = {up, up * (1 + 9 * u(rng)), 0.05 * u(rng), 0.05 * u(rng)};
  p.server.backhaul  = {bh, bh * (1 + 9 * u(rng)), 0.05 * u(rng), 0.05 * u(rng)};
  for (std::size_t k = 0; k < d.branch_count(); ++k) {
    const double r = u(rng);
    p.device.exit_probs.push_back(r < 0.1 ? 0.0 : r > 0.9 ? 1.0 : u(rng));
  }
  if (u(rng) < 0.5)
    p.device.edge_profile = random_profile(d, rng);
  if (u(rng) < 0.5)
    p.server.profile = random_profile(d, rng);
  if (u(rng) < 0.5) {
    p.device.link.protocol_overhead = p.server.backhaul.protocol_overhead = 1 + 0.1 * u(rng);
    p.device.offload_overhead_s = 0.02 * u(rng);
    p.server.wait_s             = 0.1 * u(rng);
    p.device.cloud_wait_s       = 0.1 * u(rng);
  }
  return p;
}

void expect_optimal(const Dnn& d, const TieredParams& p, const TieredChoice& dij, const TieredChoice& ref,
                    const std::string& what)
{
  ASSERT_LE(dij.device_split, dij.edge_split) << what;
  ASSERT_NEAR(dij.expected_time_s, ref.expected_time_s, 1e-12 * ref.expected_time_s) << what;
  // The pair must match unless two pairs are equal to rounding: then both are optimal.
  ASSERT_NEAR(expected_time(d, p, dij.device_split, dij.edge_split), ref.expected_time_s, 1e-12 * ref.expected_time_s)
      << what;
}
} // namespace

TEST(TieredGraph, DijkstraEqualsBruteForceOnRandomDnns)
{
  std::mt19937_64 rng(20240);
  for (int trial = 0; trial < 2000; ++trial) {
    const Dnn d = random_dnn(rng);
    TieredPartitionGraph g(d);
    for (int rep = 0; rep < 3; ++rep) {
      const TieredParams p = random_params(d, rng);
      expect_optimal(d, p, g.solve(p), brute_force_split(d, p), fmt::format("trial {} rep {}", trial, rep));
    }
  }
}

TEST(TieredGraph, AllowedEdgeSplitsRestrictTheChoiceExactly)
{
  // A random allowed set of s2 (as an accuracy target gives): Dijkstra equals the enumeration over allowed pairs.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 500; ++trial) {
    const Dnn d = random_dnn(rng);
    TieredPartitionGraph g(d);
    const TieredParams p = random_params(d, rng);
    const std::size_t n  = d.layer_count();
    std::vector<bool> allowed(n + 1);
    for (std::size_t s = 0; s <= n; ++s)
      allowed[s] = u(rng) < 0.5;
    std::optional<TieredChoice> ref;
    for (std::size_t s1 = 0; s1 <= n; ++s1)
      for (std::size_t s2 = s1; s2 <= n; ++s2)
        if (allowed[s2] && (!ref || expected_time(d, p, s1, s2) < ref->expected_time_s))
          ref = TieredChoice{s1, s2, expected_time(d, p, s1, s2)};
    const auto dij = g.solve(p, allowed);
    ASSERT_EQ(dij.has_value(), ref.has_value()) << trial;
    if (ref) {
      ASSERT_TRUE(allowed[dij->edge_split]) << trial;
      expect_optimal(d, p, *dij, *ref, fmt::format("trial {}", trial));
    }
  }
}

TEST(TieredGraph, DijkstraEqualsBruteForceOnTheShippedDnns)
{
  for (const char* f : {"workloads/dnn/b-alexnet.yaml", "workloads/dnn/mobilenetv2-3b.yaml"}) {
    const Workload w = load_workload(source_path(f));
    TieredPartitionGraph g(w.dnn);
    std::size_t checked = 0;
    for (const auto& [name, model] : w.variants)
      for (const double t : model->grid())
        for (const double gd : {1.0, 10.0, 100.0})
          for (const double ge : {0.5, 1.0, 5.0})
            for (const double up : {1.1e6, 5.5e6, 18.8e6})
              for (const double bh : {10e6, 1e9}) {
                TieredParams p;
                p.device.gamma      = gd;
                p.server.gamma      = ge;
                p.device.link       = {up, up, 0.01, 0.01};
                p.server.backhaul   = {bh, bh, 0.005, 0.005};
                p.device.exit_probs = model->at(t).exit_probs;
                expect_optimal(w.dnn, p, g.solve(p), brute_force_split(w.dnn, p), fmt::format("{} {}", f, name));
                ++checked;
              }
    EXPECT_GT(checked, 100U) << f;
  }
}
