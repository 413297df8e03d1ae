// Whole simulations checked against the analytic model. Each TEST (and each parameter) runs in its own process:
// SimGrid allows one engine per process.
#include "config/scenario.hpp"
#include "core/expected_time.hpp"
#include "core/partition_graph.hpp"
#include "simulation/simulation.hpp"

#include "engine_test_util.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace popex;

namespace {
std::string src(const std::string& rel)
{
  return std::string(POPEX_SOURCE_DIR) + "/" + rel;
}

/** Runs a scenario with overrides and returns summary.csv as name -> value. */
std::map<std::string, std::string> simulate(const std::string& scenario,
                                            const std::vector<std::pair<std::string, std::string>>& overrides)
{
  const std::string out = ::testing::TempDir() + "/popex-" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(out);
  run_simulation(load_scenario(src(scenario), overrides), out, {});
  std::ifstream in(out + "/summary.csv");
  std::string header;
  std::string row;
  std::getline(in, header);
  std::getline(in, row);
  std::map<std::string, std::string> m;
  std::istringstream h(header);
  std::istringstream r(row);
  for (std::string k, v; std::getline(h, k, ',');) {
    std::getline(r, v, ',');
    m[k] = v;
  }
  return m;
}

double num(const std::map<std::string, std::string>& m, const std::string& k)
{
  return std::stod(m.at(k));
}

struct Point {
  double gamma;
  const char* uplink;
  double threshold;
};
void PrintTo(const Point& p, std::ostream* os)
{
  *os << p.gamma << "/" << p.uplink << "/" << p.threshold;
}
} // namespace

class ClosedLoopMatchesSolve : public ::testing::TestWithParam<Point> {};

TEST_P(ClosedLoopMatchesSolve, MeanLatencyWithinThreeStandardErrors)
{
  // Closed loop, constant link, static policy: images are i.i.d., so the mean of 20,000 latencies estimates
  // E[T(s*)] with standard error sd/sqrt(n). The summary's analytic_expected_time_s is the core's E[T(s*)].
  const Point p = GetParam();
  const auto m  = simulate("workloads/scenarios/b-alexnet-3g.yaml",
                           {{"gamma", fmt::format("{}", p.gamma)}, {"uplink", p.uplink},
                            {"threshold", fmt::format("{}", p.threshold)}, {"images", "20000"}});
  ASSERT_EQ(num(m, "images"), 20000);
  const double mean = num(m, "mean_latency_s");
  const double se   = num(m, "latency_stderr_s");
  const double et   = num(m, "analytic_expected_time_s");
  EXPECT_NEAR(mean, et, 3 * se) << "mean " << mean << " E[T] " << et << " se " << se;
  EXPECT_GT(se, 0);
}

INSTANTIATE_TEST_SUITE_P(BAlexNet, ClosedLoopMatchesSolve,
                         ::testing::Values(Point{10, "3g", 0.8}, Point{100, "4g", 0.6}, Point{30, "wifi", 0.95},
                                           Point{300, "3g", 0.7}),
                         [](const ::testing::TestParamInfo<Point>& i) {
                           return fmt::format("gamma{}_{}_thr{}", i.param.gamma, i.param.uplink,
                                              static_cast<int>(i.param.threshold * 100));
                         });

TEST(EngineSimulation, CertainExitIsExact)
{
  // q = 1 at b1 (threshold 0.5): every image runs l1 and b1 on the edge and exits:
  // latency = gamma (t1 + tb1) = 10 x 0.011 = 0.11 s for every image.
  const auto m = simulate("tests/data/scenarios/tiny3.yaml",
                          {{"dnn", src("tests/data/dnn/tiny3-certain.yaml")}, {"threshold", "0.5"}});
  EXPECT_NEAR(num(m, "mean_latency_s"), 0.11, 1e-12);
  EXPECT_NEAR(num(m, "analytic_expected_time_s"), 0.11, 1e-12);
  EXPECT_EQ(num(m, "edge_exit_fraction"), 1.0);
  EXPECT_EQ(num(m, "accuracy"), 1.0);
  EXPECT_EQ(num(m, "bytes_up"), 0.0);
}

