#include "config/simgrid_units.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <string>
#include <vector>

namespace popex {

namespace {

using UnitTable = std::map<std::string, double, std::less<>>;

/**
 * Adds `unit` and its prefixed forms the way SimGrid builds its tables: each prefix multiplies the previous value
 * by 1000 (or 1024), and a name already present keeps its first value.
 */
void add_prefixed(UnitTable& table, const std::string& unit, double value, bool binary, bool abbreviated)
{
  static const std::vector<std::string> si_short{"k", "M", "G", "T", "P", "E", "Z", "Y"};
  static const std::vector<std::string> si_long{"kilo", "mega", "giga", "tera", "peta", "exa", "zeta", "yotta"};
  static const std::vector<std::string> bin_short{"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
  static const std::vector<std::string> bin_long{"kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"};
  const auto& prefixes = binary ? (abbreviated ? bin_short : bin_long) : (abbreviated ? si_short : si_long);
  table.emplace(unit, value);
  for (const auto& prefix : prefixes) {
    value *= binary ? 1024.0 : 1000.0;
    table.emplace(prefix + unit, value);
  }
}

UnitTable make_table(SimgridUnit unit)
{
  UnitTable t;
  switch (unit) {
  case SimgridUnit::SPEED:
    add_prefixed(t, "f", 1.0, false, true);
    add_prefixed(t, "flops", 1.0, false, false);
    break;
  case SimgridUnit::BANDWIDTH:
    for (const auto& [name, value] : {std::pair<const char*, double>{"bps", 0.125}, {"Bps", 1.0}}) {
      add_prefixed(t, name, value, true, true);
      add_prefixed(t, name, value, false, true);
    }
    break;
  case SimgridUnit::TIME:
    t = {{"w", 7 * 24 * 60 * 60},
         {"d", 24 * 60 * 60},
         {"h", 60 * 60},
         {"m", 60},
         {"s", 1.0},
         {"ms", 1e-3},
         {"us", 1e-6},
         {"ns", 1e-9},
         {"ps", 1e-12}};
    break;
  }
  return t;
}

const UnitTable& table(SimgridUnit unit)
{
  static const UnitTable speed     = make_table(SimgridUnit::SPEED);
  static const UnitTable bandwidth = make_table(SimgridUnit::BANDWIDTH);
  static const UnitTable time      = make_table(SimgridUnit::TIME);
  return unit == SimgridUnit::SPEED ? speed : unit == SimgridUnit::BANDWIDTH ? bandwidth : time;
}

} // namespace

std::optional<double> parse_simgrid_value(std::string_view text, SimgridUnit unit)
{
  const std::string s(text); // strtod needs the terminating NUL
  char* end      = nullptr;
  errno          = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end == s.c_str())
    return std::nullopt;
  if (errno == ERANGE)
    return std::numeric_limits<double>::quiet_NaN();
  const std::string_view suffix(end);
  if (suffix.empty())
    return v == 0 ? std::optional<double>(0.0) : std::nullopt;
  const UnitTable& t = table(unit);
  const auto it      = t.find(suffix);
  if (it == t.end())
    return std::nullopt;
  return v * it->second;
}

std::string_view simgrid_unit_examples(SimgridUnit unit)
{
  switch (unit) {
  case SimgridUnit::SPEED:
    return "f, kf, Mf, Gf, Tf, Pf, Ef, Zf, Yf or flops, kiloflops, ..., yottaflops";
  case SimgridUnit::BANDWIDTH:
    return "bps, kbps, Mbps, Gbps, ..., Kibps, Mibps, ..., and the same in bytes: Bps, kBps, MBps, KiBps, ...";
  case SimgridUnit::TIME:
    break;
  }
  return "w, d, h, m, s, ms, us, ns, ps";
}

} // namespace popex
