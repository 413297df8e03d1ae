// POPEX's Update Box and Decision Maker, without an engine: the rate estimators, the exit-probability estimator,
// the queueing estimates, the hysteresis, the policies as strategies, and the outcome sampler.
#include "core/decision_maker.hpp"
#include "core/image_outcome.hpp"
#include "core/policy.hpp"
#include "core/update_box.hpp"
#include "model_fixtures.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace popex;

TEST(RateEstimators, LastEwmaAndHarmonic)
{
  LastEstimator last;
  EXPECT_FALSE(last.estimate().has_value());
  last.add_sample(4e6);
  last.add_sample(2e6);
  EXPECT_EQ(*last.estimate(), 2e6);

  // EWMA with alpha 0.25: starts at the first sample, then e <- 0.25 x + 0.75 e: 8, then 0.25 x 4 + 0.75 x 8 = 7.
  EwmaEstimator ewma(0.25);
  ewma.add_sample(8e6);
  EXPECT_EQ(*ewma.estimate(), 8e6);
  ewma.add_sample(4e6);
  EXPECT_DOUBLE_EQ(*ewma.estimate(), 7e6);

  // Harmonic mean of the last 3: 3 / (1/1 + 1/2 + 1/4) = 12/7 Mbit/s, then the oldest sample leaves the window.
  HarmonicEstimator h(3);
  for (const double s : {1e6, 2e6, 4e6})
    h.add_sample(s);
  EXPECT_NEAR(*h.estimate(), 12e6 / 7, 1e-6);
  h.add_sample(4e6); // window: 2, 4, 4 -> 3 / (1/2 + 1/4 + 1/4) = 3
  EXPECT_NEAR(*h.estimate(), 3e6, 1e-6);
  h.add_sample(0); // a stalled transfer dominates a harmonic mean
  EXPECT_EQ(*h.estimate(), 0.0);
}

TEST(RateEstimators, FactoryFollowsTheConfiguration)
{
  EstimatorConfig c;
  c.kind  = EstimatorKind::EWMA;
  c.alpha = 0.5;
  auto e  = make_rate_estimator(c);
  e->add_sample(2);
  e->add_sample(4);
  EXPECT_DOUBLE_EQ(*e->estimate(), 3); // 0.5 x 4 + 0.5 x 2
  c.kind   = EstimatorKind::HARMONIC;
  c.window = 1;
  e        = make_rate_estimator(c);
  e->add_sample(2);
  e->add_sample(4);
  EXPECT_DOUBLE_EQ(*e->estimate(), 4); // a window of one: the last sample
}

TEST(ExitProbEstimator, PriorUntilEnoughSamplesThenAWindow)
{
  ExitProbEstimator q({0.5, 0.25}, 4, 3);
  q.observe(0, true);
  q.observe(0, false);
  EXPECT_EQ(q.estimate(), (std::vector<double>{0.5, 0.25})); // 2 < 3 samples: the prior
  q.observe(0, true);
  EXPECT_DOUBLE_EQ(q.estimate()[0], 2.0 / 3);
  q.observe(0, true);
  q.observe(0, true); // the window keeps the last 4: false, true, true, true
  EXPECT_DOUBLE_EQ(q.estimate()[0], 0.75);
  EXPECT_DOUBLE_EQ(q.estimate()[1], 0.25); // branch 1 never observed
}

TEST(WaitEstimator, EwmaFromZero)
{
  WaitEstimator w;
  w.add_sample(1.0);
  EXPECT_DOUBLE_EQ(w.estimate(), 0.2);
  w.add_sample(1.0);
  EXPECT_DOUBLE_EQ(w.estimate(), 0.36); // 0.2 + 0.8 x 0.2
}

namespace {
using test::tiny3;

} // namespace

