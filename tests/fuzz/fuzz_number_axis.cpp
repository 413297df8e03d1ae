// Fuzzes sweep-value parsing (`1,10,100`, `0:1:0.1`) and word lists, as `popex-sim solve` reads its sweep options.
// Every value of an accepted axis is finite; every word of a word list is non-empty.
#include "fuzz_support.hpp"

#include "config/units.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string text = popex_fuzz::text_of(data, size);
  try {
    const std::vector<double> values = popex::parse_number_axis(text, "--gamma");
    POPEX_FUZZ_CHECK(!values.empty(), text);
    for (const double v : values)
      POPEX_FUZZ_CHECK(std::isfinite(v), fmt::format("'{}' yields {}", text, v));
  } catch (const popex::ConfigError&) {
  }
  try {
    const std::vector<std::string> words = popex::parse_word_axis(text, "--uplink");
    POPEX_FUZZ_CHECK(!words.empty(), text);
    for (const auto& w : words)
      POPEX_FUZZ_CHECK(!w.empty(), text);
  } catch (const popex::ConfigError&) {
  }
  return 0;
}
