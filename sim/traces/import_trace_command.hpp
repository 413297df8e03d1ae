#pragma once

#include <string>

namespace popex {

/** Options of `popex-sim import-trace --format F FILE [--bin-s 1] [--scale 1] -o OUT.profile`. */
struct ImportTraceOptions {
  std::string format; //!< simgrid | mahimahi | mbps | sabre (no default)
  std::string file;   //!< trace file to read
  double bin_s = 1;   //!< width of the written steps, seconds (> 0); default 1
  std::string out;    //!< SimGrid profile to write
  double scale = 1;   //!< multiply every rate by this (> 0); default 1
};

/**
 * Converts a trace into a SimGrid bandwidth profile with one step per bin_s seconds (bytes/s), opening with a '#'
 * provenance header: source, upstream and license when known, how it was derived, mean/p5/p95 in Mbit/s, and the
 * command that regenerates it. Mahimahi, mbps and Sabre traces are written looping (LOOPAFTER), with their duration
 * as the period; a SimGrid profile keeps its own LOOPAFTER or its absence. Prints a one-line summary on stdout.
 *
 * Returns 0; throws ConfigError on bad input or an unwritable output.
 */
int run_import_trace(const ImportTraceOptions& options);

} // namespace popex
