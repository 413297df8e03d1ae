#include "trace_test_helpers.hpp"

using namespace popex;

namespace {
RateTrace mbps_text(const std::string& text, const TraceOptions& options = {})
{
  return load_trace_text(text, "t.mbps", TraceFormat::MBPS, options);
}
} // namespace

// small.mbps: 10.0 0.8 | 10.5 1.6 | (blank) | 12 0 | 13.0 4.
TEST(MbpsTrace, RowsBecomeStepsFromTheFirstTime)
{
  const RateTrace t = load_trace(trace_data("small.mbps"), TraceFormat::MBPS);
  // Times shift by the first, 10 s; rates = Mbps x 1e6 / 8: 0.8 -> 100000, 1.6 -> 200000, 0 -> 0, 4 -> 500000.
  expect_steps(t, {0, 0.5, 2, 3}, {100000, 200000, 0, 500000});
  // The last row lasts as long as the interval before it (13 - 12 = 1 s): the data ends at 3 + 1 = 4 s.
  EXPECT_DOUBLE_EQ(t.duration_s(), 4.0);
  // Bytes: 100000 x 0.5 + 200000 x 1.5 + 0 x 1 + 500000 x 1 = 850000 over 4 s.
  EXPECT_NEAR(t.mean_Bps(), 212500.0, 1e-6);
  EXPECT_DOUBLE_EQ(t.rate_at(2.5), 0.0); // zero for a while is fine: transfers wait
}

TEST(MbpsTrace, BadFiles)
{
  const std::string bad = trace_data("bad/");
  EXPECT_THROW_MSG(load_trace(bad + "inf.mbps", TraceFormat::MBPS),
                   bad + "inf.mbps:2:5: mbps trace: MBPS must be a finite number >= 0 in Mbit/s (got inf)");
  EXPECT_THROW_MSG(load_trace(bad + "header.mbps", TraceFormat::MBPS),
                   bad + "header.mbps:1:1: mbps trace: SECONDS must be a finite number >= 0 (got time)");
  EXPECT_THROW_MSG(load_trace(bad + "one-row.mbps", TraceFormat::MBPS),
                   bad + "one-row.mbps:1:1: mbps trace: must have at least 2 rows, as the last row lasts as long as "
                         "the interval before it (got 1)");
  EXPECT_THROW_MSG(load_trace(bad + "repeated-time.mbps", TraceFormat::MBPS),
                   bad + "repeated-time.mbps:3:1: mbps trace: SECONDS must be > the previous time 1 (got 1)");
  EXPECT_THROW_MSG(load_trace(bad + "ends-at-zero.mbps", TraceFormat::MBPS),
                   bad + "ends-at-zero.mbps:2:3: mbps trace: the last rate must be > 0 when the trace does not loop, "
                         "or transfers would wait forever (got 0 from t = 1 s on)");
}

TEST(MbpsTrace, EndingAtZeroIsFineWhenLooping)
{
  const RateTrace t = load_trace(trace_data("bad/ends-at-zero.mbps"), TraceFormat::MBPS, {.loop = true});
  // 0 -> 1 Mbit/s = 125000 B/s for 1 s, then 0 for 1 s, and again.
  EXPECT_DOUBLE_EQ(t.rate_at(1.5), 0.0);
  EXPECT_DOUBLE_EQ(t.rate_at(2.5), 125000.0);
}

TEST(MbpsTrace, BadLines)
{
  EXPECT_THROW_MSG(mbps_text("0 1\n1\n"), "t.mbps:2:1: mbps trace: line must be 'SECONDS MBPS' (got '1')");
  EXPECT_THROW_MSG(mbps_text("0 1\n-1 2\n"), "t.mbps:2:1: mbps trace: SECONDS must be a finite number >= 0 (got -1)");
  EXPECT_THROW_MSG(mbps_text("0 1\n1 -2\n"),
                   "t.mbps:2:3: mbps trace: MBPS must be a finite number >= 0 in Mbit/s (got -2)");
  EXPECT_THROW_MSG(mbps_text("0 1\n1 NaN\n"),
                   "t.mbps:2:3: mbps trace: MBPS must be a finite number >= 0 in Mbit/s (got NaN)");
  EXPECT_THROW_MSG(mbps_text("\n\n"),
                   "t.mbps:1:1: mbps trace: must have at least 2 rows, as the last row lasts as long as the interval "
                   "before it (got 0)");
}

TEST(MbpsTrace, Limits)
{
  // Fuzz findings 9 and 10: rates and times that overflow.
  EXPECT_THROW_MSG(mbps_text("0 0.01e308\n5 260\n10 0\n"),
                   "t.mbps:1:3: mbps trace: MBPS must be at most 8e9 Mbit/s, that is 1e15 bytes/s (got 0.01e308)");
  EXPECT_THROW_MSG(mbps_text("5\t6\n1e308\t0"),
                   "t.mbps:2:1: mbps trace: SECONDS must be at most 1e9 s after the first row's 5 (got 1e308)");
  EXPECT_THROW_MSG(mbps_text("0 1\n1e9 1\n"),
                   "t.mbps:2:1: mbps trace: the trace must last at most 1e9 s (got 2000000000 s)");
  EXPECT_EQ(mbps_text("7 1\n500000007 1\n").end_s, 1e9);
  EXPECT_THROW_MSG(mbps_text("0 8000\n1 8000\n", {.scale = 2e6}),
                   "t.mbps:1:3: mbps trace: rate times scale 2000000 must be at most 1e15 bytes/s (got 2e+15 bytes/s)");
  EXPECT_EQ(mbps_text("0 8000\n1 8000\n", {.scale = 1e6}).rate_Bps[0], 1e15);
  // Fuzz finding 12, in general: a looping period must survive printing to the nanosecond.
  EXPECT_THROW_MSG(mbps_text("0 1\n1e-7 2\n", {.loop = true}),
                   "t.mbps:2:1: mbps trace: the period of a looping trace must be at least 1e-06 s, as written "
                   "profiles keep times to the nanosecond (got 2e-07 s)");
}
