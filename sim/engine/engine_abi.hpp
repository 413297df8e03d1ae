#pragma once

#include "config/scenario.hpp"

#include <string>
#include <vector>

namespace popex {

/** What crosses between popex-sim and libpopex-engine.so: no exception, only this call and its outcome. */
struct EngineCall {
  const Scenario* scenario                    = nullptr;
  const std::string* out_dir                  = nullptr;
  const std::vector<std::string>* simgrid_args = nullptr;
  enum class Outcome { OK, CONFIG_ERROR, OUTPUT_ERROR, OTHER_ERROR } outcome = Outcome::OK;
  bool engine_left = false; //!< run_simulation() left its engine to the process's end
  std::string message; //!< the exception's text, when outcome != OK
};

/** Both sides must come from one build: the module refuses a caller whose ABI text differs. */
inline std::string engine_abi()
{
  return std::string(POPEX_VERSION) + "/" + std::to_string(sizeof(Scenario)) + "/" + std::to_string(sizeof(EngineCall));
}

} // namespace popex

/** The module's one entry point (looked up by dlsym). Returns false when `abi` is not its own. */
extern "C" bool popex_engine_simulate(const char* abi, popex::EngineCall* call);
