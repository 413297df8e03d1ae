#pragma once

#include "core/config_error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace popex {

/**
 * Limits every reader enforces, so that no trace can exhaust memory or time, or overflow a double.
 * docs/traces.md lists them.
 */
inline constexpr double max_trace_bins               = 1e6;  //!< most bins a reader or bin_trace() makes
inline constexpr double max_trace_rate_Bps           = 1e15; //!< highest rate, bytes/s, after unit conversion and scale
inline constexpr double max_trace_s                  = 1e9;  //!< longest trace (last time, end, period), seconds
inline constexpr double min_trace_period_s           = 1e-6; //!< shortest loop period and bin, seconds (1 us)
inline constexpr std::uintmax_t max_trace_file_bytes = 512u * 1024u * 1024u; //!< largest trace file (512 MiB)

/**
 * Reads a trace file whole. Throws ConfigError "PATH: CONTEXT: ..." if it cannot be opened or read, is a directory
 * or another non-regular file (a device, a FIFO), or is larger than max_trace_file_bytes.
 */
std::string read_trace_file(const std::string& path, const std::string& context);

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

/** A line and 1-based column in the trace file (the file name is TraceText::name); 24 bytes less than SourcePos. */
struct LineCol {
  int line = 0;
  int col  = 0;
};

/** What a format reader produces: steps in bytes/s from t = 0, with the source position of each step's rate. */
struct ParsedTrace {
  std::vector<double> time_s;          //!< step starts, seconds, time_s[0] == 0, strictly increasing
  std::vector<double> rate_Bps;        //!< step rates, bytes/s, finite and >= 0
  std::vector<LineCol> rate_pos;       //!< where each rate came from, for messages about the data
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
