// The Decision Maker with objectives and constraints against the brute force over every (threshold, split) row, on
// shipped and random DNNs, two and three tiers; its hysteresis under constraints; and the agent's threshold choice
// following image-quality drift (docs/model.md, "Objectives").
#include "config/dnn_loader.hpp"
#include "core/agent.hpp"
#include "model_fixtures.hpp"
#include "test_helpers.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

using namespace popex;

namespace {
const double NaN = std::numeric_limits<double>::quiet_NaN();

std::vector<ExitOption> grid_options(const Dnn& dnn, const ExitModel& m)
{
  std::vector<ExitOption> out;
  for (const double t : m.grid()) {
    ExitOption o{t, m.at(t).exit_probs, {}};
    for (std::size_t s = 0; s <= dnn.layer_count(); ++s)
      o.accuracy_by_split.push_back(m.expected_accuracy(t, dnn.edge_branch_count(s)));
    out.push_back(std::move(o));
  }
  return out;
}

/** The reference: every row of every option, enumerated (choose_row). */
RowChoice brute_force(const Dnn& dnn, const TieredParams& base, const std::vector<ExitOption>& options, bool tiers3,
                      const Objective& o, const EnergyParams* e, std::vector<Rows>& rows)
{
  rows.clear();
  for (const auto& opt : options) {
    TieredParams p      = base;
    p.device.exit_probs = opt.exit_probs;
    rows.push_back(make_rows(dnn, p, tiers3, e, opt.accuracy_by_split));
  }
  return choose_row(rows, o);
}

/** The Decision Maker's choice is the brute force's: the same feasibility and the same cost (ties allowed). */
void expect_brute_force(const Dnn& dnn, const TieredParams& base, const std::vector<ExitOption>& options, bool tiers3,
                        const Objective& o, const EnergyParams* e, const std::string& what)
{
  DecisionMaker maker(dnn, tiers3);
  const Decision d = maker.decide(base, options, o, e);
  std::vector<Rows> rows;
  const RowChoice ref = brute_force(dnn, base, options, tiers3, o, e, rows);
  const auto cost     = [&](std::size_t g, std::size_t row) {
    return o.cost(rows[g].time_s[row], rows[g].energy.empty() ? 0.0 : rows[g].energy[row].total_j());
  };
  const std::size_t n   = dnn.layer_count();
  const std::size_t row = tiers3 ? pair_index(n, d.split, d.edge_split) : d.split;
  ASSERT_EQ(d.feasible, ref.feasible) << what;
  if (ref.feasible) {
    EXPECT_EQ(row_violation(rows[d.option], row, o), 0.0) << what;
    EXPECT_NEAR(cost(d.option, row), cost(ref.group, ref.row), 1e-9 * std::max(1.0, std::abs(cost(ref.group, ref.row))))
        << what;
  } else {
    EXPECT_NEAR(row_violation(rows[d.option], row, o), row_violation(rows[ref.group], ref.row, o), 1e-12) << what;
  }
  EXPECT_DOUBLE_EQ(d.expected_time_s, rows[d.option].time_s[row]) << what;
}

/** Every objective, alone and under each constraint, scaled to the rows' own range so that some bind. */
std::vector<Objective> objectives(double t_mid, double e_mid)
{
  std::vector<Objective> out;
  for (const ObjectiveKind k : {ObjectiveKind::LATENCY, ObjectiveKind::ENERGY, ObjectiveKind::WEIGHTED})
    for (int c = 0; c < 4; ++c) {
      Objective o;
      o.kind                  = k;
      o.energy_weight_s_per_j = t_mid / std::max(e_mid, 1e-9);
      if (c == 1)
        o.energy_budget_j = e_mid;
      if (c == 2)
        o.latency_max_s = t_mid;
      if (c == 3)
        o.energy_budget_j = e_mid * 1e-3; // nothing fits: the least-violating row
      out.push_back(o);
    }
  return out;
}
} // namespace

