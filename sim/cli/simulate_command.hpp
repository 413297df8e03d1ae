#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace popex {

/** `popex-sim simulate` options. */
struct SimulateOptions {
  std::string scenario;                //!< scenario YAML
  std::vector<std::string> sets;       //!< --set KEY=VALUE, in order
  std::string out;                     //!< --out DIR (default results/<scenario name>)
  std::optional<long long> seed;       //!< --seed N: overrides the scenario's seed
  std::vector<std::string> simgrid_args; //!< --cfg=... and --log=..., passed to SimGrid
};

/** The overrides a simulate run applies: the --set pairs, then the seed. Throws ConfigError on bad syntax. */
std::vector<std::pair<std::string, std::string>> simulate_overrides(const SimulateOptions& options);

/** Validates the scenario (ConfigError, before any simulation) and runs it; returns the exit code. */
int run_simulate(const SimulateOptions& options);

} // namespace popex
