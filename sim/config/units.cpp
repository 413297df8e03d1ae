#include "config/units.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string_view>

namespace popex {

namespace {
struct Preset {
  const char* name;
  double bps;
};
constexpr Preset PRESETS[] = {{"3g", 1.1e6}, {"4g", 5.5e6}, {"wifi", 18.8e6}};

std::string lower(std::string s)
{
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(std::string_view s)
{
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return std::string(s);
}

int decimals(const std::string& s)
{
  const auto e = s.find_first_of("eE");
  if (e != std::string::npos)
    return 12; // scientific notation: keep 12 decimals
  const auto dot = s.find('.');
  return dot == std::string::npos ? 0 : static_cast<int>(s.size() - dot - 1);
}
} // namespace

double parse_number(const std::string& text, const std::string& field)
{
  const std::string t = trim(text);
  char* end           = nullptr;
  const double v      = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || !std::isfinite(v))
    throw ConfigError(fmt::format("{} must be a finite number (got '{}')", field, text));
  return v;
}

double parse_rate_bps(const std::string& text, const std::string& field)
{
  const std::string t = trim(text);
  for (const auto& p : PRESETS)
    if (lower(t) == p.name)
      return p.bps;
  auto bad = [&]() {
    return ConfigError(fmt::format("{} must be a rate > 0 such as 1.1Mbps, 700kbps, 2MBps or a preset (3g, 4g, wifi) "
                                   "(got '{}')",
                                   field, text));
  };
  char* end      = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end == t.c_str())
    throw bad();
  std::string unit(end);
  double mult = 1.0;
  if (!unit.empty() && std::string("kKMGT").find(unit[0]) != std::string::npos) {
    const int power = static_cast<int>(std::string("kKMGT").find(unit[0]));
    const int exp   = power <= 1 ? 1 : power;
    const bool bin  = unit.size() > 1 && unit[1] == 'i';
    mult            = std::pow(bin ? 1024.0 : 1000.0, exp);
    unit.erase(0, bin ? 2 : 1);
  }
  if (unit == "bps")
    mult *= 1.0;
  else if (unit == "Bps")
    mult *= 8.0;
  else
    throw bad();
  const double bps = v * mult;
  if (!std::isfinite(bps) || !(bps > 0))
    throw bad();
  // Below 1 bit/s or above 1 Pbit/s a rate is a typo, and SimGrid's solver loses precision.
  if (bps < 1 || bps > 1e15)
    throw ConfigError(fmt::format("{} must be within 1bps and 1000Tbps (got '{}')", field, text));
  return bps;
}

std::string format_rate(double bps)
{
  if (bps >= 1e6)
    return fmt::format("{}Mbps", bps / 1e6);
  if (bps >= 1e3)
    return fmt::format("{}kbps", bps / 1e3);
  return fmt::format("{}bps", bps);
}

std::vector<double> parse_number_axis(const std::string& text, const std::string& field)
{
  std::vector<double> out;
  for (const std::string& item : parse_word_axis(text, field)) {
    const auto c1 = item.find(':');
    if (c1 == std::string::npos) {
      out.push_back(parse_number(item, field));
      continue;
    }
    const auto c2 = item.find(':', c1 + 1);
    if (c2 == std::string::npos || item.find(':', c2 + 1) != std::string::npos)
      throw ConfigError(fmt::format("{} range must be start:stop:step (got '{}')", field, item));
    const std::string s0 = trim(item.substr(0, c1));
    const std::string s2 = trim(item.substr(c2 + 1));
    const double start   = parse_number(s0, field);
    const double stop    = parse_number(item.substr(c1 + 1, c2 - c1 - 1), field);
    const double step    = parse_number(s2, field);
    if (!(step > 0))
      throw ConfigError(fmt::format("{} range step must be > 0 (got '{}')", field, item));
    if (stop < start)
      throw ConfigError(fmt::format("{} range stop must be >= start (got '{}')", field, item));
    const double count = std::floor((stop - start) / step + 1e-9) + 1;
    if (count > 1e7)
      throw ConfigError(fmt::format("{} range must have at most 10^7 values (got '{}')", field, item));
    if (static_cast<double>(out.size()) + count > 1e7)
      throw ConfigError(fmt::format("{} must have at most 10^7 values in all (got '{}')", field, text));
    // Round to the decimals written (at most 15: beyond, doubles have no more digits).
    const double scale = std::pow(10.0, std::min(15, std::max(decimals(s0), decimals(s2))));
    for (long i = 0; i < static_cast<long>(count); ++i)
      out.push_back(std::round((start + static_cast<double>(i) * step) * scale) / scale);
  }
  return out;
}

std::vector<std::string> parse_word_axis(const std::string& text, const std::string& field)
{
  std::vector<std::string> out;
  std::size_t b = 0;
  while (true) {
    const auto e         = text.find(',', b);
    const std::string it = trim(std::string_view(text).substr(b, e == std::string::npos ? std::string::npos : e - b));
    if (it.empty())
      throw ConfigError(fmt::format("{} must be a comma-separated list without empty items (got '{}')", field, text));
    out.push_back(it);
    if (e == std::string::npos)
      break;
    b = e + 1;
  }
  return out;
}

} // namespace popex
