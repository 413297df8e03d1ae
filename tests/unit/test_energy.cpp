// Energy per image (device compute and radio, docs/model.md "Energy") and the objectives: hand derivations, the
// presets, and the graphs' Dijkstra on combined weights against the enumeration of every row.
#include "config/dnn_loader.hpp"
#include "core/objective.hpp"
#include "model_fixtures.hpp"
#include "test_helpers.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace popex;

namespace {
// tiny3 at gamma 10, q = 0.6, B = 8 kbit/s, Bd = 80 kbit/s, 5 ms each way.
using test::tiny3;

ModelParams params()
{
  ModelParams p;
  p.gamma      = 10;
  p.link       = {8000, 80000, 0.005, 0.005};
  p.exit_probs = {0.6};
  return p;
}

// busy 2 W; radio: alpha_up 0.5 W per Mbit/s, alpha_down 0.1, beta 1 W, tail 0.5 W for 2 s, no promotion.
EnergyParams energy()
{
  EnergyParams e;
  e.device = {2.0, 0.5};
  e.radio  = {"test", 0.5, 0.1, 1.0, 0.5, 2.0, 0.0, 0.0};
  return e;
}
} // namespace

TEST(Energy, HandDerivedSplits)
{
  const auto e = expected_energies(tiny3(), params(), energy());
  ASSERT_EQ(e.size(), 4U);
  // s=0: no compute. Radio, every image: upload 0.5 x 0.008 Mbit + 1 x (0.005 + 1) = 1.009; the cloud's 0.06 s of
  // tail before the result (0.5 x 0.06 = 0.03); the download 0.1 x 0.00008 + 1 x (0.005 + 0.001) = 0.006008; one full
  // tail 0.5 x 2 = 1. Total 2.045008 J.
  EXPECT_NEAR(e[0].compute_j, 0.0, 1e-15);
  EXPECT_NEAR(e[0].radio_j, 2.045008, 1e-12);
  // s=1: compute 2 x 10 x (0.01 + 0.001) = 0.22; radio R_1 = 0.4 x (0.5 x 0.004 + 1 x 0.505 + 0.5 x 0.05 + 0.006008
  // + 1) = 0.4 x 1.538008.
  EXPECT_NEAR(e[1].compute_j, 0.22, 1e-12);
  EXPECT_NEAR(e[1].radio_j, 0.4 * 1.538008, 1e-12);
  // s=3: device-only: compute 2 x (0.11 + 0.4 x 10 x 0.05) = 0.62, no radio.
  EXPECT_NEAR(e[3].compute_j, 0.62, 1e-12);
  EXPECT_EQ(e[3].radio_j, 0.0);
  EXPECT_NEAR(e[3].total_j(), 0.62, 1e-12);
}

TEST(Energy, NoResultMeansOneTailAndNoGap)
{
  // r = 0 (the papers' setting): the upload and one full tail, nothing else. s=0: 0.5 x 0.008 + 1 x 1.005 + 1.
  const Dnn d("no-result", 1000, 0, {{"l1", 0.01, 500}}, {});
  ModelParams p;
  p.gamma = 1;
  p.link  = {8000, 8000, 0.005, 0.005};
  EXPECT_NEAR(expected_energies(d, p, energy())[0].radio_j, 0.004 + 1.005 + 1.0, 1e-12);
}

TEST(Energy, PresetsFromHuangEtAl)
{
  // Table 3 of Huang et al. (MobiSys 2012), in W: LTE alpha_u 438.39 mW/Mbps, alpha_d 51.97, beta 1288.04 mW.
  const auto lte = radio_preset("lte");
  ASSERT_TRUE(lte.has_value());
  EXPECT_EQ(lte->technology, "4g");
  EXPECT_DOUBLE_EQ(lte->alpha_up_w_per_mbps, 0.43839);
  EXPECT_DOUBLE_EQ(lte->beta_w, 1.28804);
  EXPECT_DOUBLE_EQ(lte->tail_s, 11.576);
  EXPECT_DOUBLE_EQ(radio_preset("3g")->alpha_up_w_per_mbps, 0.86898);
  EXPECT_DOUBLE_EQ(radio_preset("wifi")->beta_w, 0.13286);
  EXPECT_FALSE(radio_preset("5g").has_value());
}

