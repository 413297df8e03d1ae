#include "trace_test_helpers.hpp"
#include "traces/import_trace_command.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace popex;

namespace {
std::string read_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_path(const std::string& name)
{
  return (std::filesystem::temp_directory_path() / ("popex_trace_test_" + name)).string();
}
} // namespace

TEST(ImportTrace, MahimahiToProfile)
{
  const std::string in  = trace_data("small.up");
  const std::string out = temp_path("small.profile");
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_import_trace({"mahimahi", in, 1, out, 1}), 0);
  // Mean 13500 B / 3.6 s = 3750 B/s = 0.030 Mbit/s; p5 1500 B/s = 0.012; p95 6000 B/s = 0.048.
  EXPECT_EQ(testing::internal::GetCapturedStdout(),
            out + ": 4 steps over 3.6 s, looping; mean 0.030 Mbps, p5 0.012 Mbps, p95 0.048 Mbps\n");
  EXPECT_EQ(
      read_file(out),
      "# Uplink rate profile for popex-sim: a SimGrid profile, 'DATE VALUE' lines, DATE in s, VALUE in bytes/s.\n"
      "# source: " +
          in +
          " (mahimahi)\n"
          "# derived: 1 s bins of the delivery opportunities, rate = packets x 1500 B / bin width; the last bin ends "
          "at the last timestamp, 3.6 s\n"
          "# loop: the LOOPAFTER line repeats the profile with period 3.6 s\n"
          "# stats over 3.6 s: mean 0.030 Mbps, p5 0.012 Mbps, p95 0.048 Mbps (time-weighted, no interpolation); 4 "
          "steps\n"
          "# regenerate: popex-sim import-trace --format mahimahi " +
          in + " --bin-s 1 -o " + out +
          "\n"
          "0 6000\n"
          "1 1500\n"
          "2 4500\n"
          "3 2500\n"
          "LOOPAFTER 0.6\n");
  // The profile reads back as the same looping trace.
  const RateTrace back = load_trace(out, TraceFormat::SIMGRID);
  expect_steps(back, {0, 1, 2, 3}, {6000, 1500, 4500, 2500});
  EXPECT_NEAR(*back.loop_period_s, 3.6, 1e-12);
  std::filesystem::remove(out);
}

TEST(ImportTrace, SabreIsBinnedAndScaled)
{
  const std::string in  = trace_data("small.json");
  const std::string out = temp_path("small-sabre.profile");
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_import_trace({"sabre", in, 1, out, 2}), 0);
  testing::internal::GetCapturedStdout();
  const std::string text = read_file(out);
  EXPECT_NE(text.find("# derived: rate = bandwidth_kbps x 1000 / 8 B/s for duration_ms each (latency_ms ignored), "
                      "then 1 s bins of the time-weighted mean rate (every byte kept)\n"),
            std::string::npos);
  EXPECT_NE(text.find("# scaled: every rate multiplied by 2\n"), std::string::npos);
  EXPECT_NE(text.find(" --bin-s 1 --scale 2 -o "), std::string::npos);
  // Bins of small.json x 2: 100000, (100000 x 0.5 + 0) / 1 = 50000, 500062.5, each doubled; period 3 s.
  EXPECT_NE(text.find("0 200000\n1 100000\n2 1000125\nLOOPAFTER 1\n"), std::string::npos) << text;
  std::filesystem::remove(out);
}

TEST(ImportTrace, BadInput)
{
  const std::string in = trace_data("small.up");
  EXPECT_THROW_MSG(run_import_trace({"csv", in, 1, "x.profile", 1}),
                   "--format must be one of simgrid, mahimahi, mbps, sabre (got 'csv')");
  EXPECT_THROW_MSG(run_import_trace({"mahimahi", in, 1, "", 1}), "-o must name the profile to write (got '')");
  EXPECT_THROW_MSG(run_import_trace({"mahimahi", in, -1, "x.profile", 1}),
                   in + ": trace options: bin_s must be a finite number > 0 in seconds (got -1)");
  EXPECT_THROW_MSG(run_import_trace({"mahimahi", in, 1, "/nonexistent-dir/x.profile", 1}),
                   "/nonexistent-dir/x.profile: import-trace: cannot write the profile");
  EXPECT_THROW_MSG(run_import_trace({"mahimahi", trace_data("bad/decreasing.up"), 1, "x.profile", 1}),
                   trace_data("bad/decreasing.up") +
                       ":3:1: mahimahi trace: timestamp must be >= the previous one, 20 ms (got 10)");
}
