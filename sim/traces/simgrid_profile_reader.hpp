#pragma once

#include "traces/trace_input.hpp"

namespace popex {

/**
 * Reads a SimGrid profile the way SimGrid 3.32's ProfileBuilder does, but refuses instead of aborting:
 * - blank lines, and lines whose first non-blank character is '#' or '%', are skipped;
 * - "DATE VALUE": from DATE (seconds) on, the rate is VALUE (bytes/s); dates must not decrease, and when two lines
 *   share a date the later value wins, as in SimGrid; the first date must be 0;
 * - "LOOPAFTER D" (D > 0): the profile repeats with period last DATE + D;
 * - "PERIODICITY P" (P > last DATE): the profile repeats with period P;
 * - STOCHASTIC profiles and extra fields on a line are refused.
 */
ParsedTrace read_simgrid_profile(const TraceText& text);

} // namespace popex
