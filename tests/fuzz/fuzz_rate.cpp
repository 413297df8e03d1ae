// Fuzzes rate parsing (`1.1Mbps`, `700kbps`, `2MBps`, presets) as written in scenarios and on the command line. A
// rate it accepts is finite and > 0, and format_rate() prints it back to text that parses to the same rate.
#include "fuzz_support.hpp"

#include "config/units.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string text = popex_fuzz::text_of(data, size);
  try {
    const double bps = popex::parse_rate_bps(text, "uplink");
    POPEX_FUZZ_CHECK(std::isfinite(bps) && bps > 0, fmt::format("{} bit/s", bps));
    const std::string printed = popex::format_rate(bps);
    const double again        = popex::parse_rate_bps(printed, "uplink");
    POPEX_FUZZ_CHECK(std::fabs(again - bps) <= 1e-12 * bps, fmt::format("{} bit/s prints as {}", bps, printed));
  } catch (const popex::ConfigError&) {
  }
  try {
    const double v = popex::parse_number(text, "gamma");
    POPEX_FUZZ_CHECK(std::isfinite(v), fmt::format("{}", v));
  } catch (const popex::ConfigError&) {
  }
  return 0;
}
