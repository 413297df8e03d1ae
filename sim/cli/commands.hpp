#pragma once

#include "cli/solve_command.hpp"

#include <CLI/CLI.hpp>

#include <functional>

namespace popex {

/** Declares every subcommand's options on `app` and runs the one the user chose. */
class Commands {
public:
  explicit Commands(CLI::App& app);
  /** Runs the parsed subcommand; returns its exit code. Throws ConfigError on bad input. */
  int run();

private:
  CLI::App& app_;
  SolveOptions solve_;
  std::function<int()> selected_;
};

} // namespace popex
