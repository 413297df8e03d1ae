#pragma once

#include "core/config_error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace popex {

/** The text of one trace file, checked to be non-empty text, with what to call it in messages. */
struct TraceText {
  std::string name;    //!< path as the user gave it (or a stand-in for in-memory text)
  std::string context; //!< "mahimahi trace", "simgrid profile", ...: the message prefix after the position
  std::string data;    //!< whole file, a leading UTF-8 byte-order mark removed
};

/**
 * Checks `data` for emptiness and binary content (NUL or other control bytes than tab, CR, LF, FF, VT) and wraps
 * it. Throws ConfigError at the offending line:col.
 */
TraceText make_trace_text(std::string data, const std::string& name, const std::string& context);

/** What a format reader produces: steps in bytes/s from t = 0, with the source position of each step's rate. */
struct ParsedTrace {
  std::vector<double> time_s;          //!< step starts, seconds, time_s[0] == 0, strictly increasing
  std::vector<double> rate_Bps;        //!< step rates, bytes/s, finite and >= 0
  std::vector<SourcePos> rate_pos;     //!< where each rate came from, for messages about the data
  double end_s = 0;                    //!< end of the data, seconds (>= time_s.back())
  std::optional<double> loop_period_s; //!< set only by a format that declares its own loop (SimGrid LOOPAFTER)
  SourcePos end_pos;                   //!< the last data line, for messages about the whole trace
};

/** One whitespace-separated token of a line and its 1-based byte column. */
struct Token {
  std::string_view text;
  int col = 1;
};

/** Splits a line on blanks (space, tab, CR, FF, VT). */
std::vector<Token> split_tokens(std::string_view line);

/** Calls fn(line, lineno) for every line of `data` (1-based numbers, the '\n' removed). */
template <class Fn>
void for_each_line(std::string_view data, Fn&& fn)
{
  int lineno        = 0;
  std::size_t start = 0;
  while (start < data.size()) {
    const std::size_t end = data.find('\n', start);
    const std::size_t len = (end == std::string_view::npos ? data.size() : end) - start;
    fn(data.substr(start, len), ++lineno);
    if (end == std::string_view::npos)
      break;
    start = end + 1;
  }
}

/** The whole token as a double (strtod syntax without hex; "nan" and "inf" parse), or nothing if it is not one. */
std::optional<double> parse_double(std::string_view token);

/** The token quoted for a message: at most 40 characters, with "..." when cut. */
std::string shown(std::string_view token);

} // namespace popex
