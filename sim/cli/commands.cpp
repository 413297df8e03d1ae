#include "cli/commands.hpp"

#include "campaign/campaign_command.hpp"
#include "cli/run_functions.hpp"
#include "cli/simgrid_args.hpp"
#include "cli/simulate_command.hpp"
#include "cli/solve_command.hpp"
#include "traces/import_trace_command.hpp"

#include "core/config_error.hpp"
#include "io/output_file.hpp"

#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace popex {

namespace {
/**
 * A CLI11 check for a whole number within [0, max]: CLI11 alone turns '' into 0 and saturates
 * 99999999999999999999 to the largest integer, both silently.
 */
CLI::Validator whole_number(long long max)
{
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        long long v     = -1;
        const char* end = text.data() + text.size();
        const auto r    = std::from_chars(text.data(), end, v);
        if (text.empty() || r.ec != std::errc() || r.ptr != end || v < 0 || v > max)
          return fmt::format("must be a whole number within [0, {}] (got '{}')", max, text);
        return {};
      },
      "INT", "whole number");
}

void add_solve(CLI::App& app, SolveOptions& o, std::function<int()>& selected)
{
  auto* cmd = app.add_subcommand("solve", "Analytic POPEX: E[T] of every split (or pair of splits with three tiers), "
                                          "and the Dijkstra choice");
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
  auto* goal = cmd->add_option_group("Objective", "What the choice minimises, under which constraints "
                                                "(docs/model.md, \"Objectives\")");
  goal->add_option("--objective", o.objective,
                   "latency (default), energy, or weighted (E[T] + w x E[energy]); needs energy for the last two");
  goal->add_option("--energy-weight-s-per-j", o.energy_weight_s_per_j, "weighted: w, seconds per joule");
  goal->add_option("--energy-budget-j", o.energy_budget_j, "Only choices with E[energy] <= J per image");
  goal->add_option("--latency-max-ms", o.latency_max_ms,
                   "Only choices with E[T] <= MS (the objective becomes energy unless given)");
  goal->add_option("--accuracy-min", o.accuracy_min,
                   "Only choices with expected accuracy >= A; chooses the threshold too (over the DNN's grid)");
  auto* power = cmd->add_option_group("Energy", "The device's energy per image (docs/model.md, \"Energy\"): "
                                                "adds expected_energy_j and its parts");
  power->add_option("--busy-w", o.busy_w, "Device power while it computes, W (default 5)");
  power->add_option("--radio", o.radio,
                    "Radio power model: 3g, 4g (lte) or wifi, after Huang et al. 2012 (default: each --uplink's)");
  power->add_option("--radio-set", o.radio_sets,
                    "KEY=VALUE: override a radio parameter (alpha_up_w_per_mbps, alpha_down_w_per_mbps, beta_w, "
                    "tail_w, tail_s, promotion_w, promotion_s)")
      ->allow_extra_args(false);
  auto* tiers = cmd->add_option_group("Three tiers", "Device -> edge server -> cloud, enabled by --edge-gamma "
                                                    "(docs/model.md); --uplink, --downlink and --latency-ms are then "
                                                    "the access link");
  tiers->add_option("--edge-gamma", o.edge_gamma, "Edge-server/cloud processing-time ratio (sweepable)");
  tiers->add_option("--backhaul", o.backhaul, "Edge server -> cloud rate (required with --edge-gamma)");
  tiers->add_option("--backhaul-downlink", o.backhaul_downlink, "Cloud -> edge server rate (default: the backhaul's)");
  tiers->add_option("--backhaul-latency-ms", o.backhaul_latency_ms, "One-way backhaul latency, ms")
      ->capture_default_str();
  tiers->add_option("--edge-server-profile", o.edge_server_profile,
                    "Edge-profile YAML measured on the edge server (x --edge-gamma) (default: --edge-gamma x cloud "
                    "times)");
  auto* measured = cmd->add_option_group("Measured costs", "Per-device and per-offload costs (docs/model.md)");
  measured->add_option("--edge-profile", o.edge_profile,
                       "Edge-profile YAML: measured edge time of every layer (x gamma) (default: the DNN's "
                       "edge_time_s, else gamma x cloud times)");
  measured->add_option("--protocol-overhead", o.protocol_overhead,
                       "Wire bytes per payload byte of every transfer, e.g. 1.0456 for TCP/IP over Ethernet "
                       "(default 1)");
  measured->add_option("--offload-overhead-ms", o.offload_overhead_ms,
                       "Fixed cost of every offload before its transfer, ms (default 0)");
  auto* output = cmd->add_option_group("Output");
  output->add_flag("--chosen-only", o.chosen_only, "Keep only the chosen split's row");
  output->add_option("--format", o.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  cmd->callback([&o, &selected] {
    selected = [&o] {
      const std::size_t infeasible = run_solve(o, stdout);
      if (infeasible > 0)
        fmt::print(stderr, "popex-sim: warning: {} combination(s) have no choice meeting the constraints; their "
                           "least-violating row is chosen, with feasible=0\n",
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
  cmd->add_option("--seed", o.seed, "Master seed (overrides the scenario's)")
      ->check(whole_number(std::numeric_limits<long long>::max()));
  cmd->footer("SimGrid options --cfg=KEY:VALUE and --log=... are passed to the engine.");
  cmd->callback([&o, &selected] { selected = [&o] { return run_simulate(o); }; });
}
void add_campaign(CLI::App& app, CampaignCommandOptions& o, const std::vector<std::string>& simgrid_args,
                  std::function<int()>& selected)
{
  auto* cmd = app.add_subcommand("campaign", "Run a grid of scenarios, one forked process per run (docs/campaigns.md)");
  cmd->add_option("FILE", o.file, "Campaign YAML")->required();
  cmd->add_option("-j,--jobs", o.jobs, "Runs at once (default: the number of cores)")->check(whole_number(4096));
  cmd->add_option("--out", o.out_dir, "Output directory (default: results/<campaign name>)");
  cmd->add_flag("--resume", o.resume, "Skip finished runs, retry failed ones");
  cmd->add_option("--shard", o.shard, "I/N: run only the runs whose index % N == I (then `merge`)");
  cmd->add_flag("--dry-run", o.dry_run, "List the runs, run nothing");
  auto* slurm = cmd->add_option_group("Slurm", "Run the campaign as a Slurm job array (docs/campaigns.md, \"Slurm\")");
  slurm->add_flag("--slurm", o.slurm,
                  "Write OUT/slurm/array.sbatch (one array task per shard), merge.sbatch (merges the shards into OUT "
                  "once the array has ended) and submit.sh (submits both); run nothing");
  slurm->add_flag("--submit", o.submit, "--slurm, then submit with sbatch and print the job ids");
  slurm->add_option("--slurm-shards", o.slurm_shards,
                    "Array tasks (shards), at most one per run and 1000 (default: one per -j runs)")
      ->check(whole_number(1000000));
  slurm->add_option("--partition", o.partition, "Slurm partition of every job (default: the cluster's default)");
  slurm->add_option("--time-limit", o.time_limit,
                    "Time limit of every job, as sbatch --time: MINUTES, HOURS:MINUTES:SECONDS, DAYS-HOURS... "
                    "(default: the partition's)");
  cmd->callback([&o, &simgrid_args, &selected] {
    o.simgrid_args = simgrid_args;
    selected = [&o, &simgrid_args] { return run_campaign_command(o, run_functions(simgrid_args), check_run, prepare_runs);
    };
  });
}

void add_merge(CLI::App& app, MergeCommandOptions& o, std::function<int()>& selected)
{
  auto* cmd = app.add_subcommand("merge", "Merge the --out folders of campaign shards into one campaign result");
  cmd->add_option("--out", o.out_dir, "Merged output directory")->required();
  cmd->add_option("SHARD_DIR", o.shard_dirs, "The shards' --out folders")->required();
  cmd->callback([&o, &selected] { selected = [&o] { return run_merge_command(o); }; });
}

void add_import_trace(CLI::App& app, ImportTraceOptions& o, std::function<int()>& selected)
{
  auto* cmd = app.add_subcommand("import-trace", "Convert a network trace into a SimGrid profile (docs/traces.md)");
  cmd->add_option("--format", o.format, "simgrid | mahimahi | mbps | sabre")->required();
  cmd->add_option("FILE", o.file, "Trace file")->required();
  cmd->add_option("--bin-s", o.bin_s, "Width of the written steps, s")->capture_default_str();
  cmd->add_option("--scale", o.scale, "Multiply every rate by this")->capture_default_str();
  cmd->add_option("-o,--out", o.out, "SimGrid profile to write")->required();
  cmd->callback([&o, &selected] { selected = [&o] { return run_import_trace(o); }; });
}
} // namespace

namespace {
/** "solve, simulate, campaign, merge, import-trace": the subcommands, for messages. */
std::string subcommand_names()
{
  return "solve, simulate, campaign, merge, import-trace";
}

/** Declares every subcommand's options on `app` and runs the one the user chose. */
class Commands {
public:
  /** `simgrid_args`: the --cfg= and --log= arguments run_command_line() took out of argv, for the engine. */
  Commands(CLI::App& app, std::vector<std::string> simgrid_args);
  /** Runs the parsed subcommand; returns its exit code. Throws ConfigError on bad input. */
  int run();

private:
  CLI::App& app_;
  SolveOptions solve_;
  SimulateOptions simulate_;
  CampaignCommandOptions campaign_;
  MergeCommandOptions merge_;
  ImportTraceOptions import_;
  std::vector<std::string> simgrid_args_;
  std::function<int()> selected_;
};

Commands::Commands(CLI::App& app, std::vector<std::string> simgrid_args)
    : app_(app), simgrid_args_(std::move(simgrid_args))
{
  simulate_.simgrid_args = simgrid_args_;
  add_solve(app_, solve_, selected_);
  add_simulate(app_, simulate_, selected_);
  add_campaign(app_, campaign_, simgrid_args_, selected_);
  add_merge(app_, merge_, selected_);
  add_import_trace(app_, import_, selected_);
}

int Commands::run()
{
  return selected_ ? selected_() : 2;
}
} // namespace

int run_command_line(int argc, char** argv)
{
  // SimGrid's own flags go to the engine; CLI11 never sees them.
  std::vector<std::string> simgrid_args;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (i > 0 && (a.rfind("--cfg=", 0) == 0 || a.rfind("--log=", 0) == 0))
      simgrid_args.push_back(a);
    else
      rest.push_back(argv[i]);
  }
  CLI::App app{"popex-sim: discrete-event simulator of POPEX, early-exit DNN partitioning between edge and cloud"};
  app.set_version_flag("--version", std::string("popex-sim ") + POPEX_VERSION);
  app.require_subcommand(1);
  Commands commands(app, simgrid_args);
  try {
    app.parse(static_cast<int>(rest.size()), rest.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, like every other input error; `--help` lists the options.
    std::string what = e.what();
    if (app.get_subcommands().empty()) {
      // Name the typo: CLI11 would say a subcommand is required, or that `simulte` is an extra argument.
      const std::string first = rest.size() > 1 ? rest[1] : "";
      what = first.empty() || first[0] == '-'
                 ? "a subcommand is required (valid: " + subcommand_names() + ")"
                 : "unknown subcommand '" + first + "' (valid: " + subcommand_names() + ")";
    }
    fmt::print(stderr, "popex-sim: error: {} (see popex-sim --help)\n", first_line(what));
    return 2;
  }
  try {
    check_simgrid_args(simgrid_args);
    return commands.run();
  } catch (const ConfigError& e) {
    std::fflush(stdout);
    fmt::print(stderr, "popex-sim: error: {}\n", first_line(e.what()));
    return 2;
  } catch (const OutputError& e) {
    // A result could not be written (full disk, I/O error): it is absent, never half-written.
    std::fflush(stdout);
    fmt::print(stderr, "popex-sim: error: {}\n", first_line(e.what()));
    return 3;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "popex-sim: error: {}\n", first_line(e.what()));
    return 3;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "popex-sim: internal error: {}\n", first_line(e.what()));
    return 1;
  }
}

} // namespace popex
