#pragma once

#include "campaign/run_spec.hpp"

#include <map>
#include <string>
#include <vector>

namespace popex {

/**
 * The campaign's run functions by mode:
 * - simulate: one SimGrid run (in the forked child), writing the same files as `popex-sim simulate`; its summary
 *   also carries the analytic prediction;
 * - analytic: the core's prediction only (no engine): summary.csv with the scenario's parameters and the
 *   analytic_* columns; the latency is the scenario's latency_ms (0 if absent; the platform is not read);
 * - both: the same as simulate (its summary has both), kept as a name for campaign files that say so.
 */
std::map<std::string, RunFunction> run_functions(const std::vector<std::string>& simgrid_args);

/** Loads the run's scenario with its overrides and seed: the campaign's preflight check and the runs' first step. */
void check_run(const RunSpec& spec);

/** The campaign's before_runs hook: loads the SimGrid engine in the parent when the mode simulates. */
void prepare_runs(const std::string& mode);

} // namespace popex
