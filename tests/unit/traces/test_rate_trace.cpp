#include "trace_test_helpers.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

using namespace popex;

TEST(RateTrace, ParseTraceFormat)
{
  EXPECT_EQ(parse_trace_format("simgrid", "uplink.format"), TraceFormat::SIMGRID);
  EXPECT_EQ(parse_trace_format("mahimahi", "uplink.format"), TraceFormat::MAHIMAHI);
  EXPECT_EQ(parse_trace_format("mbps", "uplink.format"), TraceFormat::MBPS);
  EXPECT_EQ(parse_trace_format("sabre", "uplink.format"), TraceFormat::SABRE);
  EXPECT_THROW_MSG(parse_trace_format("MAHIMAHI", "uplink.format"),
                   "uplink.format must be one of simgrid, mahimahi, mbps, sabre (got 'MAHIMAHI')");
  for (const TraceFormat f : {TraceFormat::SIMGRID, TraceFormat::MAHIMAHI, TraceFormat::MBPS, TraceFormat::SABRE})
    EXPECT_EQ(parse_trace_format(trace_format_name(f), "f"), f);
}

TEST(RateTrace, RateAtWithoutLoop)
{
  // small.mbps: steps 0, 0.5, 2, 3 s at 100000, 200000, 0, 500000 B/s; data ends at 4 s.
  const RateTrace t = load_trace(trace_data("small.mbps"), TraceFormat::MBPS);
  EXPECT_DOUBLE_EQ(t.rate_at(-1), 100000.0); // before 0 reads as 0
  EXPECT_DOUBLE_EQ(t.rate_at(0), 100000.0);
  EXPECT_DOUBLE_EQ(t.rate_at(0.5), 200000.0); // a step holds from its start on
  EXPECT_DOUBLE_EQ(t.rate_at(1.999), 200000.0);
  EXPECT_DOUBLE_EQ(t.rate_at(2), 0.0);
  EXPECT_DOUBLE_EQ(t.rate_at(4), 500000.0);
  EXPECT_DOUBLE_EQ(t.rate_at(1e9), 500000.0); // the last rate holds forever
  EXPECT_DOUBLE_EQ(t.next_change_s(-3), 0.0);
  EXPECT_DOUBLE_EQ(t.next_change_s(0), 0.5);
  EXPECT_DOUBLE_EQ(t.next_change_s(0.5), 2.0);
  EXPECT_EQ(t.next_change_s(3), std::numeric_limits<double>::infinity());
}

TEST(RateTrace, RateAtWithLoop)
{
  // good.profile: 0 -> 1000, 2 -> 500, 5 -> 0, LOOPAFTER 1: period 6 s.
  const RateTrace t = load_trace(trace_data("good.profile"), TraceFormat::SIMGRID);
  EXPECT_DOUBLE_EQ(t.rate_at(1.9), 1000.0);
  EXPECT_DOUBLE_EQ(t.rate_at(5.999), 0.0);
  EXPECT_DOUBLE_EQ(t.rate_at(6), 1000.0);
  EXPECT_DOUBLE_EQ(t.rate_at(6 * 1000 + 4), 500.0);
  // Changes at 2, 5, then the period restarts at 6 (step 0), 8, 11, 12, ...
  EXPECT_DOUBLE_EQ(t.next_change_s(0), 2.0);
  EXPECT_DOUBLE_EQ(t.next_change_s(2), 5.0);
  EXPECT_DOUBLE_EQ(t.next_change_s(5.5), 6.0);
  EXPECT_DOUBLE_EQ(t.next_change_s(6), 8.0);
  EXPECT_DOUBLE_EQ(t.next_change_s(11), 12.0);
  // Walking the changes never stalls and visits 3 per period.
  double now = 0;
  int steps  = 0;
  while (now < 600) {
    const double next = t.next_change_s(now);
    ASSERT_GT(next, now);
    now = next;
    ++steps;
  }
  EXPECT_EQ(steps, 300); // 600 s / 6 s x 3 changes
}

