#include "cli/commands.hpp"

#include <fmt/format.h>

namespace popex {

namespace {
void add_solve(CLI::App& app, SolveOptions& o, std::function<int()>& selected)
{
  auto* cmd = app.add_subcommand("solve", "Analytic POPEX: E[T(s)] for every split, and the Dijkstra choice");
  cmd->add_option("--dnn", o.dnn_file, "DNN workload YAML (docs/workloads.md)")->required();
  cmd->add_option("--variant", o.variant, "Exit-table variant, e.g. blur-2 (default: the file's first)");
  auto* model = cmd->add_option_group("Model", "Sweepable: comma lists and inclusive start:stop:step ranges");
  model->add_option("--gamma", o.gamma, "Edge/cloud processing-time ratio, > 0")->capture_default_str();
  model->add_option("--uplink", o.uplink, "Uplink rate: 1.1Mbps, 700kbps, 2MBps, or 3g|4g|wifi")
      ->capture_default_str();
  model->add_option("--downlink", o.downlink, "Downlink rate (default: the uplink's)");
  model->add_option("--latency-ms", o.latency_ms, "One-way latency of each direction, ms (paid twice)")
      ->capture_default_str();
  auto* thr = model->add_option("--threshold", o.threshold,
                                "Confidence threshold(s) (default: the DNN's default_threshold)");
  auto* q   = model->add_option("--exit-prob", o.exit_probs,
                                "BRANCH=Q: conditional exit probability of a branch; unlisted branches get 0")
                ->allow_extra_args(false);
  thr->excludes(q);
  model->add_option("--accuracy-min", o.accuracy_min,
                    "Choose the fastest (threshold, split) with expected accuracy >= A");
  auto* output = cmd->add_option_group("Output");
  output->add_flag("--chosen-only", o.chosen_only, "Keep only the chosen split's row");
  output->add_option("--format", o.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  cmd->callback([&o, &selected] {
    selected = [&o] {
      const std::size_t infeasible = run_solve(o, stdout);
      if (infeasible > 0)
        fmt::print(stderr, "popex-sim: warning: {} combination(s) have no (threshold, split) meeting "
                           "--accuracy-min; no row is chosen for them\n",
                   infeasible);
      return 0;
    };
  });
}
void add_simulate(CLI::App& app, SimulateOptions& o, std::function<int()>& selected)
{
  auto* cmd = app.add_subcommand("simulate", "Run one scenario in SimGrid; writes images, decisions and summary CSVs");
  cmd->add_option("SCENARIO", o.scenario, "Scenario YAML (docs/scenarios.md)")->required();
  cmd->add_option("--set", o.sets, "KEY=VALUE: override a scenario key (dotted for nested: uplink.trace=F)")
      ->allow_extra_args(false);
  cmd->add_option("--out", o.out, "Output directory (default: results/<scenario name>)");
  cmd->add_option("--seed", o.seed, "Master seed (overrides the scenario's)");
  cmd->footer("SimGrid options --cfg=KEY:VALUE and --log=... are passed to the engine.");
  cmd->callback([&o, &selected] { selected = [&o] { return run_simulate(o); }; });
}
} // namespace

Commands::Commands(CLI::App& app, std::vector<std::string> simgrid_args) : app_(app)
{
  simulate_.simgrid_args = std::move(simgrid_args);
  add_solve(app_, solve_, selected_);
  add_simulate(app_, simulate_, selected_);
}

int Commands::run()
{
  return selected_ ? selected_() : 2;
}

} // namespace popex
