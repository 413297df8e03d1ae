#include "traces/rate_trace.hpp"
#include "traces/mahimahi_reader.hpp"
#include "traces/mbps_reader.hpp"
#include "traces/sabre_reader.hpp"
#include "traces/simgrid_profile_reader.hpp"
#include "traces/trace_input.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <ostream>
#include <sstream>
#include <utility>

namespace popex {

namespace {

const char* trace_context(TraceFormat format)
{
  switch (format) {
  case TraceFormat::SIMGRID:
    return "simgrid profile";
  case TraceFormat::MAHIMAHI:
    return "mahimahi trace";
  case TraceFormat::MBPS:
    return "mbps trace";
  case TraceFormat::SABRE:
    return "sabre trace";
  }
  return "trace";
}

void check_options(const TraceOptions& options, const std::string& name)
{
  if (!std::isfinite(options.bin_s) || options.bin_s <= 0)
    fail_at({name}, fmt::format("trace options: bin_s must be a finite number > 0 in seconds (got {})", options.bin_s));
  if (!std::isfinite(options.scale) || options.scale <= 0)
    fail_at({name}, fmt::format("trace options: scale must be a finite number > 0 (got {})", options.scale));
  if (!std::isfinite(options.offset_s) || options.offset_s < 0)
    fail_at({name},
            fmt::format("trace options: offset_s must be a finite number >= 0 in seconds (got {})", options.offset_s));
  if (options.bin_s < min_trace_period_s)
    fail_at({name}, fmt::format("trace options: bin_s must be >= 1e-06 s, as written profiles keep times to the "
                                "nanosecond (got {})",
                                options.bin_s));
}

/** Appends a step; one that does not start after the previous one (rounding) replaces that one's rate. */
void push_step(std::vector<double>& time_s, std::vector<double>& rate_Bps, double t, double rate)
{
  if (!time_s.empty() && t <= time_s.back()) {
    rate_Bps.back() = rate;
    return;
  }
  time_s.push_back(t);
  rate_Bps.push_back(rate);
}

SourcePos pos_of(const ParsedTrace& parsed, std::size_t i, const std::string& name)
{
  return {name, parsed.rate_pos[i].line, parsed.rate_pos[i].col};
}

/** The limits and invariants every format must meet once read (docs/traces.md, "Limits"). */
void check_parsed(const ParsedTrace& parsed, const std::string& name, const std::string& context, double scale)
{
  const std::size_t n = parsed.time_s.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double rate = parsed.rate_Bps[i] * scale;
    if (!(rate <= max_trace_rate_Bps))
      fail_at(pos_of(parsed, i, name),
              scale == 1
                  ? fmt::format("{}: rate must be at most 1e15 bytes/s (got {:.12g} bytes/s)", context, rate)
                  : fmt::format("{}: rate times scale {:.12g} must be at most 1e15 bytes/s (got {:.12g} bytes/s)",
                                context, scale, rate));
    if (i > 0 && !(parsed.time_s[i] > parsed.time_s[i - 1]))
      fail_at(pos_of(parsed, i, name),
              fmt::format("{}: step times must be strictly increasing once converted to seconds from the start "
                          "(got {} s after {} s)",
                          context, parsed.time_s[i], parsed.time_s[i - 1]));
  }
  if (!(parsed.end_s <= max_trace_s))
    fail_at(parsed.end_pos, fmt::format("{}: the trace must last at most 1e9 s (got {} s)", context, parsed.end_s));
}

/** Index of the step that holds at time u, for 0 <= u. */
std::size_t step_at(const std::vector<double>& time_s, double u)
{
  const auto it = std::upper_bound(time_s.begin(), time_s.end(), u);
  return static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, (it - time_s.begin()) - 1));
}

/**
 * Simulation time 0 becomes trace time offset_s: drop (or, looping, rotate) what comes before. Rounding in the
 * shifted times may bring two steps to the same time, or a wrapped step to the period: such a step is merged.
 */
