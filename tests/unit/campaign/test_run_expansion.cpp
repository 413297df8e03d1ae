#include "campaign/campaign_runner.hpp"
#include "campaign/campaign_spec.hpp"
#include "campaign/run_spec.hpp"
#include "campaign/run_table.hpp"

#include "campaign_test_util.hpp"

#include <gtest/gtest.h>

namespace popex {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(RunExpansion, RunIdsArePaddedToTheLastIndex)
{
  EXPECT_EQ(format_run_id(0, 1), "r0");
  EXPECT_EQ(format_run_id(9, 10), "r9");
  EXPECT_EQ(format_run_id(3, 11), "r03");
  EXPECT_EQ(format_run_id(42, 100), "r42");
  EXPECT_EQ(format_run_id(42, 101), "r042");
  EXPECT_EQ(format_run_id(42, 12000), "r00042");
}

TEST(RunExpansion, CartesianInFileOrderSeedsInnermost)
{
  test::TempDir dir;
  const Campaign c = load_campaign(test::write_campaign(
      dir, "set: {images: 1500}\nsweep:\n  gamma: [10, 100]\n  uplink: [3g, 4g, wifi]\nseeds: [7, 8]\n"));
  const auto runs  = expand_runs(c);
  ASSERT_EQ(runs.size(), 12U); // 2 gammas x 3 uplinks x 2 seeds
  // The first axis varies slowest, like nested loops in file order; seeds are the innermost loop.
  const char* expected[][3] = {{"10", "3g", "7"},   {"10", "3g", "8"},   {"10", "4g", "7"},    {"10", "4g", "8"},
                               {"10", "wifi", "7"}, {"10", "wifi", "8"}, {"100", "3g", "7"},   {"100", "3g", "8"},
                               {"100", "4g", "7"},  {"100", "4g", "8"},  {"100", "wifi", "7"}, {"100", "wifi", "8"}};
  for (std::size_t i = 0; i < runs.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(runs[i].index, i);
    EXPECT_EQ(runs[i].run_id, fmt::format("r{:02}", i));
    EXPECT_EQ(runs[i].point_index, i / 2);
    EXPECT_EQ(runs[i].axes, (Pairs{{"gamma", expected[i][0]}, {"uplink", expected[i][1]}}));
    EXPECT_EQ(runs[i].seed, std::stoll(expected[i][2]));
    EXPECT_EQ(runs[i].overrides, (Pairs{{"images", "1500"}, {"gamma", expected[i][0]}, {"uplink", expected[i][1]}}));
    EXPECT_EQ(runs[i].scenario_file, dir / "scenario.yaml");
    EXPECT_EQ(runs[i].mode, "simulate");
  }
}

TEST(RunExpansion, ZipGroupsAdvanceTogetherAfterTheSweepAxes)
{
  test::TempDir dir;
  const Campaign c = load_campaign(test::write_campaign(
      dir, "zip:\n  - {uplink: [3g, 4g], latency_s: [0.05, 0.02]}\n  - {arrivals: [{kind: poisson, rate_hz: 5}, "
           "periodic, bursty]}\nsweep:\n  gamma: [10, 100]\n"));
  const auto runs  = expand_runs(c);
  ASSERT_EQ(runs.size(), 12U); // 2 gammas x 2 (uplink, latency) pairs x 3 arrivals
  EXPECT_EQ(RunTable::from_runs(c, runs).to_csv(), "run_id,gamma,uplink,latency_s,arrivals,seed\n"
                                                   "r00,10,3g,0.05,\"{kind: poisson, rate_hz: 5}\",1\n"
                                                   "r01,10,3g,0.05,periodic,1\n"
                                                   "r02,10,3g,0.05,bursty,1\n"
                                                   "r03,10,4g,0.02,\"{kind: poisson, rate_hz: 5}\",1\n"
                                                   "r04,10,4g,0.02,periodic,1\n"
                                                   "r05,10,4g,0.02,bursty,1\n"
                                                   "r06,100,3g,0.05,\"{kind: poisson, rate_hz: 5}\",1\n"
                                                   "r07,100,3g,0.05,periodic,1\n"
                                                   "r08,100,3g,0.05,bursty,1\n"
                                                   "r09,100,4g,0.02,\"{kind: poisson, rate_hz: 5}\",1\n"
                                                   "r10,100,4g,0.02,periodic,1\n"
                                                   "r11,100,4g,0.02,bursty,1\n");
  EXPECT_EQ(
      runs[3].overrides,
      (Pairs{{"gamma", "10"}, {"uplink", "4g"}, {"latency_s", "0.02"}, {"arrivals", "{kind: poisson, rate_hz: 5}"}}));
}

TEST(RunExpansion, NoAxesIsOnePointPerSeed)
{
  test::TempDir dir;
  const auto runs = expand_runs(load_campaign(test::write_campaign(dir, "seeds: [1, 2, 3]\n")));
  ASSERT_EQ(runs.size(), 3U);
  EXPECT_EQ(runs[2].run_id, "r2");
  EXPECT_EQ(runs[2].point_index, 0U);
  EXPECT_TRUE(runs[2].axes.empty());
}

TEST(RunExpansion, Deterministic)
{
  const Campaign c = load_campaign(std::string(POPEX_CAMPAIGN_TEST_DATA) + "/grid.yaml");
  const auto a     = expand_runs(c);
  const auto b     = expand_runs(load_campaign(std::string(POPEX_CAMPAIGN_TEST_DATA) + "/grid.yaml"));
  ASSERT_EQ(a.size(), 8U);
  EXPECT_EQ(resolved_campaign_yaml(c, a), resolved_campaign_yaml(c, b));
}

TEST(RunExpansion, ResolvedYaml)
{
  const Campaign c    = load_campaign(std::string(POPEX_CAMPAIGN_TEST_DATA) + "/grid.yaml");
  const std::string y = resolved_campaign_yaml(c, expand_runs(c));
  EXPECT_EQ(y, "# Campaign 'grid' as expanded: 8 runs, each = scenario + `set` in order + seed.\n"
               "# The scenario path is relative to the campaign file. See docs/campaigns.md.\n"
               "name: grid\n"
               "scenario: scenario.yaml\n"
               "mode: simulate\n"
               "seeds:\n"
               "  - 1\n"
               "  - 2\n"
               "set:\n"
               "  images: 100\n"
               "  arrivals:\n"
               "    kind: poisson\n"
               "    rate_hz: 5\n"
               "sweep:\n"
               "  x:\n"
               "    - 1\n"
               "    - 2\n"
               "zip:\n"
               "  - y:\n"
               "      - a\n"
               "      - b\n"
               "    z:\n"
               "      - 10\n"
               "      - 20\n"
               "runs:\n"
               "  - {run_id: r0, point: 0, seed: 1, set: {images: 100, arrivals: {kind: poisson, rate_hz: 5}, x: 1, "
               "y: a, z: 10}}\n"
               "  - {run_id: r1, point: 0, seed: 2, set: {images: 100, arrivals: {kind: poisson, rate_hz: 5}, x: 1, "
               "y: a, z: 10}}\n"
               "  - {run_id: r2, point: 1, seed: 1, set: {images: 100, arrivals: {kind: poisson, rate_hz: 5}, x: 1, "
               "y: b, z: 20}}\n"
               "  - {run_id: r3, point: 1, seed: 2, set: {images: 100, arrivals: {kind: poisson, rate_hz: 5}, x: 1, "
               "y: b, z: 20}}\n"
               "  - {run_id: r4, point: 2, seed: 1, set: {images: 100, arrivals: {kind: poisson, rate_hz: 5}, x: 2, "
               "y: a, z: 10}}\n"
               "  - {run_id: r5, point: 2, seed: 2, set: {images: 100, arrivals: {kind: poisson, rate_hz: 5}, x: 2, "
               "y: a, z: 10}}\n"
               "  - {run_id: r6, point: 3, seed: 1, set: {images: 100, arrivals: {kind: poisson, rate_hz: 5}, x: 2, "
               "y: b, z: 20}}\n"
               "  - {run_id: r7, point: 3, seed: 2, set: {images: 100, arrivals: {kind: poisson, rate_hz: 5}, x: 2, "
               "y: b, z: 20}}\n");
}

TEST(RunExpansion, RunTableRoundTrip)
{
  const Campaign c  = load_campaign(std::string(POPEX_CAMPAIGN_TEST_DATA) + "/grid.yaml");
  const RunTable t  = RunTable::from_runs(c, expand_runs(c));
  const RunTable t2 = RunTable::parse(t.to_csv(), "runs.csv");
  EXPECT_EQ(t2.axis_names, t.axis_names);
  EXPECT_EQ(t2.to_csv(), t.to_csv());
  EXPECT_THROW(RunTable::parse("a,b\n", "x.csv"), ConfigError);
}

} // namespace
} // namespace popex
