// The Update Box in whole simulations: rate estimators and online exit-probability estimates. One engine per
// process: each TEST (and parameter) is its own process under ctest.
#include "config/dnn_loader.hpp"
#include "config/scenario.hpp"
#include "simulation/simulation.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace popex;

namespace {
std::string src(const std::string& rel)
{
  return std::string(POPEX_SOURCE_DIR) + "/" + rel;
}

/** Runs a scenario and returns decisions.csv as rows of cells (header first). */
std::vector<std::vector<std::string>> decisions(const std::string& scenario,
                                                const std::vector<std::pair<std::string, std::string>>& overrides)
{
  const auto* info      = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name      = std::string(info->test_suite_name()) + "-" + info->name();
  std::replace(name.begin(), name.end(), '/', '-');
  const std::string out = ::testing::TempDir() + "/popex-" + name;
  std::filesystem::remove_all(out);
  run_simulation(load_scenario(src(scenario), overrides), out, {});
  std::ifstream in(out + "/decisions.csv");
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::istringstream l(line);
    for (std::string c; std::getline(l, c, ',');)
      cells.push_back(c);
    rows.push_back(cells);
  }
  return rows;
}
} // namespace

class EstimatorConverges : public ::testing::TestWithParam<const char*> {};

TEST_P(EstimatorConverges, OnAConstantLinkToTheTrueRate)
{
  // tiny3 at threshold 0.5 offloads 40% of the images after l2 (100 B at 8 kbit/s, 5 ms latency). On the analytic
  // network each sample is 8 x 100 / (transfer - 0.005) = 8000 bit/s exactly, so every estimator lands on it.
  const auto rows = decisions("tests/data/scenarios/tiny3.yaml",
                              {{"policy", "dynamic"}, {"images", "300"}, {"update_period_s", "0.5"},
                               {"estimator", fmt::format("{{kind: {}}}", GetParam())}, {"uplink", "8kbps"}});
  ASSERT_GT(rows.size(), 10u);
  EXPECT_EQ(rows[0][4], "estimated_rate_bps");
  for (std::size_t i = rows.size() - 5; i < rows.size(); ++i)
    EXPECT_NEAR(std::stod(rows[i][4]), 8000.0, 1e-6) << fmt::format("{}", fmt::join(rows[i], ","));
}

INSTANTIATE_TEST_SUITE_P(Kinds, EstimatorConverges, ::testing::Values("last", "ewma", "harmonic", "oracle"));

TEST(ExitEstimates, FollowTheBlurSchedule)
{
  // Edge-only MobileNetV2 (gamma 10): every branch runs on the edge, so the agent observes all three. Pristine
  // until t = 60 s, blur sigma 3 after. Over its 200-image window the estimate of q_k is a binomial share:
  // sd <= sqrt(0.25 / 200) = 0.035, so 0.12 is beyond 3 sd (b3, reached by fewer images, gets 0.15).
  const Workload w  = load_workload(src("workloads/dnn/mobilenetv2-3b.yaml"));
  const auto before = w.variant("pristine")->at(0.8).exit_probs;
  const auto after  = w.variant("blur-3")->at(0.8).exit_probs;
  const auto rows   = decisions("workloads/scenarios/mobilenetv2-blur-drift.yaml", {});
  ASSERT_EQ(rows[0][9], "q_b1");
  const std::vector<double> tol{0.12, 0.12, 0.15};
  bool checked_before = false;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const double t = std::stod(rows[r][0]);
    const std::vector<double>* want = t >= 30 && t <= 60 ? &before : t >= 100 ? &after : nullptr;
    if (want == nullptr)
      continue;
    checked_before = checked_before || want == &before;
    for (std::size_t k = 0; k < 3; ++k)
      EXPECT_NEAR(std::stod(rows[r][9 + k]), (*want)[k], tol[k]) << "t = " << t << ", branch " << k + 1;
  }
  EXPECT_TRUE(checked_before);
  // And the drift is real: blur lowers the deeper branches' exits.
  EXPECT_LT(after[2], before[2] - 0.15);
}