TEST(DecisionMakerObjectives, ShippedDnnsEqualTheBruteForceOverThresholdsAndSplits)
{
  for (const char* file : {"workloads/dnn/mobilenetv2-3b.yaml", "workloads/dnn/b-alexnet.yaml"}) {
    const Workload w = load_workload(source_path(file));
    const auto options = grid_options(w.dnn, *w.variant(""));
    for (const char* tech : {"3g", "4g", "wifi"})
      for (const double gamma : {3.0, 30.0, 300.0})
        for (const double acc : {NaN, 0.7, 0.85, 0.99}) {
          const EnergyParams e{{4.0, 1.0}, *radio_preset(tech)};
          TieredParams p;
          p.device.gamma      = gamma;
          const double bps    = std::string(tech) == "3g" ? 1.1e6 : std::string(tech) == "4g" ? 5.5e6 : 18.8e6;
          p.device.link       = {bps, bps, 0.01, 0.01};
          p.server.gamma      = 2;
          p.server.backhaul   = {100e6, 100e6, 0.005, 0.005};
          for (const bool tiers3 : {false, true}) {
            std::vector<Rows> rows;
            brute_force(w.dnn, p, options, tiers3, Objective{}, &e, rows);
            const double t_mid = rows.front().time_s[rows.front().time_s.size() / 2];
            const double e_mid = rows.front().energy[rows.front().energy.size() / 2].total_j();
            for (Objective o : objectives(t_mid, e_mid)) {
              if (!std::isnan(acc))
                o.accuracy_min = acc;
              expect_brute_force(w.dnn, p, options, tiers3, o, &e,
                                 fmt::format("{} {} gamma {} accuracy {} tiers {} kind {}", file, tech, gamma, acc,
                                             tiers3 ? 3 : 2, static_cast<int>(o.kind)));
            }
          }
        }
  }
}

TEST(DecisionMakerObjectives, RandomDnnsEqualTheBruteForce)
{
  std::mt19937_64 rng(4242);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 300; ++trial) {
    const Dnn d = test::random_dnn(rng);
    TieredParams p;
    p.device.gamma    = std::pow(10.0, 3 * u(rng));
    const double up   = 1e5 * std::pow(1000.0, u(rng));
    p.device.link     = {up, up, 0.05 * u(rng), 0.05 * u(rng)};
    p.server.gamma    = std::pow(10.0, 2 * u(rng) - 1);
    p.server.backhaul = {1e7, 1e7, 0.002, 0.002};
    // Three thresholds: q rises with the option, accuracy falls (a lower threshold exits more, less accurately).
    std::vector<ExitOption> options;
    for (int g = 0; g < 3; ++g) {
      ExitOption o{0.9 - 0.1 * g, {}, {}};
      for (std::size_t k = 0; k < d.branch_count(); ++k)
        o.exit_probs.push_back(std::min(1.0, u(rng) * (1 + g) / 3.0));
      for (std::size_t s = 0; s <= d.layer_count(); ++s)
        o.accuracy_by_split.push_back(0.95 - 0.05 * g * static_cast<double>(d.edge_branch_count(s)));
      options.push_back(std::move(o));
    }
    const EnergyParams e{{10 * u(rng), 0.0}, *radio_preset(u(rng) < 0.5 ? "4g" : "wifi")};
    for (const bool tiers3 : {false, true}) {
      std::vector<Rows> rows;
      brute_force(d, p, options, tiers3, Objective{}, &e, rows);
      const double t_mid = rows[1].time_s[rows[1].time_s.size() / 3];
      const double e_mid = rows[1].energy[rows[1].energy.size() / 3].total_j();
      for (Objective o : objectives(t_mid, e_mid)) {
        o.accuracy_min = u(rng) < 0.5 ? std::optional<double>(0.9) : std::nullopt;
        expect_brute_force(d, p, options, tiers3, o, &e, fmt::format("trial {} tiers {}", trial, tiers3 ? 3 : 2));
      }
    }
  }
}

