// The engine linked in (the tests, the sanitizer builds): the seam is a plain call.
#include "engine/engine.hpp"
#include "simulation/simulation.hpp"

namespace popex {

namespace {
bool engine_left = false;
}

void load_engine() {}

void simulate_in_engine(const Scenario& scenario, const std::string& out_dir,
                        const std::vector<std::string>& simgrid_args)
{
  engine_left = run_simulation(scenario, out_dir, simgrid_args) || engine_left;
}

bool engine_left_for_exit()
{
  return engine_left;
}

} // namespace popex
