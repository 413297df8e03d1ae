#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace popex {

/** The file formats a link-rate trace can be read from. docs/traces.md describes each one. */
enum class TraceFormat {
  SIMGRID,  //!< SimGrid profile: "DATE VALUE" lines, VALUE in bytes/s, optional LOOPAFTER or PERIODICITY
  MAHIMAHI, //!< one line per 1500-byte delivery opportunity, each a timestamp in ms
  MBPS,     //!< two columns "SECONDS MBPS": the rate from that time on, in Mbit/s
  SABRE,    //!< Sabre JSON list of {"duration_ms", "bandwidth_kbps", "latency_ms"}; latency is ignored
};

/**
 * Maps "simgrid", "mahimahi", "mbps" or "sabre" to its TraceFormat.
 * Throws ConfigError "FIELD must be one of simgrid, mahimahi, mbps, sabre (got 'NAME')" otherwise; `field` names the
 * option or key the name came from, such as "uplink.format".
 */
TraceFormat parse_trace_format(const std::string& name, const std::string& field);

/** The name parse_trace_format() accepts for `format`. */
std::string trace_format_name(TraceFormat format);

/**
 * A piecewise-constant link rate: from time_s[i] on, the rate is rate_Bps[i], until time_s[i+1].
 *
 * Invariants, which load_trace() guarantees: time_s[0] == 0; time_s is strictly increasing; rates are finite and
 * >= 0. The data covers [0, end_s). Without a loop the last rate holds forever after its start, as SimGrid holds a
 * profile's last value; time_s.back() may equal end_s, a step that lasts zero time inside the data (a SimGrid
 * profile's last line). With a loop, every step starts before end_s, and the rate at t is the rate at t mod end_s.
 */
struct RateTrace {
  std::vector<double> time_s;   //!< start of each step, seconds; time_s[0] == 0
  std::vector<double> rate_Bps; //!< rate of each step, BYTES per second (SimGrid's C++ unit)
  double end_s = 0;             //!< end of the data, seconds: last bin end, or a profile's last date
  /**
   * If set, the trace repeats with this period in seconds, always equal to end_s. A SimGrid profile with
   * "LOOPAFTER D" has period = last DATE + D (measured on SimGrid 3.32: the first value comes back D seconds after
   * the last date); "PERIODICITY P" has period P.
   */
  std::optional<double> loop_period_s;
  std::string source; //!< provenance: "PATH (FORMAT)", with the options that differ from their defaults, if any

  /** The rate in bytes/s at time t (seconds; t < 0 is read as 0). Follows the loop if there is one. */
  double rate_at(double t) const;
  /** Time of the end of the data, seconds (end_s): the last bin end, or a SimGrid profile's last date or period. */
  double duration_s() const { return end_s; }
  /** First time strictly after t at which the rate may change; +infinity if it never does again. */
  double next_change_s(double t) const;
  /** Time-weighted mean rate over [0, end_s), bytes/s; the last rate if end_s == 0. */
  double mean_Bps() const;
  /**
   * Time-weighted quantile over [0, end_s), bytes/s: the smallest rate r such that the rate is <= r for at least a
   * fraction q of the time (q in [0, 1]). With equal-width bins this is the empirical quantile of the bins, without
   * interpolation.
   */
  double quantile_Bps(double q) const;
  /** Bytes the trace delivers over [0, end_s). */
  double total_bytes() const;
};

/** How to read a trace. Each option maps to a scenario key (uplink.loop, uplink.scale, uplink.offset_s). */
struct TraceOptions {
  double bin_s    = 1.0;   //!< bin width for event traces (mahimahi), seconds (> 0); default 1
  double scale    = 1.0;   //!< multiply every rate by this (> 0); default 1
  double offset_s = 0.0;   //!< simulation time 0 is trace time offset_s (>= 0, < duration unless looping); default 0
  bool loop       = false; //!< repeat the trace after its end; a SimGrid profile loops by its own LOOPAFTER instead
};

/**
 * Reads a trace file into bytes/s steps, then applies the options in this order: loop, offset, scale.
 *
 * Throws ConfigError "FILE:LINE:COL: CONTEXT: FIELD RULE (got VALUE)" on anything wrong: an unreadable, empty or
 * binary file, a non-numeric, negative, NaN or infinite value, decreasing times, no data, bad options, and a trace
 * that ends at rate 0 without looping (transfers would wait forever).
 */
RateTrace load_trace(const std::string& path, TraceFormat format, const TraceOptions& options = {});

/** As load_trace(), on the text of a file; `name` stands for the path in messages and in `source`. */
RateTrace load_trace_text(const std::string& text, const std::string& name, TraceFormat format,
                          const TraceOptions& options = {});

/**
 * Resamples `trace` into bins of bin_s seconds over [0, end_s); each bin's rate is the time-weighted mean of the
 * steps it covers, so every bin carries the same bytes as the original. The last bin is shorter when end_s is not a
 * multiple of bin_s. A non-looping trace keeps its final rate (the one that holds forever) as a last step at end_s
 * when that rate differs from the last bin's.
 */
RateTrace bin_trace(const RateTrace& trace, double bin_s);

/**
 * Writes `trace` as a SimGrid profile: each header line as a "# " comment, then one "DATE VALUE" line per step
 * (VALUE in bytes/s to 12 significant digits; DATE with the fewest decimals that read back within 1 ns), then
 * "LOOPAFTER D" with D = end_s - last date if the trace loops.
 * SimGrid 3.32 skips lines whose first non-blank character is '#' or '%' (ProfileBuilder.cpp), so the header is
 * safe. A non-looping trace loses end_s: SimGrid holds the last value forever anyway.
 */
void write_simgrid_profile(const RateTrace& trace, std::ostream& out, const std::vector<std::string>& header_lines);

/** Bytes/s to Mbit/s, for reports. */
constexpr double bytes_per_s_to_mbps(double rate_Bps)
{
  return rate_Bps * 8.0 / 1e6;
}

} // namespace popex
