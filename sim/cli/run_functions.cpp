#include "cli/run_functions.hpp"
#include "config/prediction.hpp"
#include "config/scenario.hpp"
#include "metrics/metrics_sink.hpp"
#include "simulation/simulation.hpp"

#include <fmt/format.h>

#include <fstream>

namespace popex {

namespace {
Scenario load_run(const RunSpec& spec)
{
  auto overrides = spec.overrides;
  overrides.emplace_back("seed", std::to_string(spec.seed));
  return load_scenario(spec.scenario_file, overrides);
}

void write_analytic(const Scenario& sc, const std::string& out_dir)
{
  double up = sc.uplink.rate_bps.value_or(0);
  if (const auto trace = link_trace(sc.uplink, "uplink"))
    up = 8.0 * trace->rate_at(0);
  const double down    = sc.downlink_bps.value_or(up);
  const double latency = sc.latency_ms.value_or(0) / 1e3;
  const Prediction p   = predict(sc, up, down, latency, latency);
  auto cols            = scenario_columns(sc, up, latency);
  for (auto& c : prediction_columns(sc, p))
    cols.push_back(std::move(c));
  write_summary_csv(out_dir, cols);
  std::ofstream(out_dir + "/scenario.resolved.yaml") << sc.resolved_yaml << "\n";
}
} // namespace

void check_run(const RunSpec& spec)
{
  load_run(spec);
}

std::map<std::string, RunFunction> run_functions(const std::vector<std::string>& simgrid_args)
{
  auto simulate = [simgrid_args](const RunSpec& spec, const std::string& out_dir) {
    run_simulation(load_run(spec), out_dir, simgrid_args);
  };
  auto analytic = [](const RunSpec& spec, const std::string& out_dir) { write_analytic(load_run(spec), out_dir); };
  return {{"simulate", simulate}, {"analytic", analytic}, {"both", simulate}};
}

} // namespace popex
