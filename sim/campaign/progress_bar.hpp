#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace popex {

/**
 * One-line campaign progress on a terminal: `[#####.....] 12/100 runs, 1 failed, ETA 3m05s`, redrawn in place with
 * '\r'. Disabled (prints nothing) unless enabled at construction, which the campaign does when stderr is a TTY.
 */
class ProgressBar {
public:
  /** `total` runs in all, `already_done` of them finished before (--resume), drawn on `out` if `enabled`. */
  ProgressBar(std::size_t total, std::size_t already_done, bool enabled, std::FILE* out = stderr);

  /** Records one more finished run; redraws at most 10 times a second. */
  void run_done(bool ok);
  /** Redraws the line (the ETA changes with time even when no run ends). */
  void draw();
  /** Draws the final state and ends the line. */
  void finish();

  /** The text of the line, without '\r': for tests. */
  std::string line() const;

private:
  std::size_t total_;
  std::size_t already_done_;
  std::size_t done_   = 0; // finished in this session
  std::size_t failed_ = 0;
  bool enabled_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

} // namespace popex
