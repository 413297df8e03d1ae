// popex-sim: the command-line entry point. Each subcommand lives in its own file; cli/commands.cpp wires CLI11 and
// maps errors to exit codes (0 ok, 2 bad input, 3 a result could not be written, 1 internal failure).
#include "cli/commands.hpp"
#include "engine/engine.hpp"

#include <cstdio>
#include <iostream>

#include <unistd.h>

int main(int argc, char** argv)
{
  const int code = popex::run_command_line(argc, argv);
  if (popex::engine_left_for_exit()) {
    // Its results are written and closed; SimGrid's exit handler would only free the engine, piece by piece.
    std::cout.flush();
    std::fflush(nullptr);
    _exit(code);
  }
  return code;
}
