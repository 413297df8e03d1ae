#include "campaign/campaign_spec.hpp"
#include "campaign/run_spec.hpp"

#include "campaign_test_util.hpp"

#include <gtest/gtest.h>

namespace popex {
namespace {

const std::string kData = POPEX_CAMPAIGN_TEST_DATA;

std::string load_error(const std::string& file)
{
  try {
    load_campaign(file);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(CampaignSpec, LoadsEveryKey)
{
  test::TempDir dir;
  const std::string file = test::write_campaign(dir, "set: {images: 1500, label: '10'}\n"
                                                     "sweep:\n  gamma: [10, 100]\n  arrivals: [{kind: poisson}]\n"
                                                     "zip:\n  - {uplink: [3g, 4g], latency_s: [0.05, 0.02]}\n"
                                                     "seeds: [3, 1]\nmode: both\ntimeout_s: 2.5\n");
  const Campaign c       = load_campaign(file);
  EXPECT_EQ(c.name, "t");
  EXPECT_EQ(c.scenario, "scenario.yaml");
  EXPECT_EQ(c.scenario_file, dir / "scenario.yaml");
  EXPECT_EQ(c.set, (std::vector<std::pair<std::string, std::string>>{{"images", "1500"}, {"label", "\"10\""}}));
  EXPECT_EQ(c.axis_names(), (std::vector<std::string>{"gamma", "arrivals", "uplink", "latency_s"}));
  ASSERT_EQ(c.groups.size(), 3U);
  EXPECT_FALSE(c.groups[0].zipped);
  EXPECT_TRUE(c.groups[2].zipped);
  EXPECT_EQ(c.groups[1].axes[0].values[0].yaml, "{kind: poisson}");
  EXPECT_EQ(c.groups[1].axes[0].values[0].csv, "{kind: poisson}");
  EXPECT_EQ(c.groups[2].axes[1].values[1].csv, "0.02");
  EXPECT_EQ(c.point_count(), 4U);
  EXPECT_EQ(c.seeds, (std::vector<long long>{3, 1}));
  EXPECT_EQ(c.mode, "both");
  EXPECT_DOUBLE_EQ(c.timeout_s, 2.5);
}

TEST(CampaignSpec, Defaults)
{
  test::TempDir dir;
  const Campaign c = load_campaign(test::write_campaign(dir, ""));
  EXPECT_TRUE(c.set.empty());
  EXPECT_TRUE(c.groups.empty());
  EXPECT_EQ(c.point_count(), 1U);
  EXPECT_EQ(c.seeds, (std::vector<long long>{1}));
  EXPECT_EQ(c.mode, "simulate");
  EXPECT_DOUBLE_EQ(c.timeout_s, 600);
}

TEST(CampaignSpec, ScenarioIsRelativeToTheCampaignFile)
{
  const Campaign c = load_campaign(kData + "/grid.yaml");
  EXPECT_EQ(c.scenario_file, kData + "/scenario.yaml");
}

struct BadCase {
  const char* file;
  const char* message; // after "<file>:"
};

TEST(CampaignSpec, ErrorsWordForWord)
{
  const BadCase cases[] = {
      {"empty_sweep", "4:10: campaign: sweep axis 'gamma' must be a non-empty list of values (got [])"},
      {"duplicate_axis", "5:3: campaign: axis 'gamma' appears twice (first at {}:4:3)"},
      {"axis_in_set", "5:3: campaign: axis 'gamma' is also in set (at {}:3:7); give it in one place"},
      {"zip_lengths", "5:16: campaign: zip group #1: axis 'latency_s' has 3 values but 'uplink' has 2; the lists of "
                      "a zip group must have the same length"},
      {"unknown_key", "3:1: campaign: unknown key 'sweeps' (valid: name, scenario, set, sweep, zip, seeds, mode, "
                      "timeout_s)"},
      {"bad_mode", "3:7: campaign: mode must be one of simulate, analytic, both (got fast)"},
      {"missing_scenario", "2:11: campaign: scenario file 'no-such-scenario.yaml' not found (looked for "
                           "'{0}/no-such-scenario.yaml')"},
      {"fractional_seed", "3:12: seeds #2: seed must be an integer (got 1.5)"},
      {"duplicate_seed", "3:15: seeds #3: seed 1 is listed twice"},
      {"empty_key_part", "4:3: campaign: set: key 'arrivals..rate_hz' has an empty part (write dotted keys as a.b.c)"},
      {"overwritten_key", "5:3: campaign: axis 'arrivals' would overwrite 'arrivals.rate_hz' (at {}:3:7), which is "
                          "applied before it; set the whole value first and refine it with dotted keys after"},
      {"zero_timeout", "3:12: campaign: timeout_s must be a number of seconds within (0, 31536000] (a year) (got 0)"},
      {"missing_name", "1:1: campaign: missing required key 'name'"},
      {"duplicate_value", "4:20: campaign: sweep axis 'gamma' lists 10 twice"},
      {"zip_not_list", "3:6: campaign: zip must be a non-empty list of groups, each a mapping of dotted key -> list "
                       "of values (got {uplink: [3g, 4g]})"},
      {"bad_name", "1:7: campaign: name must be letters, digits, '.', '_' or '-' (got my campaign)"},
      {"syntax_error", "3:24: campaign: YAML syntax error: illegal flow end"},
      {"empty", "1:1: campaign: file is empty (expected a YAML mapping)"},
      {"seed_axis", "4:3: campaign: axis 'seed' has the name of a summary column; list replicas under seeds"},
      {"null_set_value", "4:3: campaign: set 'images' must have a value (got null)"},
      {"zip_repeated_point", "4:5: campaign: zip group #1: values #3 repeat an earlier point; every point must be "
                             "different"},
      {"seed_in_set", "3:19: campaign: set 'seed' would be replaced by each run's seed; list replicas under seeds"},
      {"sweep_not_list", "4:10: campaign: sweep axis 'gamma' must be a non-empty list of values (got 10)"},
  };
  for (const auto& c : cases) {
    const std::string file = kData + "/bad/" + c.file + ".yaml";
    std::string expected   = c.message;
    for (std::size_t at = expected.find("{}"); at != std::string::npos; at = expected.find("{}"))
      expected.replace(at, 2, file);
    for (std::size_t at = expected.find("{0}"); at != std::string::npos; at = expected.find("{0}"))
      expected.replace(at, 3, kData + "/bad");
    EXPECT_EQ(load_error(file), file + ":" + expected) << c.file;
  }
}

TEST(CampaignSpec, MissingFile)
{
  EXPECT_EQ(load_error(kData + "/nope.yaml"), kData + "/nope.yaml: cannot open campaign file (No such file or directory)");
}

} // namespace
} // namespace popex
