#include "trace_test_helpers.hpp"

using namespace popex;

namespace {
RateTrace mahimahi_text(const std::string& text, const TraceOptions& options = {})
{
  return load_trace_text(text, "t.up", TraceFormat::MAHIMAHI, options);
}
} // namespace

// small.up: 0 0 250 999 | 1000 | 2500 2500 2999 | 3600 (ms). The period is the last timestamp, 3.6 s.
TEST(MahimahiTrace, OneSecondBins)
{
  const RateTrace t = load_trace(trace_data("small.up"), TraceFormat::MAHIMAHI);
  // 3.6 s / 1 s rounds to 4 bins; the last is [3, 3.6), 0.6 s wide, and takes the packet stamped 3600.
  // Rates = packets x 1500 / width: 4 x 1500 / 1, 1 x 1500 / 1, 3 x 1500 / 1, 1 x 1500 / 0.6.
  expect_steps(t, {0, 1, 2, 3}, {6000, 1500, 4500, 2500});
  EXPECT_DOUBLE_EQ(t.duration_s(), 3.6);
  EXPECT_FALSE(t.loop_period_s.has_value());
  // 9 packets x 1500 B over 3.6 s.
  EXPECT_DOUBLE_EQ(t.total_bytes(), 13500.0);
  EXPECT_NEAR(t.mean_Bps(), 3750.0, 1e-9);
  // Time-weighted: rates sorted 1500 (1 s), 2500 (0.6 s), 4500 (1 s), 6000 (1 s) of 3.6 s.
  // p5 needs 0.18 s: 1500. p50 needs 1.8 s: 1 + 0.6 = 1.6 < 1.8, so 4500. p95 needs 3.42 s: 6000.
  EXPECT_DOUBLE_EQ(t.quantile_Bps(0.05), 1500.0);
  EXPECT_DOUBLE_EQ(t.quantile_Bps(0.5), 4500.0);
  EXPECT_DOUBLE_EQ(t.quantile_Bps(0.95), 6000.0);
}

TEST(MahimahiTrace, HalfSecondBinsWithEmptyBins)
{
  const RateTrace t = load_trace(trace_data("small.up"), TraceFormat::MAHIMAHI, {.bin_s = 0.5});
  // 3.6 / 0.5 = 7.2 rounds to 7 bins: the 0.1 s remainder joins the last, [3, 3.6).
  // [0, .5): 0 0 250 -> 3 x 1500 / 0.5 = 9000; [.5, 1): 999 -> 3000; [1, 1.5): 1000 -> 3000; [1.5, 2) and
  // [2, 2.5): none -> 0 (a real outage); [2.5, 3): 2500 2500 2999 -> 9000; [3, 3.6): 3600 -> 1500 / 0.6 = 2500.
  expect_steps(t, {0, 0.5, 1, 1.5, 2, 2.5, 3}, {9000, 3000, 3000, 0, 0, 9000, 2500});
  EXPECT_DOUBLE_EQ(t.rate_at(1.7), 0.0);
}

TEST(MahimahiTrace, ShortRemainderJoinsTheLastBin)
{
  // Period 2.2 s: 2.2 bins round to 2, so the last bin is [1, 2.2), 1.2 s wide, with 3 packets.
  const RateTrace t = mahimahi_text("100\n1100\n1500\n2200\n");
  expect_steps(t, {0, 1}, {1500, 3 * 1500 / 1.2});
}

TEST(MahimahiTrace, LoopUsesTheLastTimestampAsPeriod)
{
  const RateTrace t = load_trace(trace_data("small.up"), TraceFormat::MAHIMAHI, {.loop = true});
  ASSERT_TRUE(t.loop_period_s.has_value());
  EXPECT_DOUBLE_EQ(*t.loop_period_s, 3.6);
  EXPECT_DOUBLE_EQ(t.rate_at(3.5), 2500.0);
  EXPECT_DOUBLE_EQ(t.rate_at(3.7), 6000.0); // 3.7 - 3.6 = 0.1: bin 0
  EXPECT_DOUBLE_EQ(t.rate_at(3.6 * 10 + 2.5), 4500.0);
}

