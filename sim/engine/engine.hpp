#pragma once

#include "config/scenario.hpp"

#include <string>
#include <vector>

namespace popex {

/**
 * The SimGrid engine, behind one seam. popex-sim loads it only when it simulates: `solve`, `merge`, `import-trace`
 * and a campaign's parent until its first run never load libsimgrid and its ns-3 libraries (docs/performance.md).
 * Two implementations: engine_loader.cpp (the popex-sim binary: the engine is the module libpopex-engine.so beside
 * it, dlopen()ed once) and engine_linked.cpp (the tests: linked in).
 */

/**
 * Loads the engine now (idempotent). A campaign calls it in its parent before forking, so that every run inherits
 * the loaded engine. Throws std::runtime_error naming the module and the loader's reason when it cannot load.
 */
void load_engine();

/** run_simulation() (simulation/simulation.hpp) in the engine: same files, same exceptions (ConfigError,
 *  OutputError; a filesystem error arrives as an OutputError with the same text). */
void simulate_in_engine(const Scenario& scenario, const std::string& out_dir,
                        const std::vector<std::string>& simgrid_args);

/**
 * Whether a simulation of this process left its engine to the process's end (run_simulation()): popex-sim then
 * ends with _exit() once its output is flushed, where SimGrid's exit handler would destroy that engine piece by
 * piece (0.2 to 0.3 s for 10,000 devices). Every result file is closed and in place by then.
 */
bool engine_left_for_exit();

} // namespace popex
