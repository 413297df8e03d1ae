#include "cli/solve_command.hpp"
#include "test_helpers.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <algorithm>
#include <sstream>

using namespace popex;

namespace {
/** Runs solve into a string; `infeasible` gets its count of combinations without a feasible choice. */
std::string solve(SolveOptions o, std::size_t* infeasible = nullptr)
{
  char* buf       = nullptr;
  std::size_t len = 0;
  std::FILE* f    = open_memstream(&buf, &len);
  try {
    const std::size_t n = run_solve(o, f);
    if (infeasible != nullptr)
      *infeasible = n;
  } catch (...) {
    std::fclose(f);
    std::free(buf);
    throw;
  }
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  return out;
}

/** tiny3 at the hand-derived point of ExpectedTime.HandDerivedThreeLayers: gamma 10, 8 kbit/s up, 80 down, 5 ms,
 *  threshold 0.5 (q = 0.6), csv. */
SolveOptions hand_derived_point()
{
  SolveOptions o;
  o.dnn_file   = source_path("tests/data/dnn/tiny3.yaml");
  o.gamma      = "10";
  o.uplink     = "8kbps";
  o.downlink   = "80kbps";
  o.latency_ms = "5";
  o.threshold  = "0.5";
  o.format     = "csv";
  return o;
}

std::vector<std::string> lines(const std::string& s)
{
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);)
    out.push_back(l);
  return out;
}
} // namespace

TEST(SolveCommand, CsvContractOnTheHandDerivedDnn)
{
  SolveOptions o = hand_derived_point();
  // Same numbers as ExpectedTime.HandDerivedThreeLayers (q = 0.6 at threshold 0.5), s = 2 chosen.
  // Accuracy: s=0 -> final 0.9; s>=1 -> 0.6*0.8 + 0.4*0.9 = 0.84.
  const auto l = lines(solve(o));
  ASSERT_EQ(l.size(), 5u);
  EXPECT_EQ(l[0], "dnn,variant,gamma,uplink_bps,downlink_bps,latency_ms,threshold,exit_prob_b1,split_index,"
                  "split_after,expected_time_s,offload_prob,edge_exit_prob,expected_accuracy,chosen");
  EXPECT_EQ(l[1].substr(0, l[1].find(",1.07")), "tiny3,default,10,8000,80000,5,0.5,0.6,0,input");
  EXPECT_NEAR(std::stod(l[1].substr(l[1].find(",1.07") + 1)), 1.071, 1e-12);
  EXPECT_EQ(l[2].substr(0, l[2].find(",0.334")), "tiny3,default,10,8000,80000,5,0.5,0.6,1,l1");
  EXPECT_NE(l[3].find(",2,l2,0.2464"), std::string::npos) << l[3];
  EXPECT_EQ(l[3].substr(l[3].size() - 2), ",1");
  EXPECT_EQ(l[4].substr(0, l[4].find(",0.84")), "tiny3,default,10,8000,80000,5,0.5,0.6,3,l3,0.31,0,0.6");  // edge_exit_prob = 1 - (1 - 0.6)
  EXPECT_EQ(l[4].substr(l[4].size() - 2), ",0");
}

TEST(SolveCommand, SweepsAndChosenOnly)
{
  SolveOptions o;
  o.dnn_file    = source_path("tests/data/dnn/tiny3.yaml");
  o.gamma       = "1:3:1";
  o.uplink      = "3g,4g";
  o.exit_probs  = {"b1=0:1:0.5"};
  o.chosen_only = true;
  o.format      = "csv";
  const auto l  = lines(solve(o));
  EXPECT_EQ(l.size(), 1u + 3 * 2 * 3); // header + gamma x uplink x q, one chosen row each
  for (std::size_t i = 1; i < l.size(); ++i)
    EXPECT_EQ(l[i].substr(l[i].size() - 2), ",1");
}

