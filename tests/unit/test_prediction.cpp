// The per-device prediction of summary.csv and devices.csv (sim/config/prediction.hpp): a run of many alike devices
// solves once, so same_initial_params() must see every value initial_params() reads.
#include "config/prediction.hpp"
#include "config/scenario.hpp"
#include "test_helpers.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace popex {
namespace {

TEST(Prediction, DevicesAlikeAreToldApartByEveryValueTheirParametersRead)
{
  // tiny3 on a generated platform with two identical devices: gamma 10, 8 kbit/s up, 80 kbit/s down, 5 ms.
  const Scenario sc = load_scenario(source_path("tests/data/scenarios/tiny3-generated.yaml"), {{"devices", "2"}});
  const ResolvedRun run = resolve_without_platform(sc);
  ASSERT_EQ(run.devices.size(), 2U);
  ASSERT_TRUE(same_initial_params(run, 0, 1));
  const Prediction p0 = predict(sc, run, 0), p1 = predict(sc, run, 1);
  EXPECT_EQ(p0.choice.device_split, p1.choice.device_split);
  EXPECT_EQ(p0.choice.expected_time_s, p1.choice.expected_time_s);
  EXPECT_EQ(p0.params.device.link.uplink_bps, 8000);

  const auto alike_after = [&run](auto change) {
    ResolvedRun r = run;
    change(r.devices[1]);
    return same_initial_params(r, 0, 1);
  };
  // Each value initial_params() reads, changed on device 1 only.
  EXPECT_FALSE(alike_after([](ResolvedDevice& d) { d.gamma = 20; }));
  EXPECT_FALSE(alike_after([](ResolvedDevice& d) { d.profile = std::make_shared<const EdgeProfile>(); }));
  EXPECT_FALSE(alike_after([](ResolvedDevice& d) { d.uplink_bps = 4000; }));
  EXPECT_FALSE(alike_after([](ResolvedDevice& d) { d.downlink_bps = 40000; }));
  EXPECT_FALSE(alike_after([](ResolvedDevice& d) { d.up_latency_s = 0.01; }));
  EXPECT_FALSE(alike_after([](ResolvedDevice& d) { d.down_latency_s = 0.01; }));
  EXPECT_FALSE(alike_after([](ResolvedDevice& d) { d.edge_server = 1; }));
  // What it does not read leaves them alike: their arrivals, and whether the rate follows a trace.
  EXPECT_TRUE(alike_after([](ResolvedDevice& d) { d.arrival.rate_hz = 99; }));
  EXPECT_TRUE(alike_after([](ResolvedDevice& d) { d.uplink_trace = true; }));
}

} // namespace
} // namespace popex
