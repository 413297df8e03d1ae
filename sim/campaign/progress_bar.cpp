#include "campaign/progress_bar.hpp"

#include <fmt/format.h>

namespace popex {

namespace {
std::string format_duration(double s)
{
  const auto total = static_cast<long long>(s + 0.5);
  if (total >= 3600)
    return fmt::format("{}h{:02}m", total / 3600, total / 60 % 60);
  if (total >= 60)
    return fmt::format("{}m{:02}s", total / 60, total % 60);
  return fmt::format("{}s", total);
}
} // namespace

ProgressBar::ProgressBar(std::size_t total, std::size_t already_done, bool enabled, std::FILE* out)
    : total_(total), already_done_(already_done), enabled_(enabled), out_(out), start_(std::chrono::steady_clock::now())
{
}

void ProgressBar::run_done(bool ok)
{
  ++done_;
  if (!ok)
    ++failed_;
  // Thousands of short runs would otherwise flood the terminal.
  if (std::chrono::steady_clock::now() - last_draw_ >= std::chrono::milliseconds(100))
    draw();
}

std::string ProgressBar::line() const
{
  constexpr std::size_t width = 30;
  const std::size_t finished  = already_done_ + done_;
  const std::size_t filled    = total_ == 0 ? width : finished * width / total_;
  std::string bar(filled, '#');
  bar.resize(width, '.');
  std::string text       = fmt::format("[{}] {}/{} runs, {} failed", bar, finished, total_, failed_);
  const std::size_t left = total_ - finished;
  if (done_ > 0 && left > 0) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    text += fmt::format(", ETA {}", format_duration(elapsed / static_cast<double>(done_) * static_cast<double>(left)));
  }
  return text;
}

void ProgressBar::draw()
{
  if (!enabled_)
    return;
  last_draw_ = std::chrono::steady_clock::now();
  // "\x1b[K" clears what a longer previous line left on the right.
  fmt::print(out_, "\r{}\x1b[K", line());
  std::fflush(out_);
}

void ProgressBar::finish()
{
  if (!enabled_)
    return;
  draw();
  fmt::print(out_, "\n");
  std::fflush(out_);
}

} // namespace popex
