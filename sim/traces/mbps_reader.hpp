#pragma once

#include "traces/trace_input.hpp"

namespace popex {

/**
 * Reads a two-column "SECONDS MBPS" trace (as the cooked Norway 3G and FCC traces of Pensieve): from SECONDS on,
 * the rate is MBPS Mbit/s, i.e. MBPS x 1e6 / 8 bytes/s. Times must strictly increase; the trace starts at its first
 * time, which becomes t = 0. The format has no end marker, so the last row lasts as long as the interval before it:
 * a trace needs at least two rows.
 */
ParsedTrace read_mbps(const TraceText& text);

} // namespace popex
