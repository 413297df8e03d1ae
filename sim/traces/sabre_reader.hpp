#pragma once

#include "traces/trace_input.hpp"

namespace popex {

/**
 * Reads a Sabre network trace: a JSON list of objects {"duration_ms": D, "bandwidth_kbps": B, "latency_ms": L}.
 * Entry i holds the rate B x 1000 / 8 bytes/s for D ms (D > 0, B >= 0), one after the other from t = 0.
 * latency_ms is optional and ignored: the Sabre authors set it as a constant, it is not a measurement, and the
 * scenario's link latency applies instead. Any other key, a missing key or a non-number value is an error.
 *
 * The JSON reader is strict (RFC 8259 syntax, no trailing commas, no comments) and knows only this shape.
 */
ParsedTrace read_sabre(const TraceText& text);

} // namespace popex
