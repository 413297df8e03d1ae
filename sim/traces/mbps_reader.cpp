#include "traces/mbps_reader.hpp"

#include <fmt/format.h>

#include <cmath>

namespace popex {

ParsedTrace read_mbps(const TraceText& text)
{
  const std::string& ctx = text.context;
  ParsedTrace trace;
  std::vector<double> times_s;

  for_each_line(text.data, [&](std::string_view line, int lineno) {
    const auto tokens = split_tokens(line);
    if (tokens.empty())
      return;
    const SourcePos pos{text.name, lineno, tokens[0].col};
    if (tokens.size() != 2)
      fail_at(pos, fmt::format("{}: line must be 'SECONDS MBPS' (got '{}')", ctx,
                               shown(line.substr(static_cast<std::size_t>(tokens[0].col - 1)))));
    const auto time = parse_double(tokens[0].text);
    if (!time || !std::isfinite(*time) || *time < 0)
      fail_at(pos, fmt::format("{}: SECONDS must be a finite number >= 0 (got {})", ctx, shown(tokens[0].text)));
    if (!times_s.empty() && !(*time - times_s.front() <= max_trace_s))
      fail_at(pos, fmt::format("{}: SECONDS must be at most 1e9 s after the first row's {} (got {})", ctx,
                               times_s.front(), shown(tokens[0].text)));
    if (!times_s.empty() && *time <= times_s.back())
      fail_at(pos, fmt::format("{}: SECONDS must be > the previous time {} (got {})", ctx, times_s.back(),
                               shown(tokens[0].text)));
    const SourcePos value_pos{text.name, lineno, tokens[1].col};
    const auto mbps = parse_double(tokens[1].text);
    if (!mbps || !std::isfinite(*mbps) || *mbps < 0)
      fail_at(value_pos,
              fmt::format("{}: MBPS must be a finite number >= 0 in Mbit/s (got {})", ctx, shown(tokens[1].text)));
    if (*mbps * 1e6 / 8.0 > max_trace_rate_Bps)
      fail_at(value_pos, fmt::format("{}: MBPS must be at most 8e9 Mbit/s, that is 1e15 bytes/s (got {})", ctx,
                                     shown(tokens[1].text)));
    times_s.push_back(*time);
    trace.rate_Bps.push_back(*mbps * 1e6 / 8.0);
    trace.rate_pos.push_back({lineno, tokens[1].col});
    trace.end_pos = pos;
  });

  if (times_s.size() < 2)
    fail_at(times_s.empty() ? SourcePos{text.name, 1, 1} : trace.end_pos,
            fmt::format("{}: must have at least 2 rows, as the last row lasts as long as the interval before it "
                        "(got {})",
                        ctx, times_s.size()));
  const double t0 = times_s.front();
  for (const double t : times_s)
    trace.time_s.push_back(t - t0);
  const std::size_t n = times_s.size();
  trace.end_s         = (times_s[n - 1] - t0) + (times_s[n - 1] - times_s[n - 2]);
  return trace;
}

} // namespace popex
