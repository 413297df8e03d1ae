#pragma once

#include <string>
#include <vector>

namespace popex {

/**
 * Parses a rate: SimGrid-style `1.1Mbps`, `700kbps`, `2MBps` (b = bits, B = bytes; k, M, G, T are powers of 1000
 * and Ki, Mi, Gi, Ti of 1024), or a preset: `3g` (1.1 Mbps), `4g` (5.5 Mbps), `wifi` (18.8 Mbps), after DADS.
 * Returns bit/s. Throws ConfigError "FIELD must be a rate such as ... (got TEXT)" for anything else or <= 0.
 */
double parse_rate_bps(const std::string& text, const std::string& field);

/** Shortest text that parses back to the same rate: "3g" for the presets' exact rates is not used; "1.1Mbps". */
std::string format_rate(double bps);

/**
 * Expands a sweep value: a comma list `1,10,100` and/or inclusive ranges `start:stop:step` (`1:1000:1`), as
 * numbers. Range values are rounded to the decimals of start and step, so 0:1:0.1 yields exactly 0.3, not
 * 0.30000000000000004. Throws ConfigError naming `field` on bad syntax, step <= 0, stop < start or NaN.
 */
std::vector<double> parse_number_axis(const std::string& text, const std::string& field);

/** Splits a comma list of words (rates, names), refusing empty items. */
std::vector<std::string> parse_word_axis(const std::string& text, const std::string& field);

/** Parses one finite number; throws ConfigError "FIELD must be a number (got TEXT)". */
double parse_number(const std::string& text, const std::string& field);

} // namespace popex
