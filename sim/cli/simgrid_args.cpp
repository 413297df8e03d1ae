#include "cli/simgrid_args.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

namespace popex {

void check_simgrid_args(const std::vector<std::string>& args)
{
  // Model names SimGrid 3.32 knows (it aborts on others).
  static const std::map<std::string, std::vector<std::string>> models{
      {"network/model", {"LV08", "Constant", "SMPI", "IB", "CM02", "ns-3"}},
      {"cpu/model", {"Cas01"}},
      {"host/model", {"default", "compound", "ptask_L07"}},
      {"disk/model", {"S19"}}};
  static const std::vector<std::string> settings{"thres", "threshold", "fmt", "app", "appender", "add", "additivity"};
  static const std::vector<std::string> levels{"trace", "debug", "verbose", "info", "warning", "error", "critical"};
  for (const auto& a : args) {
    const bool cfg        = a.rfind("--cfg=", 0) == 0;
    const std::string val = a.substr(6);
    const auto colon      = val.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == val.size())
      throw ConfigError(fmt::format("{} must be {} (got '{}')", cfg ? "--cfg" : "--log",
                                    cfg ? "--cfg=KEY:VALUE, e.g. --cfg=network/model:LV08"
                                        : "--log=CATEGORY.SETTING:VALUE, e.g. --log=root.thres:info",
                                    a));
    const std::string key   = val.substr(0, colon);
    const std::string value = val.substr(colon + 1);
    if (cfg) {
      if (const auto m = models.find(key);
          m != models.end() && std::find(m->second.begin(), m->second.end(), value) == m->second.end())
        throw ConfigError(fmt::format("--cfg {} must be one of {} (got '{}')", key, fmt::join(m->second, ", "), value));
      continue;
    }
    const auto dot            = key.rfind('.');
    const std::string setting = dot == std::string::npos ? "" : key.substr(dot + 1);
    if (dot == std::string::npos || dot == 0 || std::find(settings.begin(), settings.end(), setting) == settings.end())
      throw ConfigError(fmt::format("--log setting must be CATEGORY.{{{}}} (got '{}')", fmt::join(settings, "|"), a));
    if ((setting == "thres" || setting == "threshold") &&
        std::find(levels.begin(), levels.end(), value) == levels.end())
      throw ConfigError(fmt::format("--log threshold must be one of {} (got '{}')", fmt::join(levels, ", "), value));
  }
}

} // namespace popex
