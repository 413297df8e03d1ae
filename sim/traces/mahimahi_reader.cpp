#include "traces/mahimahi_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace popex {

namespace {
constexpr double packet_bytes = 1500.0; // mahimahi's MTU-sized delivery opportunity
} // namespace

ParsedTrace read_mahimahi(const TraceText& text, double bin_s)
{
  const std::string& ctx              = text.context;
  constexpr std::int64_t max_stamp_ms = 1'000'000'000'000; // max_trace_s in ms

  // Two passes, so that memory holds the bins, not one entry per line: the first checks every line and finds the
  // period, the second counts the packets of each bin.
  const auto parse = [&](bool check, const auto& on_stamp) {
    std::int64_t previous = -1;
    for_each_line(text.data, [&](std::string_view line, int lineno) {
      const auto tokens = split_tokens(line);
      if (tokens.empty())
        return;
      const SourcePos pos{check ? text.name : std::string(), lineno, tokens[0].col};
      const std::string_view token = tokens[0].text;
      std::int64_t stamp           = -1;
      const char* last             = token.data() + token.size();
      const auto [ptr, ec]         = std::from_chars(token.data(), last, stamp);
      if (check) {
        if (tokens.size() != 1)
          fail_at(pos, fmt::format("{}: line must hold one timestamp in ms (got '{}')", ctx,
                                   shown(line.substr(static_cast<std::size_t>(tokens[0].col - 1)))));
        if (ec != std::errc() || ptr != last || stamp < 0)
          fail_at(pos, fmt::format("{}: timestamp must be an integer >= 0 in ms (got {})", ctx, shown(token)));
        if (stamp > max_stamp_ms)
          fail_at(pos, fmt::format("{}: timestamp must be at most 1000000000000 ms, as a trace lasts at most 1e9 s "
                                   "(got {})",
                                   ctx, stamp));
        if (stamp < previous)
          fail_at(pos, fmt::format("{}: timestamp must be >= the previous one, {} ms (got {})", ctx, previous, stamp));
      }
      previous = stamp;
      on_stamp(stamp, lineno, tokens[0].col);
    });
  };

  std::int64_t period_ms = -1;
  SourcePos last_pos;
  parse(true, [&](std::int64_t stamp, int lineno, int col) {
    period_ms = stamp;
    last_pos  = {text.name, lineno, col};
  });
  if (period_ms < 0)
    fail_at({text.name, 1, 1}, fmt::format("{}: must have at least one timestamp (got none)", ctx));
  if (period_ms == 0)
    fail_at(last_pos, fmt::format("{}: the last timestamp, which is the trace's period, must be > 0 ms (got 0)", ctx));

  const double period_s = static_cast<double>(period_ms) / 1000.0;
  // Rounding to the nearest count merges a last sliver shorter than half a bin into the bin before it, so that no
  // bin's rate comes from a few milliseconds of data.
  const double bin_count = std::max(1.0, std::floor(period_s / bin_s + 0.5));
  if (bin_count > max_trace_bins)
    fail_at(last_pos, fmt::format("{}: bin_s must make at most 1000000 bins of the {} s trace (got {:.0f} bins of {} "
                                  "s)",
                                  ctx, period_s, bin_count, bin_s));
  const auto bins = static_cast<std::size_t>(bin_count);

  std::vector<double> packets(bins, 0.0);
  std::vector<int> first_line(bins, 0);
  parse(false, [&](std::int64_t stamp, int lineno, int) {
    const double t_s = static_cast<double>(stamp) / 1000.0;
    const auto k     = std::min(bins - 1, static_cast<std::size_t>(std::floor(t_s / bin_s)));
    packets[k] += 1.0;
    if (first_line[k] == 0)
      first_line[k] = lineno;
  });

  ParsedTrace trace;
  trace.end_s   = period_s;
  trace.end_pos = last_pos;
  int next_line = last_pos.line;
  for (std::size_t k = bins; k-- > 0;) {
    // An empty bin points at the next line holding data, where the gap ends.
    if (first_line[k] != 0)
      next_line = first_line[k];
    first_line[k] = next_line;
  }
  trace.time_s.reserve(bins);
  trace.rate_Bps.reserve(bins);
  trace.rate_pos.reserve(bins);
  for (std::size_t k = 0; k < bins; ++k) {
    const double start_s = static_cast<double>(k) * bin_s;
    const double end_s   = k + 1 == bins ? period_s : static_cast<double>(k + 1) * bin_s;
    trace.time_s.push_back(start_s);
    trace.rate_Bps.push_back(packets[k] * packet_bytes / (end_s - start_s));
    trace.rate_pos.push_back({first_line[k], 1});
  }
  return trace;
}

} // namespace popex