TEST(EngineSimulation, NeverExitingIsExactWithTransfersBothWays)
{
  // q = 0 (threshold 0.9), gamma 10, B = 8 kbit/s, Bd = 80 kbit/s, L = 5 ms each way, r = 10 B.
  // E[T(s)]: s=0: 0.005 + 1 + 0.06 + 0.005 + 0.001 = 1.071; s=1: 0.11 + 0.561 = 0.671;
  //          s=2: 0.11 + 0.2 + (0.005 + 0.1 + 0.03 + 0.006) = 0.451; s=3: 0.11 + 0.2 + 0.3 = 0.61. POPEX picks s=2,
  // and every image takes exactly 0.451 s: edge 0.31, uplink 0.105, cloud 0.03, downlink 0.006.
  const auto m = simulate("tests/data/scenarios/tiny3.yaml",
                          {{"dnn", src("tests/data/dnn/tiny3-certain.yaml")}, {"threshold", "0.9"}});
  EXPECT_EQ(num(m, "analytic_split"), 2);
  EXPECT_NEAR(num(m, "analytic_expected_time_s"), 0.451, 1e-12);
  EXPECT_NEAR(num(m, "mean_latency_s"), 0.451, 1e-12);
  EXPECT_NEAR(num(m, "p99_latency_s"), 0.451, 1e-12);
  EXPECT_NEAR(num(m, "mean_edge_s"), 0.31, 1e-12);
  EXPECT_NEAR(num(m, "mean_transfer_s"), 0.105, 1e-12);
  EXPECT_NEAR(num(m, "mean_cloud_s"), 0.03, 1e-12);
  EXPECT_EQ(num(m, "bytes_up"), 100 * 100.0); // 100 images x a_2 = 100 B
  EXPECT_EQ(num(m, "offload_fraction"), 1.0);
}

TEST(EngineSimulation, CloudOnlySendsTheInput)
{
  // cloud-only: 0.005 + 8*1000/8000 + 0.06 (cloud runs all) + 0.005 + 0.001 = 1.071 s per image; 1000 B each.
  const auto m = simulate("tests/data/scenarios/tiny3.yaml", {{"policy", "cloud-only"}, {"images", "10"}});
  EXPECT_NEAR(num(m, "mean_latency_s"), 1.071, 1e-12);
  EXPECT_EQ(num(m, "bytes_up"), 10 * 1000.0);
  EXPECT_EQ(num(m, "edge_exit_fraction"), 0.0);
}

TEST(EngineSimulation, PeriodicArrivalsQueueAtTheEdge)
{
  // edge-only with q = 0: every image takes gamma (t1+t2+t3+tb1) = 10 x 0.061 = 0.61 s on the edge. At 2 fps
  // (one image per 0.5 s) the edge is overloaded: image i starts at 0.61 i and arrives at 0.5 i, so it waits
  // 0.11 i. 10 images: waits 0, 0.11, ..., 0.99; latencies 0.61 + 0.11 i; mean = 0.61 + 0.11 x 4.5 = 1.105 s.
  const auto m = simulate("tests/data/scenarios/tiny3.yaml", {{"dnn", src("tests/data/dnn/tiny3-certain.yaml")},
                                                               {"threshold", "0.9"},
                                                               {"policy", "edge-only"},
                                                               {"images", "10"},
                                                               {"arrival", "{process: periodic, rate_hz: 2}"}});
  EXPECT_NEAR(num(m, "mean_latency_s"), 1.105, 1e-9);
  EXPECT_NEAR(num(m, "max_latency_s"), 0.61 + 0.99, 1e-9);
}

TEST(EngineSimulation, TheUplinkSendsOneTensorAtATime)
{
  // cloud-only at 100 fps: the device's uplink sends one tensor at a time (1.005 s each), so tensors queue at the
  // uplink (image i waits 1.005 i - 0.01 i = 0.995 i s) and the cloud (0.06 s per image) never queues.
  // Mean uplink wait = 0.995 x (0+1+2+3+4)/5 = 1.99 s.
  const auto m = simulate("tests/data/scenarios/tiny3.yaml",
                          {{"policy", "cloud-only"}, {"images", "5"}, {"arrival", "{process: periodic, rate_hz: 100}"}});
  EXPECT_EQ(num(m, "mean_cloud_queue_s"), 0.0);
  EXPECT_NEAR(num(m, "mean_uplink_queue_s"), 1.99, 1e-9);
  EXPECT_EQ(num(m, "images"), 5);
}

