// Three tiers (device -> edge server -> cloud) simulated, against the model: exactly when every q is 0 or 1,
// within 3 standard errors otherwise; devices queueing at one edge server; and the summary describing what ran.
// Each TEST runs in its own process (one SimGrid engine per process).
#include "config/dnn_loader.hpp"
#include "core/partition_graph.hpp"
#include "engine_test_util.hpp"
#include "simulation/platform_builder.hpp"
#include "simulation/topology.hpp"

#include <simgrid/s4u/Engine.hpp>

#include <fmt/format.h>

using namespace popex;
namespace sg4 = simgrid::s4u;
using test::num;
using test::read_csv;
using test::src;

namespace {
/** Runs a scenario with overrides; returns the output folder. */
std::string simulate(const std::string& scenario, const std::vector<std::pair<std::string, std::string>>& overrides)
{
  return test::simulate_to("tiers", scenario, overrides);
}
} // namespace

TEST(EngineTiers, NeverExitingIsExactThroughEveryTier)
{
  // q = 0, split after l1 on the device and after l2 on the edge server (gd 10, ge 2):
  // device l1 + b1 = 10 x 0.011 = 0.11; access 0.005 + 8 x 500 / 8000 = 0.505; edge server l2 = 2 x 0.02 = 0.04;
  // backhaul 0.001 + 8 x 100 / 80000 = 0.011; cloud l3 = 0.03; results back 0.001 + 80 / 800000 + 0.005
  // + 80 / 80000 = 0.0071. Latency = 0.7031 s for every image, = E[T(1, 2)].
  const std::string out = simulate("tests/data/scenarios/tiny3-tiers.yaml", {{"policy", "fixed:l1,l2"}});
  const auto s          = read_csv(out + "/summary.csv").front();
  EXPECT_NEAR(num(s, "mean_latency_s"), 0.7031, 1e-12);
  EXPECT_NEAR(num(s, "max_latency_s"), 0.7031, 1e-12);
  EXPECT_NEAR(num(s, "analytic_expected_time_s"), 0.7031, 1e-12);
  EXPECT_NEAR(num(s, "mean_edge_s"), 0.11, 1e-12);
  EXPECT_NEAR(num(s, "mean_transfer_s"), 0.505, 1e-12);
  EXPECT_NEAR(num(s, "mean_edge_server_s"), 0.04, 1e-12);
  EXPECT_NEAR(num(s, "mean_backhaul_s"), 0.011, 1e-12);
  EXPECT_NEAR(num(s, "mean_cloud_s"), 0.03, 1e-12);
  EXPECT_EQ(num(s, "cloud_fraction"), 1.0);
  const auto images = read_csv(out + "/images.csv");
  ASSERT_EQ(images.size(), 20U);
  EXPECT_EQ(images.front().at("exit_location"), "cloud");
  EXPECT_EQ(images.front().at("split_after"), "l1");
  EXPECT_EQ(images.front().at("edge_split_after"), "l2");
  EXPECT_NEAR(num(images.front(), "downlink_s"), 0.0071, 1e-12);
}

TEST(EngineTiers, CertainExitOnTheEdgeServerIsExact)
{
  // q = 1 (threshold 0.5), everything on the edge server (edge-only = (0, N)): the raw input crosses the access
  // link (0.005 + 1 = 1.005), the edge server runs l1 and b1 (2 x 0.011 = 0.022) and b1 takes the image; its
  // result comes back (0.006). Latency = 1.033 s.
  const std::string out =
      simulate("tests/data/scenarios/tiny3-tiers.yaml", {{"threshold", "0.5"}, {"policy", "edge-only"}});
  const auto s = read_csv(out + "/summary.csv").front();
  EXPECT_NEAR(num(s, "mean_latency_s"), 1.033, 1e-12);
  EXPECT_NEAR(num(s, "analytic_expected_time_s"), 1.033, 1e-12);
  EXPECT_EQ(num(s, "edge_server_exit_fraction"), 1.0);
  EXPECT_EQ(num(s, "edge_exit_fraction"), 1.0);
  EXPECT_EQ(num(s, "accuracy"), 1.0);
  EXPECT_EQ(read_csv(out + "/images.csv").front().at("exit_location"), "edge-server");
}

