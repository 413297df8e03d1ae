#include "traces/import_trace_command.hpp"
#include "core/config_error.hpp"
#include "traces/rate_trace.hpp"

#include <fmt/format.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

namespace popex {

namespace {

/** Provenance of the shared reference traces (../shared/data/README.md), keyed by their directory's name. */
struct KnownSource {
  const char* directory;
  const char* upstream;
  const char* license;
};

constexpr std::array<KnownSource, 4> known_sources{{
    {"mahimahi", "github ravinet/mahimahi, traces/ (real cellular uplink traces)",
     "GPLv3, see COPYING beside the source"},
    {"norway-3g", "github UMass-LIDS/sabre (HSDPA 3G, Norway; a downlink throughput log, used here as an uplink)",
     "BSD-2-Clause, see LICENSE.sabre beside the source"},
    {"ghent-4g", "github UMass-LIDS/sabre (4G/LTE, Ghent; a downlink throughput log, used here as an uplink)",
     "BSD-2-Clause, see LICENSE.sabre beside the source"},
    {"norway-fcc-cooked", "github confiwent/Real-world-bandwidth-traces (Norway 3G and FCC broadband, cooked)",
     "MIT, see LICENSE.confiwent beside the source"},
}};

std::string derivation(TraceFormat format, const RateTrace& trace, double bin_s)
{
  const std::string bins = fmt::format("{} s bins of the time-weighted mean rate (every byte kept)", bin_s);
  switch (format) {
  case TraceFormat::MAHIMAHI:
    return fmt::format("derived: {} s bins of the delivery opportunities, rate = packets x 1500 B / bin width; the "
                       "last bin ends at the last timestamp, {:.12g} s",
                       bin_s, trace.end_s);
  case TraceFormat::SABRE:
    return fmt::format("derived: rate = bandwidth_kbps x 1000 / 8 B/s for duration_ms each (latency_ms ignored), "
                       "then {}",
                       bins);
  case TraceFormat::MBPS:
    return fmt::format("derived: rate = Mbps x 1e6 / 8 B/s from each row's time on (the last row lasting as long "
                       "as the interval before it), then {}",
                       bins);
  case TraceFormat::SIMGRID:
    return fmt::format("derived: read as a SimGrid profile, then {}", bins);
  }
  return {};
}

} // namespace

int run_import_trace(const ImportTraceOptions& options)
{
  const TraceFormat format = parse_trace_format(options.format, "--format");
  if (options.out.empty())
    throw ConfigError("-o must name the profile to write (got '')");
  TraceOptions read;
  read.bin_s      = options.bin_s;
  read.scale      = options.scale;
  read.loop       = format != TraceFormat::SIMGRID;
  RateTrace trace = load_trace(options.file, format, read);
  if (format != TraceFormat::MAHIMAHI)
    trace = bin_trace(trace, options.bin_s);

  std::vector<std::string> header;
  header.push_back("Uplink rate profile for popex-sim: a SimGrid profile, 'DATE VALUE' lines, DATE in s, VALUE in "
                   "bytes/s.");
  header.push_back(fmt::format("source: {} ({})", options.file, trace_format_name(format)));
  const std::string directory = std::filesystem::path(options.file).parent_path().filename().string();
  for (const KnownSource& known : known_sources) {
    if (directory == known.directory) {
      header.push_back(fmt::format("upstream: {}", known.upstream));
      header.push_back(fmt::format("license: {}", known.license));
    }
  }
  header.push_back(derivation(format, trace, options.bin_s));
  if (options.scale != 1)
    header.push_back(fmt::format("scaled: every rate multiplied by {}", options.scale));
  if (trace.loop_period_s)
    header.push_back(
        fmt::format("loop: the LOOPAFTER line repeats the profile with period {:.12g} s", *trace.loop_period_s));
  else
    header.push_back("loop: none; the last value holds forever");
  const double mean_mbps = bytes_per_s_to_mbps(trace.mean_Bps());
  const double p5_mbps   = bytes_per_s_to_mbps(trace.quantile_Bps(0.05));
  const double p95_mbps  = bytes_per_s_to_mbps(trace.quantile_Bps(0.95));
  header.push_back(
      fmt::format("stats over {:.12g} s: mean {:.3f} Mbps, p5 {:.3f} Mbps, p95 {:.3f} Mbps (time-weighted, "
                  "no interpolation); {} steps",
                  trace.end_s, mean_mbps, p5_mbps, p95_mbps, trace.time_s.size()));
  std::string command = fmt::format("popex-sim import-trace --format {} {} --bin-s {}", trace_format_name(format),
                                    options.file, options.bin_s);
  if (options.scale != 1)
    command += fmt::format(" --scale {}", options.scale);
  header.push_back(fmt::format("regenerate: {} -o {}", command, options.out));

  std::ostringstream text;
  write_simgrid_profile(trace, text, header);
  std::ofstream out(options.out, std::ios::binary);
  out << text.str();
  out.close();
  if (!out)
    fail_at({options.out}, "import-trace: cannot write the profile");
  std::cout << fmt::format("{}: {} steps over {:.12g} s{}; mean {:.3f} Mbps, p5 {:.3f} Mbps, p95 {:.3f} Mbps\n",
                           options.out, trace.time_s.size(), trace.end_s, trace.loop_period_s ? ", looping" : "",
                           mean_mbps, p5_mbps, p95_mbps);
  return 0;
}

} // namespace popex
