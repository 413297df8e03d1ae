// Fuzzes the platform validation layer (check_platform_text(): the XML scanner, SimGrid's unit grammar, the DTD's
// structure, names, routes and roles, and <config> options) with SimGrid platform XML. Every refusal is one line that
// names the file, and its line:col lies inside the input; the same input gets the same answer twice.
#include "fuzz_support.hpp"

#include "config/platform_check.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

namespace {

const std::string NAME = "fuzz.xml";

/** The refusal's message, or nullopt when the platform is accepted. */
std::optional<std::string> verdict(const std::string& text)
{
  try {
    popex::check_platform_text(text, NAME);
  } catch (const popex::ConfigError& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

/** Length of 1-based line `line` of `text`, or -1 past the end (a position may also be just after the last line). */
long line_length(const std::string& text, long line)
{
  std::size_t start = 0;
  for (long l = 1; l < line; ++l) {
    start = text.find('\n', start);
    if (start == std::string::npos)
      return -1;
    ++start;
  }
  const std::size_t end = std::min(text.find('\n', start), text.size());
  return static_cast<long>(end - start);
}

/** "fuzz.xml:L:C: platform: ..." or "fuzz.xml: platform: ...": a position, when given, points into the text. */
void check_message(const std::string& text, const std::string& message)
{
  POPEX_FUZZ_CHECK(message.find('\n') == std::string::npos, message);
  POPEX_FUZZ_CHECK(message.rfind(NAME + ":", 0) == 0 && message.find(" platform: ") != std::string::npos, message);
  long line = 0;
  long col  = 0;
  if (std::sscanf(message.c_str() + NAME.size(), ":%ld:%ld: platform: ", &line, &col) != 2)
    return;
  const long length = line_length(text, line);
  POPEX_FUZZ_CHECK(line >= 1 && col >= 1 && length >= 0 && col <= length + 1,
                   fmt::format("{} (line {} has {} bytes)", message, line, length));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string text = popex_fuzz::text_of(data, size);
  const auto first       = verdict(text);
  if (first)
    check_message(text, *first);
  const auto second = verdict(text);
  POPEX_FUZZ_CHECK(first == second,
                   fmt::format("'{}' then '{}'", first.value_or("accepted"), second.value_or("accepted")));
  return 0;
}