TEST(SolveCommand, AccuracyTargetPicksTheFastestFeasiblePair)
{
  // tiny3 at gamma 10, 8 kbit/s: thresholds 0.5 and 0.9 (table rows).
  //  0.5: q=0.6, acc(s>=1) = 0.84;  0.9: q=0.2, acc(s>=1) = 0.2*0.95 + 0.8*0.9 = 0.91; acc(s=0) = 0.9.
  // With A = 0.9: at 0.5 only s=0 qualifies (1.06 s); at 0.9 every split qualifies and the best is
  // s=2: 0.11 + 0.8*0.2 + 0.8*(0.1 + 0.03 + 8*10/8000) = 0.382 s (r = 10 B). So (0.9, l2) is chosen.
  SolveOptions o;
  o.dnn_file     = source_path("tests/data/dnn/tiny3.yaml");
  o.gamma        = "10";
  o.uplink       = "8kbps";
  o.accuracy_min = 0.9;
  o.chosen_only  = true;
  o.format       = "csv";
  const auto l   = lines(solve(o));
  ASSERT_EQ(l.size(), 2u);
  EXPECT_NE(l[1].find(",0.9,0.2,2,l2,0.382,0.8,0.19999999999999996,"), std::string::npos) << l[1];
}

TEST(SolveCommand, BadInputIsRefusedBeforeAnyOutput)
{
  SolveOptions o;
  o.dnn_file = source_path("tests/data/dnn/tiny3.yaml");
  o.gamma    = "0";
  EXPECT_THROW_MSG(solve(o), "--gamma must be > 0 (got 0)");
  o.gamma      = "1";
  o.exit_probs = {"b9=0.5"};
  EXPECT_THROW_MSG(solve(o), "--exit-prob: unknown branch 'b9' (valid: b1)");
  o.exit_probs = {"b1=1.5"};
  EXPECT_THROW_MSG(solve(o), "--exit-prob b1 must be within [0, 1] (got 1.5)");
  o.exit_probs = {};
  o.threshold  = "0.95";
  EXPECT_THROW_MSG(solve(o), "--threshold: threshold must be within the exit table [0.5, 0.9] (got 0.95)");
}

TEST(SolveCommand, SbrcShapesHoldWithTheShippedBAlexNet)
{
  // SBRC Fig. 3: E[T] falls as the branch exit probability p grows (weakly: it is flat while cloud-only wins).
  // SBRC Fig. 4: the chosen split moves toward the input as gamma grows.
  SolveOptions o;
  o.dnn_file    = source_path("workloads/dnn/b-alexnet.yaml");
  o.gamma       = "1:1000:1";
  o.uplink      = "3g,4g,wifi";
  o.exit_probs  = {"b1=0:1:0.1"};
  o.chosen_only = true;
  o.format      = "csv";
  const auto l  = lines(solve(o));
  ASSERT_EQ(l.size(), 1u + 33000u);
  // Row order: gamma, uplink, p (innermost). Columns: ...,exit_prob_b1(7),split_index(8),...,expected_time_s(10).
  ASSERT_EQ(l[0].substr(0, l[0].find(",split_after")), "dnn,variant,gamma,uplink_bps,downlink_bps,latency_ms,"
                                                      "threshold,exit_prob_b1,split_index");
  auto field = [](const std::string& row, int col) {
    std::istringstream in(row);
    std::string cell;
    for (int i = 0; i <= col; ++i)
      std::getline(in, cell, ',');
    return std::stod(cell);
  };
  for (std::size_t g = 0; g < 1000; ++g)
    for (std::size_t u = 0; u < 3; ++u)
      for (std::size_t p = 1; p < 11; ++p) {
        const std::size_t row = 1 + (g * 3 + u) * 11 + p;
        ASSERT_LE(field(l[row], 10), field(l[row - 1], 10)) << l[row];
      }
  for (std::size_t u = 0; u < 3; ++u)
    for (std::size_t p = 0; p < 11; ++p)
      for (std::size_t g = 1; g < 1000; ++g) {
        const std::size_t row = 1 + (g * 3 + u) * 11 + p;
        ASSERT_LE(field(l[row], 8), field(l[row - 33], 8)) << l[row];
      }
  // At 3G and gamma = 10, p = 1 vs p = 0 (the paper reports an 87.27% drop with its unpublished profile).
  const double t0 = field(l[1 + (9 * 3 + 0) * 11 + 0], 10);
  const double t1 = field(l[1 + (9 * 3 + 0) * 11 + 10], 10);
  EXPECT_GT(1 - t1 / t0, 0.5);
}

