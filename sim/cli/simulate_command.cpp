#include "cli/simulate_command.hpp"
#include "config/overrides.hpp"
#include "config/scenario.hpp"
#include "core/config_error.hpp"
#include "engine/engine.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace popex {

std::vector<std::pair<std::string, std::string>> simulate_overrides(const SimulateOptions& o)
{
  std::vector<std::pair<std::string, std::string>> overrides;
  for (const auto& s : o.sets)
    overrides.push_back(parse_set_argument(s));
  if (o.seed) {
    if (*o.seed < 0)
      throw ConfigError(fmt::format("--seed must be >= 0 (got {})", *o.seed));
    overrides.emplace_back("seed", std::to_string(*o.seed));
  }
  return overrides;
}

int run_simulate(const SimulateOptions& o)
{
  const Scenario sc = load_scenario(o.scenario, simulate_overrides(o));
  const std::string out =
      o.out.empty() ? "results/" + std::filesystem::path(o.scenario).stem().string() : o.out;
  simulate_in_engine(sc, out, o.simgrid_args);
  fmt::print(stderr, "popex-sim: wrote {}/{{images,decisions,summary}}.csv\n", out);
  return 0;
}

} // namespace popex
