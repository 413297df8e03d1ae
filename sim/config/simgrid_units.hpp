#pragma once

#include <optional>
#include <string_view>

namespace popex {

/** The unit families of SimGrid 3.32's platform values (src/xbt/xbt_parse_units.cpp). */
enum class SimgridUnit {
  SPEED,     //!< f, kf, Mf, Gf, Tf, Pf, Ef, Zf, Yf and flops, kiloflops, ..., yottaflops: flop/s
  BANDWIDTH, //!< bps, kbps, ..., Ybps, Kibps, ..., Yibps and the same with Bps (bytes): bytes/s
  TIME,      //!< w, d, h, m, s, ms, us, ns, ps: seconds
};

/**
 * Reads one value the way SimGrid 3.32 does: `strtod` (so leading blanks, hexadecimal, `inf` and `nan` are numbers),
 * then a unit that must match a name of the family exactly (`kbps` but not `Kbps`; `Kibps`, `zetaflops`).
 *
 * Returns the value in flop/s, bytes/s or seconds, or nullopt where SimGrid would refuse the text or only warn
 * about it: no number, an unknown unit, or a bare number other than 0 (SimGrid reads it in f, Bps or s with a
 * deprecation warning, and bits against bytes is the usual mistake). A number out of the range of a double
 * (SimGrid: "value out of range") gives NaN, which no range check accepts.
 */
std::optional<double> parse_simgrid_value(std::string_view text, SimgridUnit unit);

/** Example units of a family for messages, e.g. "f, kf, Mf, Gf, ..." */
std::string_view simgrid_unit_examples(SimgridUnit unit);

} // namespace popex