TEST(UpdateBox, EstimatesComeFromMeasurementsAndResultReports)
{
  EstimatorConfig c;
  c.kind         = EstimatorKind::LAST;
  c.probe_idle_s = 5;
  UpdateBox box(c, test::tiny3_tiered());
  Policy dynamic;
  dynamic.kind = PolicyKind::DYNAMIC;
  // Nothing measured: the initial parameters.
  EXPECT_EQ(box.estimate(dynamic).device.link.uplink_bps, 8000);
  EXPECT_TRUE(box.probe_due(5.0));
  box.access_sample(16000.0, 3.0);
  EXPECT_EQ(box.estimate(dynamic).device.link.uplink_bps, 16000);
  EXPECT_FALSE(box.probe_due(7.9));
  EXPECT_TRUE(box.probe_due(8.0));
  box.access_sample(std::nullopt, 9.0); // a transfer too short to measure still resets the idle time
  EXPECT_FALSE(box.probe_due(13.9));
  // A result that reached the cloud through the edge server: queueing at both, the backhaul's rate, and the
  // branch the edge server ran (b1, not taken).
  ResultReport r;
  r.reached_cloud             = true;
  r.cloud_wait_s              = 1.0;
  r.computed_on_edge_server   = true;
  r.edge_wait_s               = 0.5;
  r.backhaul_bps              = 40000;
  r.first_server_branch       = 0;
  r.server_branches_evaluated = 1;
  box.result(r);
  const TieredParams e = box.estimate(dynamic);
  EXPECT_EQ(e.server.backhaul.uplink_bps, 40000);
  EXPECT_EQ(e.device.cloud_wait_s, 0.0); // only load-aware adds the waits
  EXPECT_EQ(e.server.wait_s, 0.0);
  Policy load_aware;
  load_aware.kind        = PolicyKind::LOAD_AWARE;
  const TieredParams la = box.estimate(load_aware);
  EXPECT_DOUBLE_EQ(la.device.cloud_wait_s, 0.2); // EWMA from 0 with weight 0.2
  EXPECT_DOUBLE_EQ(la.server.wait_s, 0.1);
  Policy neurosurgeon;
  neurosurgeon.kind = PolicyKind::NEUROSURGEON;
  EXPECT_EQ(box.estimate(neurosurgeon).device.exit_probs, (std::vector<double>{0.0})); // exit-unaware
  EXPECT_EQ(box.estimate(dynamic, 1234.0).device.link.uplink_bps, 1234.0);            // an oracle's true rate
}

TEST(Policy, FixedChoicesAndWhatEachKnows)
{
  Policy p;
  p.kind = PolicyKind::EDGE_ONLY;
  EXPECT_EQ(p.fixed_choice(8, false)->device_split, 8U); // two tiers: everything on the edge device
  EXPECT_EQ(p.fixed_choice(8, true)->device_split, 0U);  // three: everything on the edge server
  EXPECT_EQ(p.fixed_choice(8, true)->edge_split, 8U);
  p.kind = PolicyKind::DEVICE_ONLY;
  EXPECT_EQ(p.fixed_choice(8, true)->edge_split, 8U);
  p.kind             = PolicyKind::FIXED;
  p.fixed_split      = 2;
  p.fixed_edge_split = 5;
  EXPECT_EQ(p.fixed_choice(8, true)->edge_split, 5U);
  EXPECT_EQ(p.fixed_choice(8, false)->edge_split, 2U);
  p.kind = PolicyKind::DYNAMIC;
  EXPECT_FALSE(p.fixed_choice(8, true).has_value());
  EXPECT_TRUE(p.periodic());
  EXPECT_TRUE(p.exit_aware());
  p.kind = PolicyKind::NEUROSURGEON;
  EXPECT_FALSE(p.exit_aware());
  EXPECT_TRUE(p.periodic());
  p.kind = PolicyKind::ORACLE;
  EXPECT_FALSE(p.periodic());
  EXPECT_TRUE(p.oracle());
}

TEST(Policy, NeurosurgeonDecidesBlindAndIsEvaluatedWithTheTrueExits)
{
  // tiny3, two tiers, gamma 10, B = 80 kbit/s, Bd = 80 kbit/s, L = 5 ms. As if q = 0: T(0) = 0.005 + 0.1 + 0.06
  // + 0.006 = 0.171 is the best (T(1) = 0.11 + 0.111 = 0.221). With q = 0.6: T(1) = 0.11 + 0.4 x 0.111 = 0.1544
  // is the best, and the blind choice, split 0, still costs 0.171.
  const Dnn d = tiny3();
  PartitionGraph g(d);
  ModelParams mp     = test::tiny3_tiered().device;
  mp.link.uplink_bps = 80000;
  Policy p;
  p.kind               = PolicyKind::NEUROSURGEON;
  const TieredChoice c = policy_choice(p, d, g, mp);
  EXPECT_EQ(c.device_split, 0U);
  EXPECT_NEAR(c.expected_time_s, 0.171, 1e-12);
  p.kind                = PolicyKind::STATIC;
  const TieredChoice st = policy_choice(p, d, g, mp);
  EXPECT_EQ(st.device_split, 1U);
  EXPECT_NEAR(st.expected_time_s, 0.1544, 1e-12);
}

TEST(DecisionMaker, HysteresisKeepsTheSplitUnlessTheGainIsLarge)
{
  // tiny3, two tiers at gamma 10, q = 0.6: at B = 8 kbit/s the best split is 2 (0.2464 s). At B = 80 kbit/s the
  // best is 1 (0.1544 s), and staying at 2 costs 0.11 + 0.4 x 0.2 + 0.4 x 0.051 = 0.2104 s: a gain of 26.6 %.
  const Dnn d   = tiny3();
  ModelParams p = test::tiny3_tiered().device;
  DecisionMaker strict(d, false, 30.0);
  const Decision first = strict.decide(p);
  EXPECT_EQ(first.split, 2U);
  EXPECT_TRUE(first.changed);
  p.link.uplink_bps   = 80000;
  const Decision kept = strict.decide(p);
  EXPECT_EQ(kept.split, 2U); // 26.6 % < 30 %
  EXPECT_FALSE(kept.changed);
  EXPECT_NEAR(kept.expected_time_s, 0.2104, 1e-12);
  DecisionMaker loose(d, false, 20.0);
  p.link.uplink_bps = 8000;
  loose.decide(p);
  p.link.uplink_bps    = 80000;
  const Decision moved = loose.decide(p);
  EXPECT_EQ(moved.split, 1U);
  EXPECT_TRUE(moved.changed);
  EXPECT_NEAR(moved.expected_time_s, 0.1544, 1e-12);
  EXPECT_FALSE(loose.decide(p).changed); // the same inputs again
}

