#pragma once

#include "traces/trace_input.hpp"

namespace popex {

/**
 * Reads a mahimahi trace (one line per 1500-byte delivery opportunity, each a timestamp in integer ms, not
 * decreasing; a repeated timestamp is several packets) into bins of bin_s seconds.
 *
 * The data covers [0, P) with P the last timestamp, which mahimahi uses as the loop period. Bin k covers
 * [k bin_s, (k+1) bin_s), except the last, which ends at P and takes the packets stamped exactly P: when P is not a
 * multiple of bin_s the last bin is between 0.5 and 1.5 bins wide (a shorter remainder joins the bin before it). A
 * bin's rate is packets x 1500 / its width, in bytes/s, so the trace keeps every byte.
 */
ParsedTrace read_mahimahi(const TraceText& text, double bin_s);

} // namespace popex
