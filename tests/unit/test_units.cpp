#include "config/units.hpp"
#include "test_helpers.hpp"

#include <gtest/gtest.h>

using namespace popex;

TEST(Units, RatesInSimGridSyntaxAndPresets)
{
  EXPECT_DOUBLE_EQ(parse_rate_bps("1.1Mbps", "r"), 1.1e6);
  EXPECT_DOUBLE_EQ(parse_rate_bps("700kbps", "r"), 700e3);
  EXPECT_DOUBLE_EQ(parse_rate_bps("2MBps", "r"), 16e6); // bytes
  EXPECT_DOUBLE_EQ(parse_rate_bps("1KiBps", "r"), 8192);
  EXPECT_DOUBLE_EQ(parse_rate_bps("3g", "r"), 1.1e6);
  EXPECT_DOUBLE_EQ(parse_rate_bps("4G", "r"), 5.5e6);
  EXPECT_DOUBLE_EQ(parse_rate_bps("wifi", "r"), 18.8e6);
  const std::string rule = "--uplink must be a rate > 0 such as 1.1Mbps, 700kbps, 2MBps or a preset (3g, 4g, wifi)";
  EXPECT_THROW_MSG(parse_rate_bps("5g", "--uplink"), rule + " (got '5g')");
  EXPECT_THROW_MSG(parse_rate_bps("10", "--uplink"), rule + " (got '10')");
  EXPECT_THROW_MSG(parse_rate_bps("-1Mbps", "--uplink"), rule + " (got '-1Mbps')");
  EXPECT_THROW_MSG(parse_rate_bps("nanMbps", "--uplink"), rule + " (got 'nanMbps')");
}

TEST(Units, NumberAxes)
{
  EXPECT_EQ(parse_number_axis("1,10,100", "g"), (std::vector<double>{1, 10, 100}));
  const auto p = parse_number_axis("0:1:0.1", "p");
  ASSERT_EQ(p.size(), 11u);
  EXPECT_EQ(p[3], 0.3); // exactly the double nearest 0.3, not 0.30000000000000004
  EXPECT_EQ(p[10], 1.0);
  EXPECT_EQ(parse_number_axis("1:1000:1", "g").size(), 1000u);
  EXPECT_EQ(parse_number_axis("5,1:3:1", "g"), (std::vector<double>{5, 1, 2, 3}));
  EXPECT_THROW_MSG(parse_number_axis("1:3:0", "--gamma"), "--gamma range step must be > 0 (got '1:3:0')");
  EXPECT_THROW_MSG(parse_number_axis("3:1:1", "--gamma"), "--gamma range stop must be >= start (got '3:1:1')");
  EXPECT_THROW_MSG(parse_number_axis("1,,2", "--gamma"),
                   "--gamma must be a comma-separated list without empty items (got '1,,2')");
  EXPECT_THROW_MSG(parse_number_axis("nan", "--gamma"), "--gamma must be a finite number (got 'nan')");
}