TEST(EngineSimulation, PlatformLinksApplyWhenTheScenarioGivesNone)
{
  // platforms/edge-cloud-wifi.xml: 18.8 Mbps, 5 ms each way. Cloud-only with tiny3-certain (a_0 = 1000 B, r = 10 B):
  // 0.005 + 8 x 1000 / 18.8e6 + 0.06 (all layers in the cloud) + 0.005 + 8 x 10 / 18.8e6 s per image.
  const auto m = simulate("tests/data/scenarios/platform-links.yaml", {});
  EXPECT_EQ(num(m, "uplink_bps"), 18.8e6);
  EXPECT_EQ(num(m, "latency_ms"), 5);
  EXPECT_NEAR(num(m, "mean_latency_s"), 0.005 + 8 * 1000 / 18.8e6 + 0.06 + 0.005 + 8 * 10 / 18.8e6, 1e-12);
}

TEST(EngineSimulation, AnAgentAsleepForBillionsOfPeriodsStillWakesAtOnce)
{
  // A probe due only after 10^7 s of idle link, on a 1 ms decision grid: a sleeping agent's next tick is 10^10
  // periods away. Summing them one by one never ended (a hang, found in review); past 10^6 periods the tick is now
  // found by bisection. The 20 closed-loop images finish, and no probe ever fires (the run lasts seconds).
  const auto m = simulate("tests/data/scenarios/tiny3.yaml", {{"policy", "dynamic"},
                                                              {"images", "20"},
                                                              {"estimator.probe_idle_s", "1e7"},
                                                              {"update_period_s", "0.001"}});
  EXPECT_EQ(num(m, "images"), 20);
  EXPECT_EQ(num(m, "timed_out"), 0);
  EXPECT_LT(num(m, "sim_time_s"), 100);
}

TEST(EngineSimulation, TimeoutStopsTheRunAndSaysSo)
{
  // Cloud-only tiny3 takes 1.071 s per closed-loop image: by t = 5 s, 4 images are done (4.284 s) and the fifth
  // is on its way; timeout_s stops the run there and the summary says timed_out = 1.
  const auto m = simulate("tests/data/scenarios/tiny3.yaml",
                          {{"policy", "cloud-only"}, {"images", "1000"}, {"timeout_s", "5"}});
  EXPECT_EQ(num(m, "images"), 4);
  EXPECT_EQ(num(m, "timed_out"), 1);
  EXPECT_EQ(num(m, "sim_time_s"), 5);
}

/** Runs `scenario` to timeout_s = `at` and checks that it stopped there, said so, and wrote only finished images. */
static void expect_stopped_at(const std::string& tag, const std::string& scenario,
                       const std::vector<std::pair<std::string, std::string>>& overrides, double at)
{
  const std::string out = test::simulate_to(tag, scenario, overrides);
  const auto summary = test::read_csv(out + "/summary.csv");
  ASSERT_EQ(summary.size(), 1U);
  EXPECT_EQ(summary[0].at("timed_out"), "1");
  EXPECT_EQ(std::stod(summary[0].at("sim_time_s")), at);
  const auto images = test::read_csv(out + "/images.csv");
  EXPECT_EQ(std::stoul(summary[0].at("images")), images.size());
  EXPECT_GT(images.size(), 0U);
  for (const auto& row : images)
    EXPECT_LE(std::stod(row.at("finish_s")), at);
}

TEST(EngineSimulation, TimeoutStopsManyDevicesInTheMiddleOfTheirWork)
{
  // 20 Poisson cameras at gamma 50 (an edge part of 0.1 s or more per image) and 4G: at t = 2.5 s some are computing,
  // some sending, some waiting for a result. Each device stops itself there. SimGrid 3.32 crashed ("The Impossible
  // Did Happen") when such devices were killed instead: exit 1 and no results.
  expect_stopped_at("timeout-many", "workloads/scenarios/cell-n-cameras.yaml",
                    {{"devices", "20"}, {"timeout_s", "2.5"}}, 2.5);
}

