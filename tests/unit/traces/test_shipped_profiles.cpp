#include "trace_test_helpers.hpp"
#include "traces/import_trace_command.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace popex;

namespace {

struct Shipped {
  const char* profile; //!< under platforms/traces/
  const char* format;
  const char* source; //!< relative to the project root, as in the profile's regenerate line
  double mean_mbps, p5_mbps, p95_mbps;
};

// The statistics printed in each profile's header and in docs/traces.md.
const Shipped shipped[] = {
    {"tmobile-umts-driving.profile", "mahimahi", "../shared/data/traces/mahimahi/TMobile-UMTS-driving.up", 0.943, 0.060,
     1.440},
    {"verizon-lte-short.profile", "mahimahi", "../shared/data/traces/mahimahi/Verizon-LTE-short.up", 5.946, 1.152,
     11.376},
    {"tmobile-lte-short.profile", "mahimahi", "../shared/data/traces/mahimahi/TMobile-LTE-short.up", 13.318, 2.484,
     27.516},
    {"norway-3g-2010-11-23.profile", "sabre", "../shared/data/traces/norway-3g/report.2010-11-23_1541CET.json", 0.750,
     0.122, 1.334},
    {"ghent-4g-bus-0001.profile", "sabre", "../shared/data/traces/ghent-4g/report_bus_0001.json", 27.597, 11.102,
     45.010},
};

std::string read_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/** Runs `fn` with the project root as the working directory, as the profiles' regenerate lines assume. */
template <class Fn>
void in_project_root(Fn&& fn)
{
  const auto here = std::filesystem::current_path();
  std::filesystem::current_path(POPEX_SOURCE_DIR);
  fn();
  std::filesystem::current_path(here);
}

} // namespace

TEST(ShippedProfiles, LoadLoopAndMatchTheirStatistics)
{
  for (const Shipped& s : shipped) {
    const std::string path = source_path(std::string("platforms/traces/") + s.profile);
    const RateTrace t      = load_trace(path, TraceFormat::SIMGRID);
    ASSERT_TRUE(t.loop_period_s.has_value()) << s.profile;
    EXPECT_NEAR(bytes_per_s_to_mbps(t.mean_Bps()), s.mean_mbps, 5e-4) << s.profile;
    EXPECT_NEAR(bytes_per_s_to_mbps(t.quantile_Bps(0.05)), s.p5_mbps, 5e-4) << s.profile;
    EXPECT_NEAR(bytes_per_s_to_mbps(t.quantile_Bps(0.95)), s.p95_mbps, 5e-4) << s.profile;
    const std::string text = read_file(path);
    EXPECT_NE(text.find(std::string("# source: ") + s.source), std::string::npos) << s.profile;
    EXPECT_NE(text.find("# upstream: "), std::string::npos) << s.profile;
    EXPECT_NE(text.find("# license: "), std::string::npos) << s.profile;
  }
}

TEST(ShippedProfiles, RegenerateByteForByte)
{
  if (!std::filesystem::exists(source_path("../shared/data/traces")))
    GTEST_SKIP() << "../shared/data/traces is absent";
  in_project_root([] {
    for (const Shipped& s : shipped) {
      const std::string shipped_rel = std::string("platforms/traces/") + s.profile;
      const std::string out =
          (std::filesystem::temp_directory_path() / (std::string("popex_regen_") + s.profile)).string();
      testing::internal::CaptureStdout();
      run_import_trace({s.format, s.source, 1, out, 1});
      testing::internal::GetCapturedStdout();
      std::string fresh = read_file(out);
      const auto at     = fresh.find(" -o " + out + "\n");
      ASSERT_NE(at, std::string::npos) << s.profile;
      fresh.replace(at, 4 + out.size(), " -o " + shipped_rel);
      EXPECT_EQ(fresh, read_file(shipped_rel)) << s.profile << " is stale: regenerate it (docs/traces.md)";
      std::filesystem::remove(out);
    }
  });
}