TEST(DecisionMakerObjectives, HysteresisNeverKeepsAChoiceThatBreaksTheConstraints)
{
  // tiny3 (test_energy.cpp): times 1.071, 0.3344, 0.2464, 0.31 s; energies 2.045008, 0.8352032, 0.8305632, 0.62 J.
  const Dnn d = test::tiny3();
  TieredParams p;
  p.device.gamma      = 10;
  p.device.link       = {8000, 80000, 0.005, 0.005};
  p.device.exit_probs = {0.6};
  const EnergyParams e{{2.0, 0.5}, {"test", 0.5, 0.1, 1.0, 0.5, 2.0, 0.0, 0.0}};
  const std::vector<ExitOption> one{{NaN, {0.6}, std::vector<double>(4, NaN)}};
  DecisionMaker maker(d, false, 50); // a 50 % gain needed to switch
  Objective o;
  o.kind          = ObjectiveKind::ENERGY;
  o.latency_max_s = 0.32; // s2 and s3 fit: s3 spends least
  EXPECT_EQ(maker.decide(p, one, o, &e).split, 3U);
  // Within 0.3 s, s3 (0.31 s) no longer fits; s2 costs 34 % more energy, below the 50 % hysteresis, but staying on s3
  // would break the bound: the maker moves.
  o.latency_max_s  = 0.3;
  const Decision d2 = maker.decide(p, one, o, &e);
  EXPECT_EQ(d2.split, 2U);
  EXPECT_TRUE(d2.changed);
  EXPECT_TRUE(d2.feasible);
  // Without constraints, hysteresis holds as before: at 0.35 s both fit, s3 saves 25 % (< 50 %): stay on s2.
  o.latency_max_s = 0.35;
  EXPECT_EQ(maker.decide(p, one, o, &e).split, 2U);
}

namespace {
/** 200 images a branch at the rates `q`, as the branches see them (exits first: the count is what matters). */
template <typename Sink>
void observe_rates(const std::vector<double>& q, Sink&& sink)
{
  for (std::size_t k = 0; k < q.size(); ++k)
    for (int i = 0; i < 200; ++i)
      sink(k, i < static_cast<int>(std::lround(200 * q[k])));
}
} // namespace

TEST(ExitBelief, TheMostLikelyVariantOfTheSameModelByMoreThanTwoNats)
{
  const Workload w = load_workload(source_path("workloads/dnn/mobilenetv2-3b.yaml"));
  const std::vector<double> grid{0.7, 0.75, 0.8, 0.85, 0.9};
  ExitBelief b(w, "pristine", grid);
  EXPECT_EQ(b.variant(), "pristine");
  // Candidates: pristine and the 10 blur/noise variants of the pristine-trained network; the 18 expert variants are
  // other networks (`model: blur-expert`...).
  EXPECT_EQ(b.log_likelihoods().size(), 11U);
  // At 0.8, blur-1's rates (b2 0.1616, b3 0.3903) are only 1.3 nats likelier under blur-1 than under pristine (b2
  // 0.1843, b3 0.4374) over 200 images a branch: below the 2-nat margin, the belief stays.
  observe_rates(w.variant("blur-1")->at(0.8).exit_probs, [&](std::size_t k, bool e) { b.observe(k, 2, e); });
  b.revise();
  EXPECT_EQ(b.variant(), "pristine");
  // blur-2's (b2 0.0733, b3 0.2595) are 15 nats likelier under blur-2: the window slides to them, and it moves.
  observe_rates(w.variant("blur-2")->at(0.8).exit_probs, [&](std::size_t k, bool e) { b.observe(k, 2, e); });
  b.revise();
  EXPECT_EQ(b.variant(), "blur-2");
  EXPECT_EQ(b.exit_probs(0), w.variant("blur-2")->at(0.7).exit_probs); // q at every threshold, from its tables
  b.assume("noise-5");
  EXPECT_EQ(b.variant(), "noise-5");
}

