#pragma once

#include "test_helpers.hpp"
#include "traces/rate_trace.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

/** Path of a file under tests/data/traces/. */
inline std::string trace_data(const std::string& rel)
{
  return source_path("tests/data/traces/" + rel);
}

/** Expects the trace's steps to be exactly these (times in s, rates in bytes/s), up to 1e-9 relative. */
inline void expect_steps(const popex::RateTrace& trace, const std::vector<double>& time_s,
                         const std::vector<double>& rate_Bps)
{
  ASSERT_EQ(trace.time_s.size(), time_s.size());
  ASSERT_EQ(trace.rate_Bps.size(), rate_Bps.size());
  for (std::size_t i = 0; i < time_s.size(); ++i) {
    EXPECT_NEAR(trace.time_s[i], time_s[i], 1e-9 * (1 + time_s[i])) << "step " << i;
    EXPECT_NEAR(trace.rate_Bps[i], rate_Bps[i], 1e-9 * (1 + rate_Bps[i])) << "step " << i;
  }
}