TEST(EngineSimulation, TimeoutStopsThreeTiersWithTheEdgeServerBusy)
{
  // 60 cameras behind one single-slot edge server (load-aware): at t = 3.3 s its worker computes, its queue holds
  // tensors, the cloud and the backhaul have work in flight.
  expect_stopped_at("timeout-tiers", "workloads/scenarios/cell-edge-server.yaml", {{"timeout_s", "3.3"}}, 3.3);
}

TEST(EngineSimulation, TwoDevicesShareTheBottleneck)
{
  // Both devices send their 1000 B input at t = 0 through their own 80 kbit/s access link, then the shared
  // 8 kbit/s bottleneck, where each gets 4 kbit/s: transfer = 0.005 + 8 x 1000 / 4000 = 2.005 s (the access link
  // is not the bound). Cloud (2 slots): 0.06 s each. Results (10 B each) share the 8 kbit/s bottleneck back:
  // 0.005 + 80 / 4000 = 0.025 s. Latency = 2.005 + 0.06 + 0.025 = 2.09 s for both.
  const auto m = simulate("tests/data/scenarios/two-devices.yaml", {});
  EXPECT_EQ(num(m, "images"), 2);
  EXPECT_EQ(num(m, "devices"), 2);
  EXPECT_NEAR(num(m, "mean_transfer_s"), 2.005, 1e-9);
  EXPECT_NEAR(num(m, "mean_cloud_s"), 0.06, 1e-9);
  EXPECT_NEAR(num(m, "mean_latency_s"), 2.09, 1e-9);
  EXPECT_NEAR(num(m, "max_latency_s"), 2.09, 1e-9);
  EXPECT_NEAR(num(m, "jain_latency"), 1.0, 1e-12);
}


TEST(EngineSimulation, MeasuredEdgeProfileAndOffloadOverheadsAreExact)
{
  // q = 0 (threshold 0.9), gamma 2 x the measured edge times (l1 0.2, l2 0.05, l3 0.1, b1 0.004 s), split after l1.
  // Edge: 2 (0.2 + 0.004) = 0.408 s. Offload: overhead 0.1 + latency 0.005 + 8 x 500 x 1.2 / 8000 = 0.6 (wire
  // bytes = 1.2 x payload = 600) -> transfer_s = 0.705; cloud l2 + l3 = 0.05; result 0.005 + 8 x 12 / 80000
  // = 0.0062. Latency = 0.408 + 0.705 + 0.05 + 0.0062 = 1.1692 s, for every image. (Wire bytes are whole bytes:
  // f = 1.2 makes both 600 and 12 exact.)
  const std::vector<std::pair<std::string, std::string>> set{
      {"dnn", src("tests/data/dnn/tiny3-certain.yaml")},
      {"edge_profile", src("tests/data/dnn/tiny3-edge-profile.yaml")},
      {"gamma", "2"},
      {"threshold", "0.9"},
      {"protocol_overhead", "1.2"},
      {"offload_overhead_ms", "100"},
      {"policy", "fixed:l1"},
      {"images", "20"}};
  const auto m = simulate("tests/data/scenarios/tiny3.yaml", set);
  EXPECT_NEAR(num(m, "mean_edge_s"), 0.408, 1e-12);
  EXPECT_NEAR(num(m, "mean_transfer_s"), 0.705, 1e-12);
  EXPECT_NEAR(num(m, "mean_cloud_s"), 0.05, 1e-12);
  EXPECT_NEAR(num(m, "mean_latency_s"), 1.1692, 1e-12);
  EXPECT_NEAR(num(m, "max_latency_s"), 1.1692, 1e-12);
  EXPECT_NEAR(num(m, "analytic_expected_time_s"), 1.1692, 1e-12);
  EXPECT_EQ(num(m, "bytes_up"), 20 * 500.0); // payload bytes, as the model's a_s
}