TEST(MahimahiTrace, BadFiles)
{
  const std::string bad = trace_data("bad/");
  EXPECT_THROW_MSG(load_trace(bad + "empty.up", TraceFormat::MAHIMAHI),
                   bad + "empty.up:1:1: mahimahi trace: file must not be empty (got 0 bytes)");
  EXPECT_THROW_MSG(load_trace(bad + "binary.up", TraceFormat::MAHIMAHI),
                   bad + "binary.up:2:1: mahimahi trace: file must be text (got byte 0x00)");
  EXPECT_THROW_MSG(load_trace(bad + "float.up", TraceFormat::MAHIMAHI),
                   bad + "float.up:3:1: mahimahi trace: timestamp must be an integer >= 0 in ms (got 12.5)");
  EXPECT_THROW_MSG(load_trace(bad + "decreasing.up", TraceFormat::MAHIMAHI),
                   bad + "decreasing.up:3:1: mahimahi trace: timestamp must be >= the previous one, 20 ms (got 10)");
  EXPECT_THROW_MSG(load_trace(bad + "zero-period.up", TraceFormat::MAHIMAHI),
                   bad + "zero-period.up:2:1: mahimahi trace: the last timestamp, which is the trace's period, must be "
                         "> 0 ms (got 0)");
  EXPECT_THROW_MSG(load_trace(bad + "blank.up", TraceFormat::MAHIMAHI),
                   bad + "blank.up:1:1: mahimahi trace: must have at least one timestamp (got none)");
}

TEST(MahimahiTrace, BadLines)
{
  EXPECT_THROW_MSG(mahimahi_text("0\n5 6\n"),
                   "t.up:2:1: mahimahi trace: line must hold one timestamp in ms (got '5 6')");
  EXPECT_THROW_MSG(mahimahi_text("0\n  -5\n"),
                   "t.up:2:3: mahimahi trace: timestamp must be an integer >= 0 in ms (got -5)");
  EXPECT_THROW_MSG(mahimahi_text("0\nten\n"),
                   "t.up:2:1: mahimahi trace: timestamp must be an integer >= 0 in ms (got ten)");
  EXPECT_THROW_MSG(mahimahi_text("0\n99999999999999999999\n"),
                   "t.up:2:1: mahimahi trace: timestamp must be an integer >= 0 in ms (got 99999999999999999999)");
  EXPECT_THROW_MSG(mahimahi_text("0\n1000\n", {.bin_s = 1e-9}),
                   "t.up: trace options: bin_s must be >= 1e-06 s, as written profiles keep times to the nanosecond "
                   "(got 1e-09)");
}

TEST(MahimahiTrace, Limits)
{
  // Fuzz finding 8: 15 bytes asked for 10^8 bins (7.5 GB).
  EXPECT_THROW_MSG(mahimahi_text("0\n99999999999\n"),
                   "t.up:2:1: mahimahi trace: bin_s must make at most 1000000 bins of the 99999999.999 s trace (got "
                   "100000000 bins of 1 s)");
  EXPECT_THROW_MSG(mahimahi_text("0\n2000\n", {.bin_s = 1e-6}),
                   "t.up:2:1: mahimahi trace: bin_s must make at most 1000000 bins of the 2 s trace (got 2000000 bins "
                   "of 1e-06 s)");
  EXPECT_EQ(mahimahi_text("0\n1000\n", {.bin_s = 1e-6}).time_s.size(), 1000000u);
  EXPECT_THROW_MSG(mahimahi_text("0\n1000000000001\n"),
                   "t.up:2:1: mahimahi trace: timestamp must be at most 1000000000000 ms, as a trace lasts at most "
                   "1e9 s (got 1000000000001)");
  EXPECT_THROW_MSG(mahimahi_text("0\n1000\n", {.scale = 1e12}),
                   "t.up:1:1: mahimahi trace: rate times scale 1e+12 must be at most 1e15 bytes/s (got 3e+15 bytes/s)");
  EXPECT_THROW_MSG(load_trace("/dev/zero", TraceFormat::MAHIMAHI),
                   "/dev/zero: mahimahi trace: cannot open the file (it is not a regular file)");
}
