#pragma once

namespace popex {

/**
 * popex-sim's command line: takes SimGrid's --cfg= and --log= out of argv for the engine, parses the rest with
 * CLI11, runs the chosen subcommand and maps errors to exit codes (0 ok, 2 bad input, 3 a result could not be
 * written, 1 internal failure). The only file that includes CLI11: its headers cost 10 s of compilation per file.
 */
int run_command_line(int argc, char** argv);

} // namespace popex
