#include "trace_test_helpers.hpp"

using namespace popex;

namespace {
RateTrace simgrid_text(const std::string& text, const TraceOptions& options = {})
{
  return load_trace_text(text, "t.profile", TraceFormat::SIMGRID, options);
}
} // namespace

TEST(SimgridProfileTrace, GoodFileWithCommentsRepeatedDateAndLoopAfter)
{
  const RateTrace t = load_trace(trace_data("good.profile"), TraceFormat::SIMGRID);
  // "2 3000" then "2 500": SimGrid applies both at t = 2 in file order, so 500 holds.
  expect_steps(t, {0, 2, 5}, {1000, 500, 0});
  // LOOPAFTER 1 after the last date 5: period = 5 + 1 = 6 s (measured on SimGrid 3.32, see docs/traces.md).
  ASSERT_TRUE(t.loop_period_s.has_value());
  EXPECT_DOUBLE_EQ(*t.loop_period_s, 6.0);
  EXPECT_DOUBLE_EQ(t.duration_s(), 6.0);
  EXPECT_EQ(t.source, trace_data("good.profile") + " (simgrid)");
  EXPECT_DOUBLE_EQ(t.rate_at(5.5), 0.0);
  EXPECT_DOUBLE_EQ(t.rate_at(6.0), 1000.0); // 6 mod 6 = 0
  EXPECT_DOUBLE_EQ(t.rate_at(14.5), 500.0); // 14.5 mod 6 = 2.5
  // Mean over one period: (1000 x 2 + 500 x 3 + 0 x 1) / 6 = 3500 / 6 B/s.
  EXPECT_NEAR(t.mean_Bps(), 3500.0 / 6.0, 1e-9);
}

TEST(SimgridProfileTrace, WithoutLoopTheLastValueHoldsForever)
{
  const RateTrace t = load_trace(trace_data("noloop.profile"), TraceFormat::SIMGRID);
  expect_steps(t, {0, 10}, {125000, 250000});
  EXPECT_FALSE(t.loop_period_s.has_value());
  EXPECT_DOUBLE_EQ(t.duration_s(), 10.0); // the last date
  EXPECT_DOUBLE_EQ(t.rate_at(9.99), 125000.0);
  EXPECT_DOUBLE_EQ(t.rate_at(1e6), 250000.0);
  // The data is [0, 10) at 125000 B/s; the last line starts at its end.
  EXPECT_DOUBLE_EQ(t.mean_Bps(), 125000.0);
}

TEST(SimgridProfileTrace, PeriodicitySetsThePeriodItself)
{
  const RateTrace t = simgrid_text("0 100\n1 200\nPERIODICITY 4\n");
  ASSERT_TRUE(t.loop_period_s.has_value());
  EXPECT_DOUBLE_EQ(*t.loop_period_s, 4.0);
  EXPECT_DOUBLE_EQ(t.rate_at(3.9), 200.0);
  EXPECT_DOUBLE_EQ(t.rate_at(4.5), 100.0);
}

TEST(SimgridProfileTrace, LoopOptionNeedsLoopAfterInTheFile)
{
  EXPECT_THROW_MSG(simgrid_text("0 100\n1 200\n", {.loop = true}),
                   "t.profile:2:1: simgrid profile: loop needs a LOOPAFTER or PERIODICITY line in the profile, which "
                   "sets the period (got none)");
}

TEST(SimgridProfileTrace, CrLfAndPlusSignsAreAccepted)
{
  expect_steps(simgrid_text("0 +1e3\r\n1.5 2000\r\n"), {0, 1.5}, {1000, 2000});
}

TEST(SimgridProfileTrace, BadFiles)
{
  const std::string bad = trace_data("bad/");
  EXPECT_THROW_MSG(load_trace(bad + "decreasing.profile", TraceFormat::SIMGRID),
                   bad + "decreasing.profile:3:1: simgrid profile: DATE must be >= the previous date 2 (got 1)");
  EXPECT_THROW_MSG(load_trace(bad + "words.profile", TraceFormat::SIMGRID),
                   bad + "words.profile:2:3: simgrid profile: VALUE must be a finite number >= 0 in bytes/s (got abc)");
  EXPECT_THROW_MSG(load_trace(bad + "nan.profile", TraceFormat::SIMGRID),
                   bad + "nan.profile:2:3: simgrid profile: VALUE must be a finite number >= 0 in bytes/s (got nan)");
  EXPECT_THROW_MSG(load_trace(bad + "negative.profile", TraceFormat::SIMGRID),
                   bad +
                       "negative.profile:2:3: simgrid profile: VALUE must be a finite number >= 0 in bytes/s (got -5)");
  EXPECT_THROW_MSG(load_trace(bad + "ends-at-zero.profile", TraceFormat::SIMGRID),
                   bad + "ends-at-zero.profile:3:3: simgrid profile: the last rate must be > 0 when the trace does not "
                         "loop, or transfers would wait forever (got 0 from t = 2 s on)");
  EXPECT_THROW_MSG(load_trace(bad + "no-data.profile", TraceFormat::SIMGRID),
                   bad + "no-data.profile:1:1: simgrid profile: must have at least one 'DATE VALUE' line (got none)");
  EXPECT_THROW_MSG(load_trace(bad + "late-start.profile", TraceFormat::SIMGRID),
                   bad + "late-start.profile:1:1: simgrid profile: the first DATE must be 0, since before it the link "
                         "would keep the bandwidth declared in the platform (got 0.5)");
  EXPECT_THROW_MSG(load_trace(bad + "missing.profile", TraceFormat::SIMGRID),
                   bad + "missing.profile: simgrid profile: cannot open the file");
  EXPECT_THROW_MSG(load_trace(trace_data("bad"), TraceFormat::SIMGRID),
                   trace_data("bad") + ": simgrid profile: cannot open the file (it is a directory)");
}