TEST(RateTrace, OffsetWithoutLoopDropsTheStart)
{
  const RateTrace t = load_trace(trace_data("small.mbps"), TraceFormat::MBPS, {.offset_s = 1});
  // Trace time 1 is inside the step [0.5, 2) at 200000: then 0 from 2 - 1 = 1, 500000 from 3 - 1 = 2; end 4 - 1.
  expect_steps(t, {0, 1, 2}, {200000, 0, 500000});
  EXPECT_DOUBLE_EQ(t.duration_s(), 3.0);
  const RateTrace at_step = load_trace(trace_data("small.mbps"), TraceFormat::MBPS, {.offset_s = 2});
  expect_steps(at_step, {0, 1}, {0, 500000});
  EXPECT_THROW_MSG(load_trace(trace_data("small.mbps"), TraceFormat::MBPS, {.offset_s = 4}),
                   trace_data("small.mbps") + ": trace options: offset_s must be < the trace's duration, 4 s, when "
                                              "the trace does not loop (got 4)");
}

TEST(RateTrace, OffsetWithLoopRotates)
{
  const RateTrace base = load_trace(trace_data("good.profile"), TraceFormat::SIMGRID);
  // Offset 3 (or 15 = 3 + 2 periods): from trace time 3, i.e. 500 until 5, 0 until 6, then 1000 for 2 s, 500 for 1 s.
  for (const double offset : {3.0, 15.0}) {
    const RateTrace t = load_trace(trace_data("good.profile"), TraceFormat::SIMGRID, {.offset_s = offset});
    expect_steps(t, {0, 2, 3, 5}, {500, 0, 1000, 500});
    EXPECT_DOUBLE_EQ(*t.loop_period_s, 6.0);
    for (double x = 0; x < 30; x += 0.25)
      EXPECT_DOUBLE_EQ(t.rate_at(x), base.rate_at(x + offset)) << x;
  }
  // On a step start, nothing of that step wraps around.
  const RateTrace t2 = load_trace(trace_data("good.profile"), TraceFormat::SIMGRID, {.offset_s = 2});
  expect_steps(t2, {0, 3, 4}, {500, 0, 1000});
}

TEST(RateTrace, ScaleMultipliesEveryRate)
{
  const RateTrace t = load_trace(trace_data("small.mbps"), TraceFormat::MBPS, {.scale = 2.5});
  expect_steps(t, {0, 0.5, 2, 3}, {250000, 500000, 0, 1250000});
}

TEST(RateTrace, SourceNamesTheOptionsThatDifferFromTheDefaults)
{
  EXPECT_EQ(load_trace(trace_data("small.up"), TraceFormat::MAHIMAHI).source, trace_data("small.up") + " (mahimahi)");
  EXPECT_EQ(
      load_trace(trace_data("small.up"), TraceFormat::MAHIMAHI, {.bin_s = 0.5, .scale = 2, .offset_s = 1, .loop = true})
          .source,
      trace_data("small.up") + " (mahimahi, bin_s 0.5, loop, offset_s 1, scale 2)");
}

TEST(RateTrace, BadOptions)
{
  const std::string up = trace_data("small.up");
  EXPECT_THROW_MSG(load_trace(up, TraceFormat::MAHIMAHI, {.bin_s = 0}),
                   up + ": trace options: bin_s must be a finite number > 0 in seconds (got 0)");
  EXPECT_THROW_MSG(load_trace(up, TraceFormat::MAHIMAHI, {.scale = -1}),
                   up + ": trace options: scale must be a finite number > 0 (got -1)");
  EXPECT_THROW_MSG(load_trace(up, TraceFormat::MAHIMAHI, {.offset_s = -0.5}),
                   up + ": trace options: offset_s must be a finite number >= 0 in seconds (got -0.5)");
  EXPECT_THROW_MSG(load_trace(up, TraceFormat::MAHIMAHI, {.offset_s = std::nan("")}),
                   up + ": trace options: offset_s must be a finite number >= 0 in seconds (got nan)");
}

TEST(RateTrace, BinTraceKeepsBytes)
{
  // small.json: 100000 B/s on [0, 1.5), 0 on [1.5, 2), 500062.5 on [2, 3).
  const RateTrace t = load_trace(trace_data("small.json"), TraceFormat::SABRE);
  const RateTrace b = bin_trace(t, 1);
  // [1, 2): (100000 x 0.5 + 0 x 0.5) / 1 = 50000.
  expect_steps(b, {0, 1, 2}, {100000, 50000, 500062.5});
  EXPECT_DOUBLE_EQ(b.total_bytes(), t.total_bytes());

  // A non-looping profile's last value holds forever: it stays, as a step at the end of the data.
  const RateTrace noloop = bin_trace(load_trace(trace_data("noloop.profile"), TraceFormat::SIMGRID), 4);
  // 10 s / 4 s = 2.5 rounds to 3 bins, the last [8, 10).
  expect_steps(noloop, {0, 4, 8, 10}, {125000, 125000, 125000, 250000});
  EXPECT_DOUBLE_EQ(noloop.rate_at(1e6), 250000.0);

  // Looping, period 6 s, 4-s bins: 6 / 4 = 1.5 rounds to 2 bins, [0, 4) and [4, 6).
  // [0, 4): (1000 x 2 + 500 x 2) / 4 = 750; [4, 6): (500 x 1 + 0 x 1) / 2 = 250.
  const RateTrace looped = bin_trace(load_trace(trace_data("good.profile"), TraceFormat::SIMGRID), 4);
  expect_steps(looped, {0, 4}, {750, 250});
  EXPECT_DOUBLE_EQ(*looped.loop_period_s, 6.0);
}

