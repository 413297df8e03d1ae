// popex-sim: the command-line entry point. Each subcommand lives in its own file; this one only wires CLI11 and
// maps errors to exit codes (0 ok, 2 bad input, 1 internal failure).
#include "cli/commands.hpp"
#include "core/config_error.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>

int main(int argc, char** argv)
{
  CLI::App app{"popex-sim: discrete-event simulator of POPEX, early-exit DNN partitioning between edge and cloud"};
  app.set_version_flag("--version", std::string("popex-sim ") + POPEX_VERSION);
  app.require_subcommand(1);
  popex::Commands commands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    return commands.run();
  } catch (const popex::ConfigError& e) {
    std::fflush(stdout);
    fmt::print(stderr, "popex-sim: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "popex-sim: internal error: {}\n", e.what());
    return 1;
  }
}
