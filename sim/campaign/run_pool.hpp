#pragma once

#include "campaign/run_spec.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace popex {

/** How one forked run ended. */
struct RunOutcome {
  bool ok = false;
  std::string reason; //!< for a failure: "exception: ...", "signal 11 (Segmentation fault)", "timeout after 600 s"
  double wall_s = 0;  //!< wall-clock time of the run, s (for campaign.log only)
};

/** Settings of run_forked(). */
struct PoolOptions {
  std::filesystem::path runs_dir; //!< OUT/runs; must exist
  unsigned jobs    = 1;           //!< children at once, >= 1
  double timeout_s = 600;         //!< wall-clock limit per run, s; the child is then killed with SIGKILL
  double tick_s    = 0.5;         //!< period of `on_tick` calls while waiting, s
};

/**
 * Runs each spec with `fn` in its own forked child, at most `options.jobs` at once. A child writes into
 * `<id>.tmp/` (created fresh here, stdout and stderr going to its `run.log`), checks the run's summary.csv, and
 * renames the folder to `<id>/`. A child that throws, dies of a signal or times out leaves `<id>.failed/` with a
 * one-line `reason.txt`. Children do not dump core and die with the parent (Linux). `on_done` is called in
 * completion order; `on_tick` (may be empty) about every `tick_s` while children run.
 *
 * Only POSIX calls and no threads: the parent blocks SIGCHLD and waits in sigtimedwait() until a child ends, the
 * next deadline or the next tick. The signal mask and the SIGCHLD disposition are restored on return.
 */
void run_forked(const std::vector<const RunSpec*>& runs, const RunFunction& fn, const PoolOptions& options,
                const std::function<void(const RunSpec&, const RunOutcome&)>& on_done,
                const std::function<void()>& on_tick = {});

/** "signal 11 (Segmentation fault)", with fixed names for the common signals so that the text is host-independent. */
std::string describe_signal(int signal_number);

} // namespace popex
