// The engine as a module (the popex-sim binary): libpopex-engine.so, beside the binary, loaded on first use.
#include "engine/engine.hpp"
#include "engine/engine_abi.hpp"
#include "core/config_error.hpp"
#include "io/output_file.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace popex {

namespace {
using SimulateFn = bool (*)(const char*, EngineCall*);

SimulateFn loaded = nullptr;
bool engine_left  = false;

std::filesystem::path module_path()
{
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    throw std::runtime_error(fmt::format("cannot find the engine module: /proc/self/exe ({})", ec.message()));
  return self.parent_path() / "libpopex-engine.so";
}
} // namespace

void load_engine()
{
  if (loaded != nullptr)
    return;
  const std::string path = module_path().string();
  // RTLD_NOW: a missing symbol fails here, in one line, not in the middle of a run.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr)
    throw std::runtime_error(fmt::format("cannot load the engine module {} ({}); rebuild with "
                                         "`cmake --build --preset release --target popex-sim`",
                                         path, dlerror()));
  auto* fn = reinterpret_cast<SimulateFn>(dlsym(handle, "popex_engine_simulate"));
  if (fn == nullptr)
    throw std::runtime_error(fmt::format("the engine module {} has no entry point ({})", path, dlerror()));
  loaded = fn;
}

void simulate_in_engine(const Scenario& scenario, const std::string& out_dir,
                        const std::vector<std::string>& simgrid_args)
{
  load_engine();
  EngineCall call;
  call.scenario     = &scenario;
  call.out_dir      = &out_dir;
  call.simgrid_args = &simgrid_args;
  if (!loaded(engine_abi().c_str(), &call))
    throw std::runtime_error(fmt::format("the engine module {} comes from another build of popex-sim; rebuild both",
                                         module_path().string()));
  switch (call.outcome) {
    case EngineCall::Outcome::OK:
      engine_left = engine_left || call.engine_left;
      return;
    case EngineCall::Outcome::CONFIG_ERROR:
      throw ConfigError(call.message);
    case EngineCall::Outcome::OUTPUT_ERROR:
      throw OutputError(call.message);
    case EngineCall::Outcome::OTHER_ERROR:
      break;
  }
  throw std::runtime_error(call.message);
}

bool engine_left_for_exit()
{
  return engine_left;
}

} // namespace popex
