// Fuzzes one link-rate trace reader (POPEX_FUZZ_TRACE_FORMAT: SIMGRID, MAHIMAHI, MBPS or SABRE, set by
// tests/fuzz/CMakeLists.txt) with the options the simulator and import-trace use, and checks the RateTrace
// invariants that rate_trace.hpp promises. What import-trace would write must read back as the same profile.
#include "fuzz_support.hpp"

#include "core/config_error.hpp"
#include "traces/rate_trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace {

constexpr popex::TraceFormat format = popex::TraceFormat::POPEX_FUZZ_TRACE_FORMAT;
constexpr double max_harness_bins   = 1e5; // bin_trace() on longer traces is left to the readers' own limit

bool near(double a, double b, double rel, double abs)
{
  return std::fabs(a - b) <= std::max(abs, rel * std::max(std::fabs(a), std::fabs(b)));
}

void check_trace(const popex::RateTrace& t, const std::string& what)
{
  const std::size_t n = t.time_s.size();
  POPEX_FUZZ_CHECK(n >= 1 && t.rate_Bps.size() == n, what);
  POPEX_FUZZ_CHECK(t.time_s[0] == 0, what);
  for (std::size_t i = 1; i < n; ++i)
    POPEX_FUZZ_CHECK(t.time_s[i] > t.time_s[i - 1],
                     fmt::format("{}: time_s[{}] = {} after {}", what, i, t.time_s[i], t.time_s[i - 1]));
  bool any_positive = false;
  for (const double r : t.rate_Bps) {
    POPEX_FUZZ_CHECK(std::isfinite(r) && r >= 0, fmt::format("{}: rate {}", what, r));
    any_positive = any_positive || r > 0;
  }
  POPEX_FUZZ_CHECK(any_positive, what);
  POPEX_FUZZ_CHECK(std::isfinite(t.end_s) && t.end_s >= t.time_s.back(),
                   fmt::format("{}: end_s {} last step {}", what, t.end_s, t.time_s.back()));
  if (t.loop_period_s) {
    POPEX_FUZZ_CHECK(*t.loop_period_s == t.end_s, what);
    POPEX_FUZZ_CHECK(t.time_s.back() < t.end_s,
                     fmt::format("{}: looping, but the last step starts at {} = end_s", what, t.end_s));
  } else {
    POPEX_FUZZ_CHECK(t.rate_Bps.back() > 0, what);
  }

  for (const double at : {0.0, t.end_s / 3, t.end_s, 2.5 * t.end_s + 0.1}) {
    const double r = t.rate_at(at);
    POPEX_FUZZ_CHECK(std::isfinite(r) && r >= 0, fmt::format("{}: rate_at({}) = {}", what, at, r));
    const double next = t.next_change_s(at);
    POPEX_FUZZ_CHECK(next > at, fmt::format("{}: next_change_s({}) = {}", what, at, next));
  }
  const double mean = t.mean_Bps();
  POPEX_FUZZ_CHECK(std::isfinite(mean) && mean >= 0, fmt::format("{}: mean {}", what, mean));
  const auto [lo, hi] = std::minmax_element(t.rate_Bps.begin(), t.rate_Bps.end());
  for (const double q : {0.0, 0.05, 0.5, 0.95, 1.0}) {
    const double v = t.quantile_Bps(q);
    POPEX_FUZZ_CHECK(v >= *lo && v <= *hi, fmt::format("{}: quantile {} = {}", what, q, v));
  }
}

/** What import-trace does after reading: bins of 1 s (mahimahi is binned by its reader), then a SimGrid profile. */
void check_import(const popex::RateTrace& read, const std::string& what)
{
  if (read.end_s > max_harness_bins)
    return;
  const popex::RateTrace binned = format == popex::TraceFormat::MAHIMAHI ? read : popex::bin_trace(read, 1.0);
  check_trace(binned, what + ", binned");
  POPEX_FUZZ_CHECK(
      near(binned.total_bytes(), read.total_bytes(), 1e-9, 1e-9),
      fmt::format("{}: binning changed the bytes from {} to {}", what, read.total_bytes(), binned.total_bytes()));
  std::ostringstream profile;
  popex::write_simgrid_profile(binned, profile, {"fuzz", "two\nlines"});
  popex::RateTrace back;
  try {
    back = popex::load_trace_text(profile.str(), "written.profile", popex::TraceFormat::SIMGRID);
  } catch (const popex::ConfigError& e) {
    POPEX_FUZZ_CHECK(false,
                     fmt::format("{}: the written profile does not load: {}\n{}", what, e.what(), profile.str()));
  }
  POPEX_FUZZ_CHECK(back.time_s.size() == binned.time_s.size(), what + ": written profile\n" + profile.str());
  for (std::size_t i = 0; i < back.time_s.size(); ++i) {
    POPEX_FUZZ_CHECK(std::fabs(back.time_s[i] - binned.time_s[i]) <= 1e-9 * std::max(1.0, binned.time_s[i]),
                     fmt::format("{}: step {} at {} reads back at {}", what, i, binned.time_s[i], back.time_s[i]));
    POPEX_FUZZ_CHECK(near(back.rate_Bps[i], binned.rate_Bps[i], 1e-11, 0),
                     fmt::format("{}: rate {} reads back as {}", what, binned.rate_Bps[i], back.rate_Bps[i]));
  }
  POPEX_FUZZ_CHECK(back.loop_period_s.has_value() == binned.loop_period_s.has_value(), what);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string text = popex_fuzz::text_of(data, size);
  const bool own_loop    = format == popex::TraceFormat::SIMGRID; // a profile loops by its LOOPAFTER line only

  // As import-trace and a scenario's default options read it.
  popex::TraceOptions options;
  options.loop = !own_loop;
  popex::RateTrace trace;
  try {
    trace = popex::load_trace_text(text, "fuzz.trace", format, options);
  } catch (const popex::ConfigError&) {
    return 0;
  }
  check_trace(trace, "default options");
  // Up to the readers' cap (10^6 steps) reading is fast, but re-checking every variant under the sanitizers is not.
  if (static_cast<double>(trace.time_s.size()) > max_harness_bins)
    return 0;
  check_import(trace, "import-trace");

  // The other options a scenario may give: no loop, an offset inside or beyond the data, a scale, a finer bin.
  std::vector<std::pair<std::string, popex::TraceOptions>> variants;
  if (!own_loop)
    variants.push_back({"loop false", {1.0, 1.0, 0.0, false}});
  variants.push_back({"offset 0.37 end", {1.0, 1.0, 0.37 * trace.end_s, options.loop}});
  variants.push_back({"offset 2.5 end", {1.0, 1.0, 2.5 * trace.end_s + 0.1, options.loop}});
  variants.push_back({"scale 1e-3", {1.0, 1e-3, 0.0, options.loop}});
  if (format == popex::TraceFormat::MAHIMAHI && trace.end_s <= max_harness_bins / 4)
    variants.push_back({"bin_s 0.25", {0.25, 1.0, 0.0, options.loop}});
  for (const auto& [what, opt] : variants) {
    try {
      check_trace(popex::load_trace_text(text, "fuzz.trace", format, opt), what);
    } catch (const popex::ConfigError&) {
    }
  }
  return 0;
}