TEST(EngineTiers, RelayingEdgeServerIsExact)
{
  // cloud-only = (0, 0): the edge server relays the raw input: access 1.005, backhaul 0.001 + 8 x 1000 / 80000
  // = 0.101, cloud 0.06, results 0.0071. Latency = 1.1731 s.
  const std::string out = simulate("tests/data/scenarios/tiny3-tiers.yaml", {{"policy", "cloud-only"}});
  const auto s          = read_csv(out + "/summary.csv").front();
  EXPECT_NEAR(num(s, "mean_latency_s"), 1.1731, 1e-12);
  EXPECT_NEAR(num(s, "analytic_expected_time_s"), 1.1731, 1e-12);
  EXPECT_EQ(num(s, "mean_edge_server_s"), 0.0);
  EXPECT_EQ(num(s, "mean_edge_server_queue_s"), 0.0);
}

TEST(EngineTiers, DevicesQueueAtOneEdgeServer)
{
  // Two devices send their raw input at t = 0 over their own access links (1.005 s each); the edge server has one
  // slot and runs the whole DNN for each (2 x 0.061 = 0.122 s): the first image is served at once, the second waits
  // 0.122 s. Results back 0.006 s. Latencies 1.005 + 0.122 + 0.006 = 1.133 and 1.255: mean 1.194; mean wait 0.061.
  const std::string out = simulate("tests/data/scenarios/tiny3-tiers.yaml",
                                   {{"devices", "2"}, {"policy", "edge-only"}, {"images", "1"}});
  const auto s = read_csv(out + "/summary.csv").front();
  EXPECT_EQ(num(s, "images"), 2);
  EXPECT_NEAR(num(s, "mean_latency_s"), 1.194, 1e-12);
  EXPECT_NEAR(num(s, "max_latency_s"), 1.255, 1e-12);
  EXPECT_NEAR(num(s, "mean_edge_server_queue_s"), 0.061, 1e-12);
}

struct TierPoint {
  double gamma, edge_gamma;
  const char* uplink;
  const char* backhaul;
};
void PrintTo(const TierPoint& p, std::ostream* os)
{
  *os << p.gamma << "/" << p.edge_gamma << "/" << p.uplink << "/" << p.backhaul;
}

class TieredClosedLoopMatchesSolve : public ::testing::TestWithParam<TierPoint> {};

TEST_P(TieredClosedLoopMatchesSolve, MeanLatencyWithinThreeStandardErrors)
{
  // B-AlexNet, three tiers, static policy, closed loop: 20,000 i.i.d. images estimate E[T(s1*, s2*)] with standard
  // error sd/sqrt(n). The summary's analytic_expected_time_s is the core's E[T] of the Dijkstra pair.
  const TierPoint p     = GetParam();
  const std::string out = simulate("workloads/scenarios/b-alexnet-3tier.yaml",
                                   {{"gamma", fmt::format("{}", p.gamma)},
                                    {"uplink", p.uplink},
                                    {"latency_ms", "10"},
                                    {"policy", "static"},
                                    {"edge_server.gamma", fmt::format("{}", p.edge_gamma)},
                                    {"backhaul.rate", p.backhaul},
                                    {"images", "20000"}});
  const auto s = read_csv(out + "/summary.csv").front();
  ASSERT_EQ(num(s, "images"), 20000);
  const double mean = num(s, "mean_latency_s");
  const double se   = num(s, "latency_stderr_s");
  const double et   = num(s, "analytic_expected_time_s");
  EXPECT_NEAR(mean, et, 3 * se) << "mean " << mean << " E[T] " << et << " se " << se << " pair "
                                << s.at("analytic_split_after") << "," << s.at("analytic_edge_split_after");
  EXPECT_GT(se, 0);
}

