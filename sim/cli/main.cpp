// popex-sim: the command-line entry point. Each subcommand lives in its own file; this one only wires CLI11 and
// maps errors to exit codes (0 ok, 2 bad input, 1 internal failure).
#include "cli/commands.hpp"
#include "cli/simgrid_args.hpp"
#include "core/config_error.hpp"
#include "io/output_file.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
  // SimGrid's own flags go to the engine; CLI11 never sees them.
  std::vector<std::string> simgrid_args;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (i > 0 && (a.rfind("--cfg=", 0) == 0 || a.rfind("--log=", 0) == 0))
      simgrid_args.push_back(a);
    else
      rest.push_back(argv[i]);
  }
  CLI::App app{"popex-sim: discrete-event simulator of POPEX, early-exit DNN partitioning between edge and cloud"};
  app.set_version_flag("--version", std::string("popex-sim ") + POPEX_VERSION);
  app.require_subcommand(1);
  popex::Commands commands(app, simgrid_args);
  try {
    app.parse(static_cast<int>(rest.size()), rest.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, like every other input error; `--help` lists the options.
    std::string what = e.what();
    if (app.get_subcommands().empty()) {
      // Name the typo: CLI11 would say a subcommand is required, or that `simulte` is an extra argument.
      const std::string first = rest.size() > 1 ? rest[1] : "";
      what = first.empty() || first[0] == '-'
                 ? "a subcommand is required (valid: " + popex::subcommand_names() + ")"
                 : "unknown subcommand '" + first + "' (valid: " + popex::subcommand_names() + ")";
    }
    fmt::print(stderr, "popex-sim: error: {} (see popex-sim --help)\n", popex::first_line(what));
    return 2;
  }
  try {
    popex::check_simgrid_args(simgrid_args);
    return commands.run();
  } catch (const popex::ConfigError& e) {
    std::fflush(stdout);
    fmt::print(stderr, "popex-sim: error: {}\n", popex::first_line(e.what()));
    return 2;
  } catch (const popex::OutputError& e) {
    // A result could not be written (full disk, I/O error): it is absent, never half-written.
    std::fflush(stdout);
    fmt::print(stderr, "popex-sim: error: {}\n", popex::first_line(e.what()));
    return 3;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "popex-sim: error: {}\n", popex::first_line(e.what()));
    return 3;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "popex-sim: internal error: {}\n", popex::first_line(e.what()));
    return 1;
  }
}
