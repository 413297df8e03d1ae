#pragma once

#include "config/scenario.hpp"

#include <string>
#include <vector>

namespace popex {

/**
 * Runs one scenario in this process's SimGrid engine and writes images.csv, decisions.csv, devices.csv,
 * summary.csv (last), scenario.resolved.yaml and run.yaml into `out_dir`. `simgrid_args` are passed to the engine
 * (--cfg=..., --log=...).
 *
 * Returns whether it left its engine to the process's end (after a run whose results are all written, without
 * tracing, outside AddressSanitizer): the process should then end with _exit(), as SimGrid's exit handler would
 * otherwise destroy that engine piece by piece (engine_left_for_exit(), engine/engine.hpp).
 *
 * One engine per process: call this at most once per process (the campaign forks a child per run).
 * Throws ConfigError for problems found while building the platform (missing roles, slots > cores...), before the
 * simulation starts, and OutputError when a result cannot be written.
 */
bool run_simulation(const Scenario& scenario, const std::string& out_dir, const std::vector<std::string>& simgrid_args);

} // namespace popex
