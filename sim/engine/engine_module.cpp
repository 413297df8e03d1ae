// The entry point of libpopex-engine.so: run_simulation() with its exceptions turned into an outcome, so that no
// exception crosses the module's edge.
#include "engine/engine_abi.hpp"
#include "core/config_error.hpp"
#include "io/output_file.hpp"
#include "simulation/simulation.hpp"

#include <filesystem>

extern "C" __attribute__((visibility("default"))) bool popex_engine_simulate(const char* abi, popex::EngineCall* call)
{
  using Outcome = popex::EngineCall::Outcome;
  if (abi == nullptr || popex::engine_abi() != abi)
    return false;
  try {
    call->engine_left = popex::run_simulation(*call->scenario, *call->out_dir, *call->simgrid_args);
    call->outcome = Outcome::OK;
  } catch (const popex::ConfigError& e) {
    call->outcome = Outcome::CONFIG_ERROR;
    call->message = e.what();
  } catch (const popex::OutputError& e) {
    call->outcome = Outcome::OUTPUT_ERROR;
    call->message = e.what();
  } catch (const std::filesystem::filesystem_error& e) {
    call->outcome = Outcome::OUTPUT_ERROR;
    call->message = e.what();
  } catch (const std::exception& e) {
    call->outcome = Outcome::OTHER_ERROR;
    call->message = e.what();
  }
  return true;
}