TEST(SimgridProfileTrace, BadLines)
{
  EXPECT_THROW_MSG(simgrid_text("0 100\n1 200 300\n"),
                   "t.profile:2:1: simgrid profile: line must be 'DATE VALUE', 'LOOPAFTER D' or 'PERIODICITY P' (got "
                   "'1 200 300')");
  EXPECT_THROW_MSG(simgrid_text("0 100\n-1 200\n"),
                   "t.profile:2:1: simgrid profile: DATE must be a finite number >= 0 in seconds (got -1)");
  EXPECT_THROW_MSG(simgrid_text("0 100\ninf 200\n"),
                   "t.profile:2:1: simgrid profile: DATE must be a finite number >= 0 in seconds (got inf)");
  EXPECT_THROW_MSG(simgrid_text("0 100\nLOOPAFTER 0\n"),
                   "t.profile:2:11: simgrid profile: LOOPAFTER must be a finite number > 0 in seconds (got 0)");
  EXPECT_THROW_MSG(simgrid_text("0 100\nLOOPAFTER\n"),
                   "t.profile:2:1: simgrid profile: LOOPAFTER must be followed by exactly one number (got 0 fields)");
  EXPECT_THROW_MSG(simgrid_text("0 100\nLOOPAFTER 1\nPERIODICITY 5\n"),
                   "t.profile:3:1: simgrid profile: LOOPAFTER or PERIODICITY must appear at most once (got a second "
                   "one, PERIODICITY)");
  EXPECT_THROW_MSG(simgrid_text("0 100\n3 200\nPERIODICITY 2\n"),
                   "t.profile:3:13: simgrid profile: PERIODICITY must be > the last DATE 3 (got 2)");
  EXPECT_THROW_MSG(simgrid_text("STOCHASTIC LOOP\nDET 1 UNIF 10 20\n"),
                   "t.profile:1:1: simgrid profile: STOCHASTIC profiles are not supported, only DATE VALUE lines (got "
                   "'STOCHASTIC LOOP')");
  EXPECT_THROW_MSG(simgrid_text("0 0\n1 0\nLOOPAFTER 1\n"),
                   "t.profile:1:3: simgrid profile: at least one rate must be > 0, or transfers would wait forever "
                   "(got 0 everywhere)");
}

TEST(SimgridProfileTrace, Limits)
{
  // Fuzz finding 9: 1e308 B/s stops SimGrid.
  EXPECT_THROW_MSG(simgrid_text("0 1e308\n4 7\n"),
                   "t.profile:1:3: simgrid profile: VALUE must be at most 1e15 bytes/s (got 1e308)");
  EXPECT_THROW_MSG(simgrid_text("0 1\n1e10 2\n"),
                   "t.profile:2:1: simgrid profile: DATE must be at most 1e9 s (got 1e10)");
  EXPECT_THROW_MSG(simgrid_text("0 1\n5 2\nLOOPAFTER 1e-300\n"),
                   "t.profile:3:11: simgrid profile: LOOPAFTER must be between 1e-06 and 1e9 s (got 1e-300)");
  EXPECT_THROW_MSG(simgrid_text("0 1\nPERIODICITY 2e9\n"),
                   "t.profile:2:13: simgrid profile: PERIODICITY must be between 1e-06 and 1e9 s (got 2e9)");
  EXPECT_THROW_MSG(simgrid_text("0 1\n1e9 2\nLOOPAFTER 1e9\n"),
                   "t.profile:2:1: simgrid profile: the trace must last at most 1e9 s (got 2000000000 s)");
  EXPECT_EQ(simgrid_text("0 1\nPERIODICITY 1e-6\n", {.scale = 1e15}).rate_Bps[0], 1e15);
  EXPECT_THROW_MSG(simgrid_text("0 0\n1 1e15\nLOOPAFTER 1\n", {.scale = 1.5}),
                   "t.profile:2:3: simgrid profile: rate times scale 1.5 must be at most 1e15 bytes/s (got 1.5e+15 "
                   "bytes/s)");
  EXPECT_THROW_MSG(simgrid_text("0 1\n", {.scale = 1e308}),
                   "t.profile:1:3: simgrid profile: rate times scale 1e+308 must be at most 1e15 bytes/s (got 1e+308 "
                   "bytes/s)");
}

TEST(SimgridProfileTrace, OffsetMergesStepsThatRoundToTheSameTime)
{
  // Fuzz finding 11: rotating by 7 s puts the steps at 0 and 1e-300 s both at 3 s; the later one holds.
  const RateTrace t = simgrid_text("0 1\n1e-300 2\n5 3\nLOOPAFTER 5\n", {.offset_s = 7});
  ASSERT_EQ(t.time_s.size(), 3u);
  EXPECT_EQ(t.time_s, (std::vector<double>{0, 3, 8}));
  EXPECT_EQ(t.rate_Bps, (std::vector<double>{3, 2, 3}));
  EXPECT_EQ(t.end_s, 10);
}