void apply_offset(RateTrace& trace, double offset_s)
{
  const std::size_t n = trace.time_s.size();
  std::vector<double> time_s{0.0};
  std::vector<double> rate_Bps;
  if (!trace.loop_period_s) {
    const std::size_t first = step_at(trace.time_s, offset_s);
    rate_Bps.push_back(trace.rate_Bps[first]);
    for (std::size_t j = first + 1; j < n; ++j)
      push_step(time_s, rate_Bps, trace.time_s[j] - offset_s, trace.rate_Bps[j]);
    trace.end_s -= offset_s;
  } else {
    const double period_s = *trace.loop_period_s;
    const double u        = std::fmod(offset_s, period_s);
    if (u == 0)
      return;
    const std::size_t first = step_at(trace.time_s, u);
    rate_Bps.push_back(trace.rate_Bps[first]);
    for (std::size_t j = first + 1; j < n; ++j)
      push_step(time_s, rate_Bps, trace.time_s[j] - u, trace.rate_Bps[j]);
    // The part of the period before u comes back at the end, including the head of the step u falls into.
    const std::size_t wrapped = trace.time_s[first] < u ? first + 1 : first;
    for (std::size_t j = 0; j < wrapped; ++j) {
      const double t = period_s - u + trace.time_s[j];
      if (t < period_s) // a step rounded onto the period would last no time
        push_step(time_s, rate_Bps, t, trace.rate_Bps[j]);
    }
  }
  trace.time_s   = std::move(time_s);
  trace.rate_Bps = std::move(rate_Bps);
}

/** The fewest decimals that read back within a nanosecond: "0.3" rather than "0.30000000000000004", never "1e+01". */
std::string short_time(double t_s)
{
  for (int decimals = 0; decimals < 9; ++decimals) {
    const std::string text = fmt::format("{:.{}f}", t_s, decimals);
    if (std::abs(parse_double(text).value_or(t_s + 1) - t_s) <= 1e-9)
      return text;
  }
  return fmt::format("{:.9f}", t_s);
}

/** Width of each step inside [0, end_s); a step that starts at end_s has width 0. */
std::vector<double> step_widths(const RateTrace& trace)
{
  const std::size_t n = trace.time_s.size();
  std::vector<double> widths(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double next = i + 1 < n ? std::min(trace.time_s[i + 1], trace.end_s) : trace.end_s;
    widths[i]         = std::max(0.0, next - trace.time_s[i]);
  }
  return widths;
}

} // namespace

TraceFormat parse_trace_format(const std::string& name, const std::string& field)
{
  for (const TraceFormat format : {TraceFormat::SIMGRID, TraceFormat::MAHIMAHI, TraceFormat::MBPS, TraceFormat::SABRE})
    if (name == trace_format_name(format))
      return format;
  throw ConfigError(fmt::format("{} must be one of simgrid, mahimahi, mbps, sabre (got '{}')", field, name));
}

std::string trace_format_name(TraceFormat format)
{
  switch (format) {
  case TraceFormat::SIMGRID:
    return "simgrid";
  case TraceFormat::MAHIMAHI:
    return "mahimahi";
  case TraceFormat::MBPS:
    return "mbps";
  case TraceFormat::SABRE:
    return "sabre";
  }
  return "unknown";
}

double RateTrace::rate_at(double t) const
{
  double u = std::max(0.0, t);
  if (loop_period_s)
    u = std::fmod(u, *loop_period_s);
  return rate_Bps[step_at(time_s, u)];
}

double RateTrace::next_change_s(double t) const
{
  if (t < 0)
    return 0.0;
  if (!loop_period_s) {
    const auto it = std::upper_bound(time_s.begin(), time_s.end(), t);
    return it == time_s.end() ? std::numeric_limits<double>::infinity() : *it;
  }
  const double period_s = *loop_period_s;
  const double u        = std::fmod(t, period_s);
  const double base     = t - u;
  const auto it         = std::upper_bound(time_s.begin(), time_s.end(), u);
  const double next     = it == time_s.end() ? base + period_s : base + *it;
  // Rounding in base + offset must never hand back a time that is not after t: a driver would spin on it.
  return next > t ? next : std::nextafter(t, std::numeric_limits<double>::infinity());
}

