#include "core/expected_time.hpp"
#include "config/dnn_loader.hpp"
#include "core/partition_graph.hpp"
#include "model_fixtures.hpp"
#include "test_helpers.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <random>

using namespace popex;

namespace {
using test::random_dnn;

ModelParams random_params(const Dnn& d, std::mt19937_64& rng)
{
  std::uniform_real_distribution<double> u(0.0, 1.0);
  ModelParams p;
  p.gamma              = std::pow(10.0, 3 * u(rng));      // 1..1000
  const double up      = 1e5 * std::pow(1000.0, u(rng)); // 100 kbit/s .. 100 Mbit/s
  p.link               = {up, up * (1 + 9 * u(rng)), 0.1 * u(rng), 0.1 * u(rng)};
  for (std::size_t k = 0; k < d.branch_count(); ++k) {
    const double r = u(rng);
    p.exit_probs.push_back(r < 0.1 ? 0.0 : r > 0.9 ? 1.0 : u(rng)); // exact 0 and 1 exercise the ties
  }
  if (u(rng) < 0.5)
    p.edge_profile = test::random_profile(d, rng);
  if (u(rng) < 0.5) {
    p.link.protocol_overhead = 1 + 0.1 * u(rng);
    p.offload_overhead_s     = 0.05 * u(rng);
  }
  return p;
}
} // namespace

TEST(PartitionGraph, ShapeOfTheSbrcExample)
{
  // SBRC Fig. 2: 3 layers and one branch b1 after v1 -> input, v1, b1, v2, v3, output = 6 vertices;
  // chain edges input-v1, v1-b1, b1-v2, v2-v3 (4) plus one offload edge per split s = 0..3 (4).
  const Dnn d("fig2", 10, 0, {{"v1", 1, 1}, {"v2", 1, 1}, {"v3", 1, 1}}, {{"b1", 1, 0.1}});
  PartitionGraph g(d);
  EXPECT_EQ(g.vertex_count(), 6u);
  EXPECT_EQ(g.edge_count(), 8u);
}

TEST(PartitionGraph, DijkstraEqualsBruteForceOnRandomDnns)
{
  std::mt19937_64 rng(20211);
  for (int trial = 0; trial < 2000; ++trial) {
    const Dnn d = random_dnn(rng, 30);
    PartitionGraph g(d);
    for (int rep = 0; rep < 3; ++rep) { // the same graph, re-weighted
      const ModelParams p    = random_params(d, rng);
      const SplitChoice dij  = g.solve(p);
      const SplitChoice ref  = brute_force_split(d, p);
      ASSERT_NEAR(dij.expected_time_s, ref.expected_time_s, 1e-12 * ref.expected_time_s) << "trial " << trial;
      // The split must match unless two splits are equal to rounding: then both are optimal.
      if (dij.split != ref.split) {
        ASSERT_NEAR(expected_time(d, p, dij.split), ref.expected_time_s, 1e-12 * ref.expected_time_s);
      }
      ASSERT_NEAR(expected_time(d, p, dij.split), dij.expected_time_s, 1e-12 * dij.expected_time_s);
    }
  }
}

TEST(PartitionGraph, TiesGoToTheSmallestSplit)
{
  // q = 1 at b1 (after l1): splits 1, 2, 3 all cost gamma (t1 + tb1) = 10 * 0.011 = 0.11 s exactly.
  const Dnn d("tiny3", 1000, 0, {{"l1", 0.01, 500}, {"l2", 0.02, 100}, {"l3", 0.03, 10}}, {{"b1", 1, 0.001}});
  PartitionGraph g(d);
  ModelParams p;
  p.gamma      = 10;
  p.link       = {8000, 8000, 0, 0};
  p.exit_probs = {1.0};
  const SplitChoice c = g.solve(p);
  EXPECT_EQ(c.split, 1u);
  EXPECT_DOUBLE_EQ(c.expected_time_s, 0.11);
}

TEST(PartitionGraph, AllowedSplitsRestrictTheChoice)
{
  const Dnn d("tiny3", 1000, 0, {{"l1", 0.01, 500}, {"l2", 0.02, 100}, {"l3", 0.03, 10}}, {{"b1", 1, 0.001}});
  PartitionGraph g(d);
  ModelParams p;
  p.gamma      = 10;
  p.link       = {8000, 8000, 0, 0};
  p.exit_probs = {0.6};
  // Unconstrained: s=2 (0.242 s, see test_expected_time). Without s=2, the next best is s=3: 0.31 s.
  EXPECT_EQ(g.solve(p).split, 2u);
  const auto c = g.solve(p, {true, true, false, true});
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->split, 3u);
  EXPECT_NEAR(c->expected_time_s, 0.31, 1e-12);
  EXPECT_FALSE(g.solve(p, {false, false, false, false}).has_value());
}

TEST(PartitionGraph, DijkstraEqualsBruteForceOnTheShippedDnns)
{
  // Every shipped workload, every exit variant, every table threshold, over gamma x uplink x latency.
  for (const char* f : {"workloads/dnn/b-alexnet.yaml", "workloads/dnn/mobilenetv2-3b.yaml",
                        "workloads/dnn/mobilenetv2-2b.yaml", "workloads/dnn/mobilenetv2-1b.yaml"}) {
    const Workload w = load_workload(source_path(f));
    PartitionGraph g(w.dnn);
    std::size_t checked = 0;
    for (const auto& [name, model] : w.variants)
      for (const double t : model->grid())
        for (const double gamma : {1.0, 10.0, 100.0, 1000.0})
          for (const double up : {1.1e6, 5.5e6, 18.8e6})
            for (const double lat : {0.0, 0.05}) {
              ModelParams p;
              p.gamma              = gamma;
              p.link               = {up, up, lat, lat};
              p.exit_probs         = model->at(t).exit_probs;
              const SplitChoice d  = g.solve(p);
              const SplitChoice bf = brute_force_split(w.dnn, p);
              ASSERT_NEAR(d.expected_time_s, bf.expected_time_s, 1e-12 * bf.expected_time_s) << f << " " << name;
              ASSERT_NEAR(expected_time(w.dnn, p, d.split), bf.expected_time_s, 1e-12 * bf.expected_time_s);
              ++checked;
            }
    EXPECT_GT(checked, 100u) << f;
  }
}
