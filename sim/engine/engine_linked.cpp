// The engine linked in (the tests): the seam is a plain call.
#include "engine/engine.hpp"
#include "simulation/simulation.hpp"

namespace popex {

void load_engine() {}

void simulate_in_engine(const Scenario& scenario, const std::string& out_dir,
                        const std::vector<std::string>& simgrid_args)
{
  run_simulation(scenario, out_dir, simgrid_args);
}

} // namespace popex
