#include "cli/run_functions.hpp"
#include "config/prediction.hpp"
#include "config/scenario.hpp"
#include "metrics/metrics_sink.hpp"
#include "engine/engine.hpp"

#include <fmt/format.h>


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
  const ResolvedRun run = resolve_without_platform(sc);
  const Prediction p    = predict(sc, run, 0);
  auto cols             = scenario_columns(sc, run, 0);
  for (auto& c : prediction_columns(sc, p))
    cols.push_back(std::move(c));
  write_file_atomically(out_dir + "/scenario.resolved.yaml", sc.resolved_yaml + "\n");
  write_summary_csv(out_dir, cols); // last: the mark that the run's results are whole
}
} // namespace

void check_run(const RunSpec& spec)
{
  load_run(spec);
}

void prepare_runs(const std::string& mode)
{
  if (mode != "analytic")
    load_engine(); // in the parent, once: every forked run inherits it
}

std::map<std::string, RunFunction> run_functions(const std::vector<std::string>& simgrid_args)
{
  auto simulate = [simgrid_args](const RunSpec& spec, const std::string& out_dir) {
    simulate_in_engine(load_run(spec), out_dir, simgrid_args);
  };
  auto analytic = [](const RunSpec& spec, const std::string& out_dir) { write_analytic(load_run(spec), out_dir); };
  return {{"simulate", simulate}, {"analytic", analytic}, {"both", simulate}};
}

} // namespace popex