TEST(DecisionMaker, MakersSharingGraphsDecideAsWithTheirOwn)
{
  // A simulation's agents share one SplitGraphs. Each solve rewrites every weight, so nothing of one maker's inputs
  // leaks into the other's decision: tiny3 at gamma 10, q = 0.6 chooses split 2 (0.2464 s) at B = 8 kbit/s and
  // split 1 (0.1544 s) at 80 kbit/s (HysteresisKeepsTheSplitUnlessTheGainIsLarge), whichever decided last; three
  // tiers, the pair (2, 2) at 0.25124 s (ThreeTiersDecideBothSplits) between two-tier decisions on the same graphs.
  const Dnn d        = tiny3();
  const auto shared  = std::make_shared<SplitGraphs>(d, true);
  ModelParams slow   = test::tiny3_tiered().device;
  ModelParams fast   = slow;
  fast.link.uplink_bps = 80000;
  DecisionMaker a(shared), b(shared);
  for (int round = 0; round < 3; ++round) {
    const Decision da = a.decide(slow);
    const Decision db = b.decide(fast);
    EXPECT_EQ(da.split, 2U);
    EXPECT_NEAR(da.expected_time_s, 0.2464, 1e-12);
    EXPECT_EQ(db.split, 1U);
    EXPECT_NEAR(db.expected_time_s, 0.1544, 1e-12);
  }
  DecisionMaker tiered(shared);
  const Decision t = tiered.decide(test::tiny3_tiered());
  EXPECT_EQ(t.split, 2U);
  EXPECT_EQ(t.edge_split, 2U);
  EXPECT_NEAR(t.expected_time_s, 0.25124, 1e-12);
  EXPECT_EQ(a.decide(fast).split, 1U); // after the tiered solve, a's two-tier solve is still exact
  EXPECT_EQ(shared.use_count(), 4);    // the three makers and the test
}

TEST(DecisionMaker, ThreeTiersDecideBothSplits)
{
  const Dnn d = tiny3();
  DecisionMaker m(d, true);
  const Decision c = m.decide(test::tiny3_tiered());
  EXPECT_EQ(c.split, 2U); // TieredTime.HandDerivedPairs
  EXPECT_EQ(c.edge_split, 2U);
  EXPECT_NEAR(c.expected_time_s, 0.25124, 1e-12);
}

TEST(OutcomeSampler, TableDrawsFollowTheExitProbabilitiesAndAreReproducible)
{
  // One branch with q = 0.3 and accuracy 0.9; final accuracy 0.5. Over 100,000 images, the share exiting at the
  // branch is 0.3 within 4 standard errors (sqrt(0.3 x 0.7 / 1e5) = 0.00145), and correctness follows each exit's
  // accuracy. The same (seed, device, index) always gives the same outcome.
  const TableExitModel model({0.5}, {{{0.5, 0.3, 0.9}}}, {0.5});
  const OutcomeSampler s(model, 0.5);
  std::size_t exits = 0, correct_branch = 0, correct_final = 0;
  const std::size_t n = 100000;
  for (std::size_t i = 0; i < n; ++i) {
    const ImageOutcome o = s.draw(42, 0, i);
    if (o.natural_exit == 0) {
      ++exits;
      correct_branch += o.correct_at_branch ? 1 : 0;
    } else {
      correct_final += o.correct_at_final ? 1 : 0;
    }
  }
  EXPECT_NEAR(static_cast<double>(exits) / n, 0.3, 4 * std::sqrt(0.3 * 0.7 / n));
  EXPECT_NEAR(static_cast<double>(correct_branch) / static_cast<double>(exits), 0.9, 0.01);
  EXPECT_NEAR(static_cast<double>(correct_final) / static_cast<double>(n - exits), 0.5, 0.01);
  const ImageOutcome a = s.draw(7, 3, 12345);
  const ImageOutcome b = s.draw(7, 3, 12345);
  EXPECT_EQ(a.natural_exit, b.natural_exit);
  EXPECT_EQ(a.correct_at_final, b.correct_at_final);
  // Overridden q (SBRC Fig. 3's p): exactly 0 and 1 are certain.
  const OutcomeSampler never(model, 0.5, {0.0});
  const OutcomeSampler always(model, 0.5, {1.0});
  for (std::size_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(never.draw(1, 0, i).natural_exit, 1U);
    EXPECT_EQ(always.draw(1, 0, i).natural_exit, 0U);
  }
}