TEST(Agent, WithAnAccuracyTargetItFollowsBlurByChangingTheThreshold)
{
  // MobileNetV2 (3 branches), gamma 30, 4G, accuracy >= 0.38. `solve --variant pristine --accuracy-min 0.38` chooses
  // threshold 0.7 at f7_ir64; `solve --variant blur-2` chooses 0.75 at f14_ir160 (blur lowers the accuracy).
  const Workload w = load_workload(source_path("workloads/dnn/mobilenetv2-3b.yaml"));
  const ExitModel& pristine = *w.variant("pristine");
  AgentConfig c;
  c.policy.kind            = PolicyKind::DYNAMIC;
  c.objective.accuracy_min = 0.38;
  c.thresholds             = pristine.grid();
  c.threshold_index        = 2; // 0.8, the scenario's
  c.variant                = "pristine";
  TieredParams p;
  p.device.gamma      = 30;
  p.device.link       = {5.5e6, 5.5e6, 0, 0};
  p.device.exit_probs = pristine.at(0.8).exit_probs;
  EstimatorConfig est;
  est.kind = EstimatorKind::ORACLE;
  Agent agent(w, c, UpdateBox(est, p));
  const AgentDecision first = agent.decide(5.5e6, nullptr);
  EXPECT_DOUBLE_EQ(first.threshold, 0.7);
  EXPECT_EQ(w.dnn.split_name(first.decision.split), "f7_ir64");
  EXPECT_EQ(first.inputs.device.exit_probs, pristine.at(0.7).exit_probs); // the q it chose with
  // The images blur: the branches see blur-2's exit rates at 0.7, the threshold now in force.
  observe_rates(w.variant("blur-2")->at(0.7).exit_probs, [&](std::size_t k, bool e) { agent.exit_observed(k, e); });
  const AgentDecision later = agent.decide(5.5e6, nullptr);
  EXPECT_EQ(agent.believed_variant(), "blur-2");
  EXPECT_DOUBLE_EQ(later.threshold, 0.75);
  EXPECT_EQ(w.dnn.split_name(later.decision.split), "f14_ir160");
  EXPECT_TRUE(later.decision.feasible);
  EXPECT_EQ(agent.threshold_index(), 1U);
}

TEST(Agent, SharedGraphsMustBeOfItsDnnAndTiers)
{
  // An agent given another DNN's graphs, or two-tier graphs for a three-tier agent, would solve the wrong graph:
  // refused when it is built.
  const Workload w     = load_workload(source_path("workloads/dnn/mobilenetv2-3b.yaml"));
  const Workload other = load_workload(source_path("workloads/dnn/mobilenetv2-3b.yaml"));
  AgentConfig c;
  c.policy.kind = PolicyKind::DYNAMIC;
  c.thresholds  = {0.8};
  TieredParams p;
  p.device.gamma      = 30;
  p.device.link       = {5.5e6, 5.5e6, 0, 0};
  p.device.exit_probs = w.variant("pristine")->at(0.8).exit_probs;
  EstimatorConfig est;
  est.kind = EstimatorKind::ORACLE;
  const auto own = std::make_shared<SplitGraphs>(w.dnn, false);
  EXPECT_THROW(Agent(w, c, UpdateBox(est, p), std::make_shared<SplitGraphs>(other.dnn, false)), std::invalid_argument);
  EXPECT_THROW(Agent(w, c, UpdateBox(est, p), std::make_shared<SplitGraphs>(w.dnn, true)), std::invalid_argument);
  Agent shared(w, c, UpdateBox(est, p), own);
  Agent alone(w, c, UpdateBox(est, p));
  const AgentDecision s = shared.decide(5.5e6, nullptr);
  const AgentDecision a = alone.decide(5.5e6, nullptr);
  EXPECT_EQ(s.decision.split, a.decision.split);
  EXPECT_EQ(s.decision.expected_time_s, a.decision.expected_time_s);
}
