#include "campaign/campaign_csv.hpp"
#include "campaign/campaign_runner.hpp"
#include "campaign/campaign_summary.hpp"
#include "campaign/progress_bar.hpp"

#include "campaign_test_util.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace popex {
namespace {

using test::read_file;
using test::TempDir;

TEST(CampaignSummary, StudentTQuantiles)
{
  // Two-sided 95%: t_{0.975, df}, from the usual tables.
  EXPECT_NEAR(student_t_975(1), 12.706205, 1e-6);
  EXPECT_NEAR(student_t_975(2), 4.302653, 1e-6);
  EXPECT_NEAR(student_t_975(9), 2.262157, 1e-6);
  EXPECT_NEAR(student_t_975(30), 2.042272, 1e-6);
  EXPECT_NEAR(student_t_975(40), 2.021075, 1e-6);
  EXPECT_NEAR(student_t_975(60), 2.000298, 1e-6);
  EXPECT_NEAR(student_t_975(1000), 1.962339, 1e-6);
  EXPECT_TRUE(std::isnan(student_t_975(0)));
}

TEST(CampaignSummary, ConfidenceIntervalOnHandNumbers)
{
  TempDir dir;
  // Seeds 1, 2, 3 with x = 1 give mean_latency_s = 1, 2, 3: mean 2, sd 1, ci = t(0.975, 2) * 1 / sqrt(3)
  // = 4.302653 / 1.7320508 = 2.4841379. The point with x = 4 and one ok seed has no CI.
  const std::string file =
      test::write_campaign(dir, "zip:\n  - {x: [1, 4], behave: [ok, ok]}\n  - {w: [a, b, c]}\nseeds: [1, 2, 3]\n");
  const std::map<std::string, RunFunction> by_mode{{"simulate", [](const RunSpec& s, const std::string& out) {
                                                      if (test::axis_text(s, "x", "") == "4" && s.seed != 2)
                                                        throw std::runtime_error("no");
                                                      test::fake_ok(s, out);
                                                    }}};
  CampaignOptions o;
  o.file    = file;
  o.out_dir = dir / "out";
  o.jobs    = 2;
  EXPECT_EQ(run_campaign(o, by_mode), 1);
  const auto rows = parse_csv(read_file(dir / "out/summary_by_point.csv"), "by_point");
  ASSERT_EQ(rows.size(), 7U);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"x", "behave", "w", "n_seeds", "n_failed", "mean_latency_s",
                                               "mean_latency_s_ci95", "images"}));
  EXPECT_EQ(rows[1][3], "3");
  EXPECT_EQ(rows[1][4], "0");
  EXPECT_EQ(rows[1][5], "2");
  EXPECT_NEAR(std::stod(rows[1][6]), 4.302653 / std::sqrt(3.0), 1e-9);
  EXPECT_NEAR(std::stod(rows[1][6]), 2.4841379, 1e-7);
  EXPECT_EQ(rows[4], (std::vector<std::string>{"4", "ok", "a", "1", "2", "8", "", "100"}));
}

TEST(CampaignSummary, ConfidenceIntervalColumns)
{
  EXPECT_TRUE(has_confidence_interval("mean_latency_s"));
  EXPECT_TRUE(has_confidence_interval("p95_latency_s"));
  EXPECT_TRUE(has_confidence_interval("latency_s"));
  EXPECT_FALSE(has_confidence_interval("latency_s_max"));
  EXPECT_FALSE(has_confidence_interval("mean_time_s"));
}

TEST(CampaignCsv, QuotesAndParses)
{
  EXPECT_EQ(csv_line({"a", "b,c", "say \"hi\"", ""}), "a,\"b,c\",\"say \"\"hi\"\"\",\n");
  const auto rows = parse_csv("a,\"b,c\",\"say \"\"hi\"\"\",\r\nx,\"multi\nline\",,z\n\n", "t.csv");
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b,c", "say \"hi\"", ""}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x", "multi\nline", "", "z"}));
  EXPECT_THROW(parse_csv("a,\"b\n", "t.csv"), ConfigError);
}

TEST(ProgressBar, Line)
{
  ProgressBar bar(10, 2, false);
  EXPECT_EQ(bar.line(), "[######........................] 2/10 runs, 0 failed");
  bar.run_done(true);
  bar.run_done(false);
  const std::string line = bar.line();
  EXPECT_EQ(line.substr(0, 52), "[############..................] 4/10 runs, 1 failed");
  EXPECT_NE(line.find(", ETA "), std::string::npos);
}

} // namespace
} // namespace popex
