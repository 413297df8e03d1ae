#pragma once

#include "campaign/campaign_command.hpp"
#include "cli/simulate_command.hpp"
#include "cli/solve_command.hpp"
#include "traces/import_trace_command.hpp"

#include <CLI/CLI.hpp>

#include <functional>

namespace popex {

/** "solve, simulate, campaign, merge, import-trace": the subcommands, for messages. */
std::string subcommand_names();

/** Declares every subcommand's options on `app` and runs the one the user chose. */
class Commands {
public:
  /** `simgrid_args`: the --cfg= and --log= arguments main() took out of argv, for the engine. */
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

} // namespace popex