double RateTrace::total_bytes() const
{
  const auto widths = step_widths(*this);
  double bytes      = 0;
  for (std::size_t i = 0; i < widths.size(); ++i)
    bytes += rate_Bps[i] * widths[i];
  return bytes;
}

double RateTrace::mean_Bps() const
{
  if (end_s <= 0)
    return rate_Bps.back();
  return total_bytes() / end_s;
}

double RateTrace::quantile_Bps(double q) const
{
  const auto widths = step_widths(*this);
  std::vector<std::pair<double, double>> by_rate; // (rate, width)
  double total_s = 0;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (widths[i] > 0) {
      by_rate.emplace_back(rate_Bps[i], widths[i]);
      total_s += widths[i];
    }
  }
  if (by_rate.empty())
    return rate_Bps.back();
  std::sort(by_rate.begin(), by_rate.end());
  const double target_s = std::clamp(q, 0.0, 1.0) * total_s;
  double cum_s          = 0;
  for (const auto& [rate, width] : by_rate) {
    cum_s += width;
    // The relative slack absorbs rounding in the running sum, so that q = k/n picks the k-th of n equal bins.
    if (cum_s >= target_s * (1 - 1e-12) && cum_s > 0)
      return rate;
  }
  return by_rate.back().first;
}

RateTrace load_trace(const std::string& path, TraceFormat format, const TraceOptions& options)
{
  check_options(options, path);
  return load_trace_text(read_trace_file(path, trace_context(format)), path, format, options);
}

RateTrace load_trace_text(const std::string& text, const std::string& name, TraceFormat format,
                          const TraceOptions& options)
{
  check_options(options, name);
  const std::string context = trace_context(format);
  const TraceText input     = make_trace_text(text, name, context);
  ParsedTrace parsed;
  switch (format) {
  case TraceFormat::SIMGRID:
    parsed = read_simgrid_profile(input);
    break;
  case TraceFormat::MAHIMAHI:
    parsed = read_mahimahi(input, options.bin_s);
    break;
  case TraceFormat::MBPS:
    parsed = read_mbps(input);
    break;
  case TraceFormat::SABRE:
    parsed = read_sabre(input);
    break;
  }
  check_parsed(parsed, name, context, options.scale);

  RateTrace trace;
  trace.time_s        = std::move(parsed.time_s);
  trace.rate_Bps      = std::move(parsed.rate_Bps);
  trace.end_s         = parsed.end_s;
  trace.loop_period_s = parsed.loop_period_s;
  trace.source        = fmt::format("{} ({}", name, trace_format_name(format));
  if (format == TraceFormat::MAHIMAHI && options.bin_s != TraceOptions{}.bin_s)
    trace.source += fmt::format(", bin_s {}", options.bin_s);
  if (options.loop)
    trace.source += ", loop";
  if (options.offset_s != TraceOptions{}.offset_s)
    trace.source += fmt::format(", offset_s {}", options.offset_s);
  if (options.scale != TraceOptions{}.scale)
    trace.source += fmt::format(", scale {}", options.scale);
  trace.source += ")";
  if (options.loop && !trace.loop_period_s) {
    if (format == TraceFormat::SIMGRID)
      fail_at(parsed.end_pos, fmt::format("{}: loop needs a LOOPAFTER or PERIODICITY line in the profile, which "
                                          "sets the period (got none)",
                                          context));
    trace.loop_period_s = trace.end_s;
  }
  if (trace.loop_period_s && !(*trace.loop_period_s >= min_trace_period_s))
    fail_at(parsed.end_pos, fmt::format("{}: the period of a looping trace must be at least 1e-06 s, as written "
                                        "profiles keep times to the nanosecond (got {} s)",
                                        context, *trace.loop_period_s));
  if (trace.loop_period_s && !(trace.time_s.back() < *trace.loop_period_s))
    fail_at(parsed.end_pos, fmt::format("{}: the last step of a looping trace must start before its end, {} s (got "
                                        "{} s)",
                                        context, *trace.loop_period_s, trace.time_s.back()));

  if (!trace.loop_period_s && trace.rate_Bps.back() == 0)
    fail_at(pos_of(parsed, parsed.rate_pos.size() - 1, name),
            fmt::format("{}: the last rate must be > 0 when the trace does not loop, or transfers would wait forever "
                        "(got 0 from t = {} s on)",
                        context, trace.time_s.back()));
  if (std::all_of(trace.rate_Bps.begin(), trace.rate_Bps.end(), [](double r) { return r == 0; }))
    fail_at(
        pos_of(parsed, 0, name),
        fmt::format("{}: at least one rate must be > 0, or transfers would wait forever (got 0 everywhere)", context));

  if (options.offset_s > 0) {
    if (!trace.loop_period_s && options.offset_s >= trace.end_s)
      fail_at({name}, fmt::format("trace options: offset_s must be < the trace's duration, {} s, when the trace does "
                                  "not loop (got {})",
                                  trace.end_s, options.offset_s));
    apply_offset(trace, options.offset_s);
  }
  for (double& rate : trace.rate_Bps)
    rate *= options.scale; // check_parsed() made sure this stays <= max_trace_rate_Bps
  return trace;
}

