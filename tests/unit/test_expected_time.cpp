#include "core/expected_time.hpp"
#include "model_fixtures.hpp"

#include <gtest/gtest.h>

using namespace popex;

namespace {
using test::tiny3;

ModelParams params(double q, double latency_s)
{
  ModelParams p;
  p.gamma      = 10;
  p.link       = {8000, 80000, latency_s, latency_s}; // B = 8 kbit/s = 1000 B/s, Bd = 10x
  p.exit_probs = {q};
  return p;
}
} // namespace

TEST(ExpectedTime, HandDerivedThreeLayers)
{
  const Dnn d           = tiny3();
  const ModelParams p   = params(0.6, 0.005);
  // Offload tail after split s: Lu + 8 a_s/B + sum_{i>s} t_i + Ld + 8 r/Bd, with 8r/Bd = 80/80000 = 0.001.
  // s=0: 0.005 + 1.0 + 0.06 + 0.005 + 0.001                                 = 1.071
  // s=1: edge 10*0.01 + 10*0.001 = 0.11; R=0.4; tail 0.005+0.5+0.05+0.006   -> 0.11 + 0.4*0.561 = 0.3344
  // s=2: 0.11 + 0.4*10*0.02 = 0.19; tail 0.005+0.1+0.03+0.006 = 0.141       -> 0.19 + 0.4*0.141 = 0.2464
  // s=3: 0.19 + 0.4*10*0.03 = 0.31 (edge-only: no transfer)
  EXPECT_NEAR(expected_time(d, p, 0), 1.071, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 1), 0.3344, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 2), 0.2464, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 3), 0.31, 1e-12);
  const auto all = expected_times(d, p);
  for (std::size_t s = 0; s <= 3; ++s)
    EXPECT_DOUBLE_EQ(all[s], expected_time(d, p, s));
  const SplitChoice best = brute_force_split(d, p);
  EXPECT_EQ(best.split, 2u);
  EXPECT_NEAR(best.expected_time_s, 0.2464, 1e-12);
}

TEST(ExpectedTime, MeasuredEdgeProfileAndOffloadOverheads)
{
  // tiny3 with measured edge times e = (0.2, 0.05, 0.1) s and eb = 0.004 s, gamma 2, q = 0.6, no latency;
  // protocol overhead f = 1.25 on every transfer, offload overhead o = 0.1 s.
  const Dnn d   = tiny3();
  ModelParams p = params(0.6, 0);
  p.gamma       = 2;
  p.edge_profile = std::make_shared<EdgeProfile>(EdgeProfile{"dev", {0.2, 0.05, 0.1}, {0.004}});
  p.link.protocol_overhead = 1.25;
  p.offload_overhead_s     = 0.1;
  // Offload tail after s: o + 8 f a_s/B + sum_{i>s} t_i + 8 f r/Bd, with 8 f r/Bd = 100/80000 = 0.00125.
  // s=0: 0.1 + 1.25 + 0.06 + 0.00125                               = 1.41125
  // s=1: edge 2*0.2 + 2*0.004 = 0.408; R = 0.4; tail 0.1 + 0.625 + 0.05 + 0.00125 = 0.77625 -> 0.408 + 0.3105
  // s=2: 0.408 + 0.4*2*0.05 = 0.448; tail 0.1 + 0.125 + 0.03 + 0.00125 = 0.25625          -> 0.448 + 0.1025
  // s=3: 0.448 + 0.4*2*0.1 = 0.528 (edge-only: no transfer, no overhead)
  EXPECT_NEAR(expected_time(d, p, 0), 1.41125, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 1), 0.7185, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 2), 0.5505, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 3), 0.528, 1e-12);
  EXPECT_EQ(brute_force_split(d, p).split, 3u);
}

TEST(ExpectedTime, NoOverheadIsBitIdenticalToThePapersFormula)
{
  // f = 1 and o = 0 must not change a single bit: two-tier results stay byte-identical.
  const Dnn d         = tiny3();
  const ModelParams p = params(0.37, 0.0123);
  const LinkParams& l = p.link;
  const double tail0  = l.uplink_latency_s + 8.0 * d.split_bytes(0) / l.uplink_bps + d.cloud_suffix_s(0) +
                       l.downlink_latency_s + 8.0 * d.result_bytes() / l.downlink_bps;
  EXPECT_EQ(expected_time(d, p, 0), tail0);
}

TEST(ExpectedTime, OffloadProbability)
{
  const Dnn d = tiny3();
  // R_0 = 1 (no branch runs); R_1 = R_2 = 1 - q; R_3 = 0 by the CSV contract (nothing is offloaded).
  EXPECT_DOUBLE_EQ(offload_prob(d, {0.25}, 0), 1.0);
  EXPECT_DOUBLE_EQ(offload_prob(d, {0.25}, 1), 0.75);
  EXPECT_DOUBLE_EQ(offload_prob(d, {0.25}, 2), 0.75);
  EXPECT_DOUBLE_EQ(offload_prob(d, {0.25}, 3), 0.0);
}

TEST(ExpectedTime, CertainExitMakesEveryLaterSplitTie)
{
  // q = 1: nothing passes b1, so every split s >= 1 costs exactly the edge time up to b1: 0.11 s.
  const Dnn d = tiny3();
  for (std::size_t s = 1; s <= 3; ++s)
    EXPECT_DOUBLE_EQ(expected_time(d, params(1.0, 0), s), 0.11);
  EXPECT_EQ(brute_force_split(d, params(1.0, 0)).split, 1u); // ties go to the smallest s
}

TEST(ExpectedTime, NoBranchIsNeurosurgeonsModel)
{
  // Without branches E[T(s)] = gamma sum_{i<=s} t_i + 8 a_s/B + sum_{i>s} t_i (latency 0, r = 0).
  const Dnn d = Dnn("plain", 1000, 0, {{"l1", 0.01, 500}, {"l2", 0.02, 100}}, {});
  ModelParams p;
  p.gamma = 2;
  p.link  = {8000, 8000, 0, 0};
  EXPECT_NEAR(expected_time(d, p, 0), 1.0 + 0.03, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 1), 0.02 + 0.5 + 0.02, 1e-12);
  EXPECT_NEAR(expected_time(d, p, 2), 0.06, 1e-12);
}

TEST(ExpectedTime, CloudWaitIsPaidByOffloadedImagesOnly)
{
  const Dnn d     = tiny3();
  ModelParams p   = params(0.6, 0);
  const double t1 = expected_time(d, p, 1);
  p.cloud_wait_s  = 0.5;
  EXPECT_NEAR(expected_time(d, p, 1) - t1, 0.4 * 0.5, 1e-12); // R_1 * wait
  EXPECT_NEAR(expected_time(d, p, 3), 0.31, 1e-12);           // edge-only never waits
}
