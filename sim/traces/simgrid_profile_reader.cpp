#include "traces/simgrid_profile_reader.hpp"

#include <fmt/format.h>

#include <cmath>

namespace popex {

ParsedTrace read_simgrid_profile(const TraceText& text)
{
  const std::string& ctx = text.context;
  ParsedTrace trace;
  std::optional<double> loop_after_s;
  std::optional<double> periodicity_s;
  SourcePos loop_pos;

  for_each_line(text.data, [&](std::string_view line, int lineno) {
    const auto tokens = split_tokens(line);
    if (tokens.empty() || tokens[0].text.front() == '#' || tokens[0].text.front() == '%')
      return;
    const SourcePos pos{text.name, lineno, tokens[0].col};
    const std::string_view keyword = tokens[0].text;
    if (keyword == "STOCHASTIC")
      fail_at(pos, fmt::format("{}: STOCHASTIC profiles are not supported, only DATE VALUE lines (got '{}')", ctx,
                               shown(line.substr(static_cast<std::size_t>(tokens[0].col - 1)))));
    if (keyword == "LOOPAFTER" || keyword == "PERIODICITY") {
      const bool is_loop_after = keyword == "LOOPAFTER";
      if (tokens.size() != 2)
        fail_at(pos, fmt::format("{}: {} must be followed by exactly one number (got {} fields)", ctx, keyword,
                                 tokens.size() - 1));
      const auto value = parse_double(tokens[1].text);
      const SourcePos value_pos{text.name, lineno, tokens[1].col};
      if (!value || !std::isfinite(*value) || *value <= 0)
        fail_at(value_pos, fmt::format("{}: {} must be a finite number > 0 in seconds (got {})", ctx, keyword,
                                       shown(tokens[1].text)));
      if (*value < min_trace_period_s || *value > max_trace_s)
        fail_at(value_pos,
                fmt::format("{}: {} must be between 1e-06 and 1e9 s (got {})", ctx, keyword, shown(tokens[1].text)));
      if (loop_after_s || periodicity_s)
        fail_at(pos, fmt::format("{}: LOOPAFTER or PERIODICITY must appear at most once (got a second one, {})", ctx,
                                 keyword));
      (is_loop_after ? loop_after_s : periodicity_s) = *value;
      loop_pos                                       = value_pos;
      return;
    }
    if (tokens.size() != 2)
      fail_at(pos, fmt::format("{}: line must be 'DATE VALUE', 'LOOPAFTER D' or 'PERIODICITY P' (got '{}')", ctx,
                               shown(line.substr(static_cast<std::size_t>(tokens[0].col - 1)))));
    const auto date = parse_double(tokens[0].text);
    if (!date || !std::isfinite(*date) || *date < 0)
      fail_at(pos,
              fmt::format("{}: DATE must be a finite number >= 0 in seconds (got {})", ctx, shown(tokens[0].text)));
    if (*date > max_trace_s)
      fail_at(pos, fmt::format("{}: DATE must be at most 1e9 s (got {})", ctx, shown(tokens[0].text)));
    const SourcePos value_pos{text.name, lineno, tokens[1].col};
    const auto value = parse_double(tokens[1].text);
    if (!value || !std::isfinite(*value) || *value < 0)
      fail_at(value_pos,
              fmt::format("{}: VALUE must be a finite number >= 0 in bytes/s (got {})", ctx, shown(tokens[1].text)));
    if (*value > max_trace_rate_Bps)
      fail_at(value_pos, fmt::format("{}: VALUE must be at most 1e15 bytes/s (got {})", ctx, shown(tokens[1].text)));
    if (trace.time_s.empty()) {
      if (*date != 0)
        fail_at(pos, fmt::format("{}: the first DATE must be 0, since before it the link would keep the bandwidth "
                                 "declared in the platform (got {})",
                                 ctx, shown(tokens[0].text)));
    } else if (*date < trace.time_s.back()) {
      fail_at(pos, fmt::format("{}: DATE must be >= the previous date {} (got {})", ctx, trace.time_s.back(),
                               shown(tokens[0].text)));
    } else if (*date == trace.time_s.back()) {
      // SimGrid applies both events at the same instant, in file order: the later value is the one that holds.
      trace.rate_Bps.back() = *value;
      trace.rate_pos.back() = {lineno, tokens[1].col};
      trace.end_pos         = pos;
      return;
    }
    trace.time_s.push_back(*date);
    trace.rate_Bps.push_back(*value);
    trace.rate_pos.push_back({lineno, tokens[1].col});
    trace.end_pos = pos;
  });

  if (trace.time_s.empty())
    fail_at({text.name, 1, 1}, fmt::format("{}: must have at least one 'DATE VALUE' line (got none)", ctx));
  const double last_date = trace.time_s.back();
  trace.end_s            = last_date;
  if (loop_after_s) {
    trace.loop_period_s = last_date + *loop_after_s;
  } else if (periodicity_s) {
    if (*periodicity_s <= last_date)
      fail_at(loop_pos,
              fmt::format("{}: PERIODICITY must be > the last DATE {} (got {})", ctx, last_date, *periodicity_s));
    trace.loop_period_s = *periodicity_s;
  }
  if (trace.loop_period_s)
    trace.end_s = *trace.loop_period_s;
  return trace;
}

} // namespace popex