RateTrace bin_trace(const RateTrace& trace, double bin_s)
{
  if (!std::isfinite(bin_s) || bin_s <= 0)
    throw ConfigError(fmt::format("{}: bin_s must be a finite number > 0 in seconds (got {})", trace.source, bin_s));
  if (bin_s < min_trace_period_s)
    throw ConfigError(fmt::format("{}: bin_s must be >= 1e-06 s, as written profiles keep times to the nanosecond "
                                  "(got {})",
                                  trace.source, bin_s));
  if (trace.end_s <= 0)
    return trace;
  const double bin_count = std::max(1.0, std::floor(trace.end_s / bin_s + 0.5));
  if (bin_count > max_trace_bins)
    throw ConfigError(fmt::format("{}: bin_s must make at most 1000000 bins of the {} s trace (got {:.0f} bins of {} "
                                  "s)",
                                  trace.source, trace.end_s, bin_count, bin_s));
  const auto bins     = static_cast<std::size_t>(bin_count);
  const auto widths   = step_widths(trace);
  const std::size_t n = trace.time_s.size();

  RateTrace out;
  out.end_s         = trace.end_s;
  out.loop_period_s = trace.loop_period_s;
  out.source        = trace.source;
  std::size_t i     = 0;
  for (std::size_t k = 0; k < bins; ++k) {
    const double a = static_cast<double>(k) * bin_s;
    const double b = k + 1 == bins ? trace.end_s : static_cast<double>(k + 1) * bin_s;
    double bytes   = 0;
    while (i < n && trace.time_s[i] < b) {
      const double step_end = trace.time_s[i] + widths[i];
      const double overlap  = std::min(b, step_end) - std::max(a, trace.time_s[i]);
      if (overlap > 0)
        bytes += trace.rate_Bps[i] * overlap;
      if (step_end > b)
        break;
      ++i;
    }
    out.time_s.push_back(a);
    out.rate_Bps.push_back(bytes / (b - a));
  }
  if (!trace.loop_period_s && trace.rate_Bps.back() != out.rate_Bps.back()) {
    out.time_s.push_back(trace.end_s);
    out.rate_Bps.push_back(trace.rate_Bps.back());
  }
  return out;
}

void write_simgrid_profile(const RateTrace& trace, std::ostream& out, const std::vector<std::string>& header_lines)
{
  for (std::string line : header_lines) {
    std::replace(line.begin(), line.end(), '\n', ' ');
    std::replace(line.begin(), line.end(), '\r', ' ');
    out << (line.empty() ? "#" : "# " + line) << '\n';
  }
  for (std::size_t i = 0; i < trace.time_s.size(); ++i)
    out << short_time(trace.time_s[i]) << ' ' << fmt::format("{:.12g}", trace.rate_Bps[i]) << '\n';
  if (trace.loop_period_s)
    out << "LOOPAFTER " << short_time(*trace.loop_period_s - trace.time_s.back()) << '\n';
}

} // namespace popex