INSTANTIATE_TEST_SUITE_P(BAlexNet, TieredClosedLoopMatchesSolve,
                         ::testing::Values(TierPoint{100, 1.5, "wifi", "5Mbps"}, TierPoint{100, 3, "4g", "1Gbps"},
                                           TierPoint{30, 0.5, "3g", "50Mbps"}, TierPoint{300, 10, "wifi", "20Mbps"}),
                         [](const ::testing::TestParamInfo<TierPoint>& i) {
                           return fmt::format("gd{}_ge{}_{}_{}", i.param.gamma,
                                              static_cast<int>(i.param.edge_gamma * 10), i.param.uplink,
                                              i.param.backhaul);
                         });

TEST(EngineProvenance, TheSummaryDescribesWhatRan)
{
  // The repro of issue 11: the scenario says gamma 10, its only device gamma 20. The run simulates gamma 20, and the
  // summary must say so: gamma 20 and the prediction at gamma 20 (B-AlexNet, 3G: device-only, 0.3126 s).
  const std::string out = simulate("workloads/scenarios/b-alexnet-3g.yaml", {{"devices", "[{gamma: 20}]"}});
  const auto s          = read_csv(out + "/summary.csv").front();
  EXPECT_EQ(s.at("gamma"), "20");
  // The core's prediction at gamma 20, 3G (1.1 Mbit/s), latency 0 (the scenario's), threshold 0.8.
  const Workload w = load_workload(src("workloads/dnn/b-alexnet.yaml"));
  ModelParams mp;
  mp.gamma      = 20;
  mp.link       = {1.1e6, 1.1e6, 0, 0};
  mp.exit_probs = w.variant("")->at(0.8).exit_probs;
  const SplitChoice c = PartitionGraph(w.dnn).solve(mp);
  EXPECT_EQ(s.at("analytic_split_after"), w.dnn.split_name(c.split));
  EXPECT_NEAR(num(s, "analytic_expected_time_s"), c.expected_time_s, 1e-12);
  EXPECT_NEAR(num(s, "mean_latency_s"), num(s, "analytic_expected_time_s"), 3 * num(s, "latency_stderr_s"));
  const auto devices = read_csv(out + "/devices.csv");
  ASSERT_EQ(devices.size(), 1U);
  EXPECT_EQ(devices.front().at("gamma"), "20");
  EXPECT_EQ(devices.front().at("analytic_expected_time_s"), s.at("analytic_expected_time_s"));
}

TEST(EngineTiers, GeneratedDevicesAreInIndexOrderAndReachServerIModM)
{
  // 12 devices, 3 edge servers: hosts edge-00..edge-11 (SimGrid lists hosts by name; unpadded, edge-10 would come
  // before edge-2 and be the scenario's device 2). Device 10 reaches edge server 10 mod 3 = 1 over its own access
  // links, and that server the cloud over its backhaul.
  sg4::Engine e("engine-tiers-test");
  const Scenario sc = load_scenario(src("tests/data/scenarios/tiny3-tiers.yaml"),
                                    {{"devices", "12"}, {"edge_servers", "3"}});
  const std::string platform = build_platform(sc);
  EXPECT_EQ(platform, "generated: 12 devices, 3 edge servers");
  const Topology t = find_topology(e, sc, platform);
  ASSERT_EQ(t.devices.size(), 12U);
  ASSERT_EQ(t.servers.size(), 3U);
  EXPECT_EQ(t.devices[2].host->get_name(), "edge-02");
  EXPECT_EQ(t.devices[10].host->get_name(), "edge-10");
  EXPECT_EQ(t.devices[10].edge_server, 1U);
  EXPECT_EQ(t.devices[10].uplink->get_name(), "uplink-10");
  EXPECT_EQ(t.servers[1].host->get_name(), "edge-server-1");
  EXPECT_EQ(t.servers[1].backhaul_up->get_name(), "backhaul-up-1");
  EXPECT_EQ(t.servers[1].backhaul_down->get_name(), "backhaul-down-1");
}
