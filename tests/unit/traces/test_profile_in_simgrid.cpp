// SimGrid 3.32 reads the profiles we write, comments and all, and its link bandwidth follows RateTrace::rate_at()
// through every loop. One engine per process: each TEST here runs in its own process under ctest.
#include "trace_test_helpers.hpp"

#include <simgrid/kernel/ProfileBuilder.hpp>
#include <simgrid/s4u.hpp>

#include <sstream>

namespace sg4 = simgrid::s4u;
using namespace popex;

namespace {

struct Sample {
  std::string name;
  double t_s;
  double simgrid_Bps;
  double read_back_Bps; //!< rate_at() of the profile text, read back by load_trace_text()
  double original_Bps;  //!< rate_at() of the trace before writing (values rounded to 12 digits in the file)
};

/**
 * Gives each trace its own link, with the profile write_simgrid_profile() makes of it, and samples SimGrid's
 * bandwidth at first_s + k step_s for k < count. The times must stay clear of step boundaries, where the order of
 * the profile event and the sampler's wake-up would decide.
 */
std::vector<Sample> sample_in_simgrid(const std::vector<std::pair<std::string, RateTrace>>& traces, double first_s,
                                      double step_s, int count)
{
  int argc     = 2;
  char arg0[]  = "popex_trace_simgrid_tests";
  char arg1[]  = "--log=root.thres:critical";
  char* argv[] = {arg0, arg1, nullptr};
  sg4::Engine engine(&argc, argv);
  auto* zone = sg4::create_full_zone("zone");
  auto* host = zone->create_host("host", 1e9);
  std::vector<sg4::Link*> links;
  std::vector<RateTrace> read_back;
  for (const auto& [name, trace] : traces) {
    std::ostringstream profile;
    write_simgrid_profile(trace, profile, {"written by write_simgrid_profile"});
    read_back.push_back(load_trace_text(profile.str(), name, TraceFormat::SIMGRID));
    auto* p = simgrid::kernel::profile::ProfileBuilder::from_string(name, profile.str(), -1);
    // Declared at 1 B/s: any sample still at 1 would show the profile was not applied.
    links.push_back(zone->create_link(name, 1.0)->set_bandwidth_profile(p)->seal());
  }
  zone->seal();
  std::vector<Sample> samples;
  sg4::Actor::create("sampler", host, [&] {
    for (int k = 0; k < count; ++k) {
      sg4::this_actor::sleep_until(first_s + k * step_s);
      const double now = sg4::Engine::get_clock();
      for (std::size_t i = 0; i < links.size(); ++i)
        samples.push_back({traces[i].first, now, links[i]->get_bandwidth(), read_back[i].rate_at(now),
                           traces[i].second.rate_at(now)});
    }
  });
  engine.run();
  return samples;
}

} // namespace

TEST(ProfileInSimgrid, HandMadeProfilesFollowRateAt)
{
  std::vector<std::pair<std::string, RateTrace>> traces{
      {"good", load_trace(trace_data("good.profile"), TraceFormat::SIMGRID)},
      {"noloop", load_trace(trace_data("noloop.profile"), TraceFormat::SIMGRID)},
      {"mahimahi", load_trace(trace_data("small.up"), TraceFormat::MAHIMAHI, {.bin_s = 0.5, .loop = true})},
      {"sabre", bin_trace(load_trace(trace_data("small.json"), TraceFormat::SABRE, {.loop = true}), 0.7)},
      {"offset", load_trace(trace_data("good.profile"), TraceFormat::SIMGRID, {.scale = 8, .offset_s = 3.5})},
  };
  // Every step boundary here is a multiple of 0.1 s: sample halfway between, 400 times over 40 s (several periods).
  const auto samples = sample_in_simgrid(traces, 0.05, 0.1, 400);
  ASSERT_EQ(samples.size(), traces.size() * 400);
  for (const Sample& s : samples) {
    EXPECT_EQ(s.simgrid_Bps, s.read_back_Bps) << s.name << " at t = " << s.t_s;
    EXPECT_NEAR(s.simgrid_Bps, s.original_Bps, 1e-11 * s.original_Bps) << s.name << " at t = " << s.t_s;
  }
}

TEST(ProfileInSimgrid, ShippedProfilesFollowRateAt)
{
  std::vector<std::pair<std::string, RateTrace>> traces;
  for (const char* name :
       {"tmobile-umts-driving", "verizon-lte-short", "tmobile-lte-short", "norway-3g-2010-11-23", "ghent-4g-bus-0001"})
    traces.emplace_back(
        name, load_trace(source_path(std::string("platforms/traces/") + name + ".profile"), TraceFormat::SIMGRID));
  // 0.35 + 0.7 k s is never within 1 ms of a boundary (integers plus multiples of the periods, which have at most 3
  // decimals); 4300 samples cover 3010 s, two periods of the longest (Norway 3G, 1428.38 s).
  const auto samples = sample_in_simgrid(traces, 0.35, 0.7, 4300);
  ASSERT_EQ(samples.size(), traces.size() * 4300);
  for (const Sample& s : samples)
    EXPECT_EQ(s.simgrid_Bps, s.original_Bps) << s.name << " at t = " << s.t_s;
}