TEST(SolveCommand, MeasuredEdgeProfileAndOverheadColumns)
{
  // tiny3-certain at threshold 0.9 (q = 0), gamma 2 x the measured edge times of tiny3-edge-profile.yaml
  // (l1 0.2, l2 0.05, l3 0.1, b1 0.004 s), f = 1.2, o = 100 ms, latency 0, r = 10 B:
  // s=0: 0.1 + 8 x 1000 x 1.2/8000 + 0.06 + 8 x 10 x 1.2/80000 = 0.1 + 1.2 + 0.06 + 0.0012      = 1.3612
  // s=1: 0.408 + 0.1 + 0.6 + 0.05 + 0.0012                                                      = 1.1592
  // s=2: 0.408 + 2 x 0.05 + 0.1 + 0.12 + 0.03 + 0.0012                                          = 0.7592
  // s=3: 0.508 + 2 x 0.1 (edge-only pays no overhead)                                           = 0.708 (chosen)
  SolveOptions o;
  o.dnn_file            = source_path("tests/data/dnn/tiny3-certain.yaml");
  o.gamma               = "2";
  o.uplink              = "8kbps";
  o.downlink            = "80kbps";
  o.threshold           = "0.9";
  o.edge_profile        = source_path("tests/data/dnn/tiny3-edge-profile.yaml");
  o.protocol_overhead   = 1.2;
  o.offload_overhead_ms = 100;
  o.format              = "csv";
  const auto l = lines(solve(o));
  ASSERT_EQ(l.size(), 5u);
  EXPECT_EQ(l[0], "dnn,variant,gamma,uplink_bps,downlink_bps,latency_ms,threshold,exit_prob_b1,edge_profile,"
                  "protocol_overhead,offload_overhead_ms,split_index,split_after,expected_time_s,offload_prob,"
                  "edge_exit_prob,expected_accuracy,chosen");
  const double want[] = {1.3612, 1.1592, 0.7592, 0.708};
  for (std::size_t s = 0; s < 4; ++s) {
    const std::string prefix = "tiny3-certain,default,2,8000,80000,0,0.9,0,test-device,1.2,100," + std::to_string(s);
    ASSERT_EQ(l[s + 1].rfind(prefix, 0), 0u) << l[s + 1];
    const auto cells = l[s + 1].substr(prefix.size() + 1);
    const double et  = std::stod(cells.substr(cells.find(',') + 1));
    EXPECT_NEAR(et, want[s], 1e-12) << l[s + 1];
  }
  EXPECT_EQ(l[4].substr(l[4].size() - 2), ",1"); // edge-only chosen
  o.protocol_overhead = 0.5;
  EXPECT_THROW_MSG(solve(o), "--protocol-overhead must be within [1, 10] (wire bytes per payload byte) (got 0.5)");
}

