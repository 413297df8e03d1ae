// popex-sim: the command-line entry point. Each subcommand lives in its own file; cli/commands.cpp wires CLI11 and
// maps errors to exit codes (0 ok, 2 bad input, 3 a result could not be written, 1 internal failure).
#include "cli/commands.hpp"

int main(int argc, char** argv)
{
  return popex::run_command_line(argc, argv);
}