TEST(RateTrace, WriteSimgridProfile)
{
  const RateTrace t = load_trace(trace_data("good.profile"), TraceFormat::SIMGRID);
  std::ostringstream out;
  write_simgrid_profile(t, out, {"hello", "two\nlines", ""});
  EXPECT_EQ(out.str(), "# hello\n"
                       "# two lines\n"
                       "#\n"
                       "0 1000\n"
                       "2 500\n"
                       "5 0\n"
                       "LOOPAFTER 1\n");
}

TEST(RateTrace, RoundTripThroughSimgridProfile)
{
  const std::vector<RateTrace> traces{
      load_trace(trace_data("small.up"), TraceFormat::MAHIMAHI, {.bin_s = 0.5, .loop = true}),
      load_trace(trace_data("small.up"), TraceFormat::MAHIMAHI, {.bin_s = 0.3, .loop = true}),
      bin_trace(load_trace(trace_data("small.json"), TraceFormat::SABRE, {.loop = true}), 0.7),
      load_trace(trace_data("noloop.profile"), TraceFormat::SIMGRID),
      load_trace(trace_data("good.profile"), TraceFormat::SIMGRID, {.scale = 1.0 / 3, .offset_s = 3}),
  };
  for (const RateTrace& t : traces) {
    std::ostringstream out;
    write_simgrid_profile(t, out, {"round trip"});
    const RateTrace back = load_trace_text(out.str(), "rt.profile", TraceFormat::SIMGRID);
    ASSERT_EQ(back.time_s.size(), t.time_s.size()) << t.source;
    for (std::size_t i = 0; i < t.time_s.size(); ++i) {
      // Dates are written within 1 ns, values to 12 significant digits.
      EXPECT_NEAR(back.time_s[i], t.time_s[i], 1e-9) << t.source << " step " << i;
      EXPECT_NEAR(back.rate_Bps[i], t.rate_Bps[i], 1e-11 * t.rate_Bps[i]) << t.source << " step " << i;
    }
    ASSERT_EQ(back.loop_period_s.has_value(), t.loop_period_s.has_value()) << t.source;
    if (t.loop_period_s) {
      EXPECT_NEAR(*back.loop_period_s, *t.loop_period_s, 1e-9) << t.source;
    }
  }
}

TEST(RateTrace, BinTraceLimits)
{
  const RateTrace t = load_trace_text("0 1\n10 2\n", "t.profile", TraceFormat::SIMGRID);
  EXPECT_THROW_MSG(bin_trace(t, 1e-6), "t.profile (simgrid): bin_s must make at most 1000000 bins of the 10 s trace "
                                       "(got 10000000 bins of 1e-06 s)");
  EXPECT_THROW_MSG(bin_trace(t, 1e-7), "t.profile (simgrid): bin_s must be >= 1e-06 s, as written profiles keep times "
                                       "to the nanosecond (got 1e-07)");
  EXPECT_EQ(bin_trace(t, 1e-5).time_s.size(), 1000001u); // 10^6 bins, then the final rate
}

TEST(RateTrace, FileMustBeRegularAndAtMost512MiB)
{
  EXPECT_THROW_MSG(load_trace("/dev/zero", TraceFormat::SIMGRID),
                   "/dev/zero: simgrid profile: cannot open the file (it is not a regular file)");
  // A sparse file: the size check comes before any read.
  const std::string big = (std::filesystem::temp_directory_path() / "popex_trace_test_big.profile").string();
  std::ofstream(big) << "0 1\n";
  std::filesystem::resize_file(big, 512u * 1024u * 1024u + 1);
  EXPECT_THROW_MSG(load_trace(big, TraceFormat::SIMGRID),
                   big + ": simgrid profile: file must be at most 536870912 bytes, 512 MiB (got 536870913 bytes)");
  std::filesystem::remove(big);
}
