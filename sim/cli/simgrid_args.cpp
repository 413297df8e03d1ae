#include "cli/simgrid_args.hpp"
#include "config/simgrid_options.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string_view>

namespace popex {

namespace {

[[noreturn]] void fail_syntax(const std::string& arg, bool cfg)
{
  throw ConfigError(fmt::format("{} must be {} (got '{}')", cfg ? "--cfg" : "--log",
                                cfg ? "--cfg=KEY:VALUE, e.g. --cfg=network/model:LV08"
                                    : "--log=CATEGORY.SETTING:VALUE, e.g. --log=root.thres:info",
                                arg));
}

/** KEY:VALUE, both parts non-empty. */
std::pair<std::string_view, std::string_view> split_key_value(std::string_view piece, const std::string& arg, bool cfg)
{
  const auto colon = piece.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == piece.size())
    fail_syntax(arg, cfg);
  return {piece.substr(0, colon), piece.substr(colon + 1)};
}

void check_cfg(const std::string& arg)
{
  // SimGrid splits the text on blanks and commas, and aborts on a piece without ':'.
  const auto pieces = split_simgrid_options(std::string_view(arg).substr(6));
  if (pieces.empty())
    fail_syntax(arg, true);
  for (const std::string_view piece : pieces) {
    const auto [key, value] = split_key_value(piece, arg, true);
    if (const auto problem = simgrid_option_problem(key, value))
      throw ConfigError(fmt::format("--cfg {} (got '{}')", problem->message, problem->got));
  }
}

void check_log(const std::string& arg)
{
  static const std::vector<std::string> settings{"thres", "threshold", "fmt", "app", "appender", "add", "additivity"};
  static const std::vector<std::string> levels{"trace", "debug", "verbose", "info", "warning", "error", "critical"};
  const auto [key, value]   = split_key_value(std::string_view(arg).substr(6), arg, false);
  const auto dot            = key.rfind('.');
  const std::string setting = dot == std::string_view::npos ? "" : std::string(key.substr(dot + 1));
  if (dot == std::string_view::npos || dot == 0 ||
      std::find(settings.begin(), settings.end(), setting) == settings.end())
    throw ConfigError(fmt::format("--log setting must be CATEGORY.{{{}}} (got '{}')", fmt::join(settings, "|"), arg));
  if ((setting == "thres" || setting == "threshold") && std::find(levels.begin(), levels.end(), value) == levels.end())
    throw ConfigError(fmt::format("--log threshold must be one of {} (got '{}')", fmt::join(levels, ", "), value));
}

} // namespace

void check_simgrid_args(const std::vector<std::string>& args)
{
  for (const auto& a : args) {
    if (a.rfind("--cfg=", 0) == 0)
      check_cfg(a);
    else
      check_log(a);
  }
}

} // namespace popex