TEST(Objective, ConstraintsAreExactAndInfeasibilityIsFlagged)
{
  // tiny3 rows: times 1.071, 0.3344, 0.2464, 0.31 s; energies 2.045008, 0.22 + 0.6152032 = 0.8352032, 0.38 + 0.4 x
  // (0.0004 + 0.105 + 0.015 + 0.006008 + 1) = 0.8305632, 0.62 J; accuracies 0.9 (no branch), then 0.84.
  const Dnn d = tiny3();
  TieredParams p;
  p.device             = params();
  const EnergyParams e = energy();
  const Rows rows      = make_rows(d, p, false, &e, {0.9, 0.84, 0.84, 0.84});
  EXPECT_NEAR(rows.energy[2].total_j(), 0.8305632, 1e-12);
  Objective o;
  EXPECT_EQ(choose_row({rows}, o).row, 2U); // fastest
  o.kind = ObjectiveKind::ENERGY;
  EXPECT_EQ(choose_row({rows}, o).row, 3U); // device-only spends the least
  // Weighted: T + w E; s2 and s3 tie at w = (0.31 - 0.2464) / (0.8305632 - 0.62) = 0.302.
  o.kind                  = ObjectiveKind::WEIGHTED;
  o.energy_weight_s_per_j = 0.1;
  EXPECT_EQ(choose_row({rows}, o).row, 2U);
  o.energy_weight_s_per_j = 1.0;
  EXPECT_EQ(choose_row({rows}, o).row, 3U);
  // Fastest within 0.7 J: only s3. Least energy within 0.3 s: s2 (s1 takes 0.3344 s).
  Objective budget;
  budget.energy_budget_j = 0.7;
  EXPECT_EQ(choose_row({rows}, budget).row, 3U);
  Objective bound;
  bound.kind          = ObjectiveKind::ENERGY;
  bound.latency_max_s = 0.3;
  EXPECT_EQ(choose_row({rows}, bound).row, 2U);
  Objective accurate;
  accurate.accuracy_min = 0.85;
  EXPECT_EQ(choose_row({rows}, accurate).row, 0U);
  // Nothing within 0.5 J: the least-violating row, s3 ((0.62 - 0.5) / 0.5 = 0.24), flagged.
  budget.energy_budget_j = 0.5;
  const RowChoice none   = choose_row({rows}, budget);
  EXPECT_EQ(none.row, 3U);
  EXPECT_FALSE(none.feasible);
}

namespace {
using test::random_dnn;

TieredParams random_params(const Dnn& d, std::mt19937_64& rng)
{
  std::uniform_real_distribution<double> u(0.0, 1.0);
  TieredParams p;
  p.device.gamma    = std::pow(10.0, 3 * u(rng));
  p.server.gamma    = std::pow(10.0, 2 * u(rng) - 1);
  const double up   = 1e5 * std::pow(1000.0, u(rng));
  const double bh   = 1e6 * std::pow(1000.0, u(rng));
  p.device.link     = {up, up * (1 + 9 * u(rng)), 0.05 * u(rng), 0.05 * u(rng)};
  p.server.backhaul = {bh, bh, 0.01 * u(rng), 0.01 * u(rng)};
  for (std::size_t k = 0; k < d.branch_count(); ++k)
    p.device.exit_probs.push_back(u(rng) < 0.2 ? 1.0 : u(rng));
  return p;
}

EnergyParams random_energy(std::mt19937_64& rng)
{
  std::uniform_real_distribution<double> u(0.0, 1.0);
  EnergyParams e;
  e.device = {10 * u(rng), 0.0};
  e.radio  = *radio_preset(u(rng) < 0.33 ? "3g" : u(rng) < 0.5 ? "4g" : "wifi");
  return e;
}

/** Dijkstra's pick has the least objective among every row (ties allowed). */
void expect_least(const Rows& rows, const Objective& o, std::size_t pick, const std::string& what)
{
  const auto cost = [&](std::size_t i) { return o.cost(rows.time_s[i], rows.energy[i].total_j()); };
  const RowChoice ref = choose_row({rows}, o);
  ASSERT_NEAR(cost(pick), cost(ref.row), 1e-9 * std::max(1.0, std::abs(cost(ref.row)))) << what;
}
} // namespace

TEST(Objective, DijkstraOnCombinedWeightsEqualsTheRows)
{
  std::mt19937_64 rng(1212);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 1000; ++trial) {
    const Dnn d = random_dnn(rng);
    PartitionGraph two(d);
    TieredPartitionGraph three(d);
    const TieredParams p = random_params(d, rng);
    const EnergyParams e = random_energy(rng);
    Objective o;
    o.kind                  = u(rng) < 0.5 ? ObjectiveKind::ENERGY : ObjectiveKind::WEIGHTED;
    o.energy_weight_s_per_j = std::pow(10.0, 4 * u(rng) - 3);
    const std::vector<double> acc(d.layer_count() + 1, 1.0);
    const std::vector<bool> all(d.layer_count() + 1, true);
    const auto c2 = two.solve(p.device, e, o.time_coefficient(), o.energy_coefficient(), all);
    ASSERT_TRUE(c2.has_value());
    expect_least(make_rows(d, p, false, &e, acc), o, c2->split, fmt::format("two tiers, trial {}", trial));
    const auto c3 = three.solve(p, e, o.time_coefficient(), o.energy_coefficient(), all);
    ASSERT_TRUE(c3.has_value());
    expect_least(make_rows(d, p, true, &e, acc), o, pair_index(d.layer_count(), c3->device_split, c3->edge_split),
                 fmt::format("three tiers, trial {}", trial));
  }
}

TEST(Objective, RowSplitsInvertPairIndex)
{
  for (std::size_t s1 = 0; s1 <= 5; ++s1)
    for (std::size_t s2 = s1; s2 <= 5; ++s2)
      EXPECT_EQ(row_splits(5, pair_index(5, s1, s2), true), std::make_pair(s1, s2));
  EXPECT_EQ(row_splits(5, 3, false), std::make_pair(std::size_t{3}, std::size_t{3}));
}
