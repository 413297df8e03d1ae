#pragma once

#include <cstddef>

namespace popex {

/**
 * Turns what SimGrid 3.32 still rejects while an engine is being set up into one line on stderr.
 *
 * SimGrid reports some mistakes in a platform or an option by aborting (`xbt_die`, `xbt_assert`: SIGABRT) or
 * crashing (SIGSEGV), after a log line and a backtrace of 10 to 20 lines. While a guard is active:
 *
 * - file descriptor 2 writes into an anonymous file (memfd_create(), in memory, else tmpfile()), so nothing SimGrid
 *   prints reaches the terminal yet (a `--log` at debug level during the set-up of a large platform costs memory
 *   until end());
 * - SIGABRT, SIGSEGV and SIGBUS go to an async-signal-safe handler (in AddressSanitizer builds SIGSEGV and SIGBUS
 *   stay with ASan, whose report is worth more). It reads the capture, takes SimGrid's first meaningful line
 *   (simgrid_error_line()), writes `popex-sim: error: SimGrid: <that line>` to the real stderr and ends the process
 *   with `_exit(2)`: bad input, nothing was run.
 *
 * end() closes the guard after a successful set-up: the handlers in place before come back (popex-sim's own
 * run-time handler, or SimGrid's), fd 2 is the real stderr again, and what was captured (SimGrid's warnings) is
 * copied there. A guard destroyed without end(), because an exception leaves the set-up, restores the same but
 * drops the capture, so that the exception's one-line message stays the only line.
 *
 * One guard at a time (a second one throws std::logic_error), on the thread that sets up the engine:
 * @code
 *   SimgridSetupGuard guard;                   // begins
 *   auto engine = std::make_unique<sg4::Engine>(&argc, argv);
 *   engine->load_platform(platform);           // ... route_to(), actors: everything before run()
 *   guard.end();
 *   engine->run();
 * @endcode
 */
class SimgridSetupGuard {
public:
  SimgridSetupGuard();
  ~SimgridSetupGuard();
  SimgridSetupGuard(const SimgridSetupGuard&)            = delete;
  SimgridSetupGuard& operator=(const SimgridSetupGuard&) = delete;

  /** The set-up succeeded: restores stderr and the handlers, and copies the capture to stderr. Idempotent. */
  void end();

private:
  void close(bool keep_capture);

  bool active_ = true;
};

/**
 * The one line the guard prints for SimGrid's output `capture` after signal `sig`, written to `out` (at most
 * `out_size` bytes, '\n' included); returns its length. Async-signal-safe: no allocation, no locale.
 *
 * The line is `popex-sim: error: SimGrid: MESSAGE\n`. MESSAGE is the first log line at level CRITICAL or ERROR,
 * else the first line that is neither a log line nor a backtrace line ("Segmentation fault."), with the log prefix
 * `[host:actor:(pid) time] file:line: [category/LEVEL] ` removed, control characters replaced by '?' and the end cut
 * with "..." if the line is too long. With no such line, MESSAGE says which signal stopped SimGrid.
 */
std::size_t simgrid_error_line(const char* capture, std::size_t size, int sig, char* out, std::size_t out_size);

} // namespace popex