TEST(SolveCommand, ThreeTierRowsForEveryPairOfSplits)
{
  // The numbers of TieredTime.HandDerivedPairs: tiny3 at threshold 0.5 (q = 0.6), gd 10, ge 2, access 8/80 kbit/s
  // and 5 ms, backhaul 80/800 kbit/s and 1 ms. (s1, s2) = (2, 2) is chosen: 0.19 + 0.4 x 0.111 + 0.4 x 0.0421.
  SolveOptions o         = hand_derived_point();
  o.edge_gamma          = "2";
  o.backhaul            = "80kbps";
  o.backhaul_downlink   = "800kbps";
  o.backhaul_latency_ms = "1";
  const auto l          = lines(solve(o));
  ASSERT_EQ(l.size(), 11U); // a header and (N+1)(N+2)/2 = 10 pairs
  EXPECT_EQ(l[0], "dnn,variant,gamma,edge_gamma,uplink_bps,downlink_bps,latency_ms,backhaul_bps,backhaul_downlink_bps,"
                  "backhaul_latency_ms,threshold,exit_prob_b1,split_index,split_after,edge_split_index,"
                  "edge_split_after,expected_time_s,offload_prob,cloud_offload_prob,edge_exit_prob,"
                  "expected_accuracy,chosen");
  const std::string point = "tiny3,default,10,2,8000,80000,5,80000,800000,1,0.5,0.6,";
  // (0, 0): cloud-only through the edge server: nothing runs a branch, accuracy = final 0.9 (no backbone given).
  EXPECT_EQ(l[1].rfind(point + "0,input,0,input,", 0), 0U) << l[1];
  EXPECT_NEAR(std::stod(l[1].substr(point.size() + 16)), 1.1731, 1e-12);
  EXPECT_EQ(l[1].substr(l[1].find(",1,1,0,")), ",1,1,0,0.9000000000000001,0"); // offload 1, to the cloud 1, no exit
  // (0, 3): everything on the edge server: R_s1 = 1, R_s2 = 0 (nothing reaches the cloud), b1 runs there.
  EXPECT_EQ(l[4].rfind(point + "0,input,3,l3,", 0), 0U) << l[4];
  EXPECT_NE(l[4].find(",1.0729999999999997,1,0,0.6,0.8400000000000001,0"), std::string::npos) << l[4];
  // (2, 2): chosen.
  EXPECT_EQ(l[8].rfind(point + "2,l2,2,l2,", 0), 0U) << l[8];
  EXPECT_NEAR(std::stod(l[8].substr(point.size() + 10)), 0.25124, 1e-12);
  EXPECT_EQ(l[8].substr(l[8].size() - 2), ",1");
  // (3, 3): device-only.
  EXPECT_EQ(l[10].rfind(point + "3,l3,3,l3,0.31", 0), 0U) << l[10];

  o.chosen_only = true;
  EXPECT_EQ(lines(solve(o)).size(), 2U);
}

TEST(SolveCommand, ThreeTierOptionsComeTogether)
{
  SolveOptions o;
  o.dnn_file  = source_path("tests/data/dnn/tiny3.yaml");
  o.threshold = "0.5";
  o.backhaul  = "1Gbps";
  EXPECT_THROW_MSG(solve(o), "--backhaul, --backhaul-downlink, --backhaul-latency-ms and --edge-server-profile need "
                             "--edge-gamma (three tiers: device -> edge server -> cloud)");
  o.backhaul   = "";
  o.edge_gamma = "1";
  EXPECT_THROW_MSG(solve(o), "--edge-gamma needs --backhaul RATE: the edge server -> cloud link (three tiers)");
  o.backhaul   = "1Gbps";
  o.edge_gamma = "0";
  EXPECT_THROW_MSG(solve(o), "--edge-gamma must be > 0 (got 0)");
}

TEST(SolveCommand, ThreeTierAccuracyTargetChoosesThresholdAndBothSplits)
{
  // tiny3 with --accuracy-min 0.85: at threshold 0.5 a pair whose s2 >= 1 runs b1 (accuracy 0.84 < 0.85), so only
  // s2 = 0 (accuracy 0.9) is allowed there; at 0.9 (q = 0.2), s2 >= 1 gives 0.2 x 0.95 + 0.8 x 0.9 = 0.91.
  SolveOptions o;
  o.dnn_file     = source_path("tests/data/dnn/tiny3.yaml");
  o.gamma        = "10";
  o.edge_gamma   = "2";
  o.uplink       = "8kbps";
  o.backhaul     = "80kbps";
  o.accuracy_min = 0.85;
  o.chosen_only  = true;
  o.format       = "csv";
  const auto l = lines(solve(o));
  ASSERT_EQ(l.size(), 2U);
  // The chosen row meets the target, and is the fastest of all allowed (threshold, s1, s2).
  const auto cells = [](const std::string& row) {
    std::vector<std::string> c;
    std::istringstream in(row);
    for (std::string x; std::getline(in, x, ',');)
      c.push_back(x);
    return c;
  };
  const auto head  = cells(l[0]);
  const auto row   = cells(l[1]);
  const auto col   = [&](const char* name) { return row[std::find(head.begin(), head.end(), name) - head.begin()]; };
  EXPECT_GE(std::stod(col("expected_accuracy")), 0.85);
  o.chosen_only = false;
  double fastest = 1e9;
  for (const auto& r : lines(solve(o))) {
    const auto c = cells(r);
    if (c[0] == "dnn")
      continue;
    const auto at = [&](const char* name) { return c[std::find(head.begin(), head.end(), name) - head.begin()]; };
    if (std::stod(at("expected_accuracy")) >= 0.85)
      fastest = std::min(fastest, std::stod(at("expected_time_s")));
  }
  EXPECT_EQ(std::stod(col("expected_time_s")), fastest);
}

TEST(SolveCommand, EnergyColumnsObjectivesAndInfeasibility)
{
  // tiny3 at gamma 10, q = 0.6 (test_energy.cpp derives the rows): 2 W busy; the radio 0.5 W per Mbit/s up, 0.1
  // down, beta 1 W, tail 0.5 W x 2 s, no promotion. Energies 2.045008, 0.8352032, 0.8305632, 0.62 J; times 1.071,
  // 0.3344, 0.2464, 0.31 s.
  SolveOptions o = hand_derived_point();
  o.busy_w       = 2;
  o.radio        = "4g";
  o.radio_sets   = {"alpha_up_w_per_mbps=0.5", "alpha_down_w_per_mbps=0.1", "beta_w=1", "tail_w=0.5",
                    "tail_s=2",                "promotion_w=0",            "promotion_s=0"};
  auto l       = lines(solve(o));
  ASSERT_EQ(l.size(), 5u);
  EXPECT_EQ(l[0], "dnn,variant,gamma,uplink_bps,downlink_bps,latency_ms,threshold,exit_prob_b1,busy_w,radio,"
                  "split_index,split_after,expected_time_s,expected_energy_j,expected_compute_energy_j,"
                  "expected_radio_energy_j,offload_prob,edge_exit_prob,expected_accuracy,chosen");
  EXPECT_NE(l[4].find(",2,4g,3,l3,0.31,0.62,0.62,0,"), std::string::npos) << l[4];
  EXPECT_EQ(l[3].back(), '1'); // latency: s = 2
  // Energy: device-only, s = 3.
  o.objective = "energy";
  l           = lines(solve(o));
  EXPECT_EQ(l[0].substr(l[0].find("radio,"), 16), "radio,objective,");
  EXPECT_EQ(l[3].back(), '0');
  EXPECT_EQ(l[4].back(), '1');
  // Fastest within 0.7 J: s = 3 only; every row says whether it fits.
  o.objective       = "";
  o.energy_budget_j = 0.7;
  l                 = lines(solve(o));
  EXPECT_NE(l[0].find(",feasible,chosen"), std::string::npos);
  EXPECT_EQ(l[3].substr(l[3].size() - 4), ",0,0");
  EXPECT_EQ(l[4].substr(l[4].size() - 4), ",1,1");
  // Within 0.5 J nothing fits: the least-violating row (s = 3, 24 % over) is chosen, flagged, and counted.
  o.energy_budget_j      = 0.5;
  std::size_t infeasible = 0;
  l                      = lines(solve(o, &infeasible));
  EXPECT_EQ(infeasible, 1u);
  EXPECT_EQ(l[4].substr(l[4].size() - 4), ",0,1");
  EXPECT_EQ(std::count_if(l.begin() + 1, l.end(), [](const std::string& r) { return r.back() == '1'; }), 1);
}
