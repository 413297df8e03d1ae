#include "simulation/simgrid_guard.hpp"
#include "simulation/sanitizers.hpp"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <string_view>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>


namespace popex {

namespace {

// Everything the signal handler touches is static and allocation-free: it runs after SimGrid aborted, maybe with the
// heap in any state.

constexpr std::string_view PREFIX = "popex-sim: error: SimGrid: ";

/** A log line split into its message and its level ("CRITICAL", "ERROR", ...; empty when not a log line). */
struct LogLine {
  std::string_view message;
  std::string_view level;
};

bool all_digits(std::string_view s)
{
  if (s.empty())
    return false;
  for (const char c : s)
    if (c < '0' || c > '9')
      return false;
  return true;
}

/** Strips XBT's default prefix `[host:actor:(pid) time] file:line: [category/LEVEL] `, part by part. */
LogLine parse_log_line(std::string_view line)
{
  LogLine out{line, {}};
  std::string_view v = line;
  if (!v.empty() && v.front() == '[') {
    const std::size_t close = v.find("] ");
    if (close == std::string_view::npos)
      return out;
    v = v.substr(close + 2);
  }
  if (const std::size_t space = v.find(' '); space != std::string_view::npos && space > 1 && v[space - 1] == ':') {
    const std::string_view where = v.substr(0, space - 1);
    const std::size_t colon      = where.rfind(':');
    if (colon != std::string_view::npos && all_digits(where.substr(colon + 1)))
      v = v.substr(space + 1);
  }
  const std::size_t close = v.find("] ");
  const std::size_t slash = v.find('/');
  if (!v.empty() && v.front() == '[' && close != std::string_view::npos && slash < close) {
    out.level = v.substr(slash + 1, close - slash - 1);
    v         = v.substr(close + 2);
  }
  out.message = v;
  return out;
}

/** Picks SimGrid's message among the captured lines, fed in chunks, with fixed storage. */
class LinePicker {
public:
  void feed(const char* data, std::size_t size)
  {
    for (std::size_t i = 0; i < size && rank_ < 2; ++i) {
      if (data[i] == '\n')
        end_line();
      else if (line_length_ < line_.size())
        line_[line_length_++] = data[i];
      else
        line_cut_ = true;
    }
  }

  void finish()
  {
    if (line_length_ > 0)
      end_line();
  }

  std::string_view choice() const { return {choice_.data(), choice_length_}; }
  /** The chosen line was longer than the storage, and is cut. */
  bool choice_cut() const { return choice_cut_; }

private:
  std::array<char, 1024> line_{};
  std::size_t line_length_ = 0;
  bool line_cut_           = false;
  std::array<char, 1024> choice_{};
  std::size_t choice_length_ = 0;
  bool choice_cut_           = false;
  int rank_                  = 0; // of the choice: 2 a CRITICAL or ERROR line, 1 a plain line, 0 none

  void end_line()
  {
    const LogLine l      = parse_log_line({line_.data(), line_length_});
    const bool cut       = line_cut_;
    line_length_         = 0;
    line_cut_            = false;
    const bool backtrace = l.message.empty() || l.message.front() == ' ' || l.message.front() == '\t' ||
                           l.message.substr(0, 9) == "Backtrace";
    const int rank = l.level == "CRITICAL" || l.level == "ERROR" ? 2 : l.level.empty() && !backtrace ? 1 : 0;
    if (rank <= rank_)
      return;
    rank_          = rank;
    choice_cut_    = cut;
    choice_length_ = l.message.size();
    l.message.copy(choice_.data(), choice_length_);
  }
};

/** Appends `text` at `at` within `out`, keeping room for "...\n"; returns false when it had to cut. */
bool append(char* out, std::size_t out_size, std::size_t& at, std::string_view text)
{
  for (const char c : text) {
    if (at + 4 >= out_size)
      return false;
    const auto byte = static_cast<unsigned char>(c);
    out[at++]       = byte < 0x20 || byte == 0x7F ? '?' : c;
  }
  return true;
}

std::string_view signal_message(int sig)
{
  switch (sig) {
  case SIGABRT:
    return "aborted (SIGABRT) without a message while the simulation was set up";
  case SIGSEGV:
    return "crashed (SIGSEGV) without a message while the simulation was set up";
  default:
    return "crashed without a message while the simulation was set up";
  }
}

std::size_t compose(const LinePicker& picker, int sig, char* out, std::size_t out_size)
{
  if (out_size < PREFIX.size() + 8)
    return 0;
  std::size_t at = 0;
  append(out, out_size, at, PREFIX);
  const std::string_view message = picker.choice().empty() ? signal_message(sig) : picker.choice();
  if (!append(out, out_size, at, message) || picker.choice_cut())
    for (const char c : std::string_view("..."))
      out[at++] = c;
  out[at++] = '\n';
  return at;
}

constexpr std::array<int, 3> SIGNALS{SIGABRT, SIGSEGV, SIGBUS};
#if defined(POPEX_ASAN)
constexpr std::size_t GUARDED = 1; // SIGABRT only: ASan reports SIGSEGV and SIGBUS better than one line
#else
constexpr std::size_t GUARDED = SIGNALS.size();
#endif

volatile std::sig_atomic_t g_active = 0;
int g_stderr                        = -1; // the real stderr, while fd 2 writes into the capture
int g_capture                       = -1;
std::array<struct sigaction, SIGNALS.size()> g_previous{};
LinePicker g_picker;
std::array<char, 4096> g_chunk{};
std::array<char, 1200> g_out{};

void write_all(int fd, const char* data, std::size_t size)
{
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

extern "C" void on_setup_signal(int sig)
{
  g_picker = LinePicker();
  if (g_capture >= 0 && lseek(g_capture, 0, SEEK_SET) == 0)
    for (ssize_t n = 0; (n = read(g_capture, g_chunk.data(), g_chunk.size())) > 0;)
      g_picker.feed(g_chunk.data(), static_cast<std::size_t>(n));
  g_picker.finish();
  const std::size_t length = compose(g_picker, sig, g_out.data(), g_out.size());
  write_all(g_stderr >= 0 ? g_stderr : STDERR_FILENO, g_out.data(), length);
  _exit(2);
}

/** An anonymous file: memfd_create(), or an unlinked tmpfile() where memfd is not allowed. */
int anonymous_file()
{
  if (const int fd = memfd_create("popex-simgrid-setup", MFD_CLOEXEC); fd >= 0)
    return fd;
  std::FILE* f = std::tmpfile();
  if (f == nullptr)
    return -1;
  const int fd = fcntl(fileno(f), F_DUPFD_CLOEXEC, 3);
  std::fclose(f);
  return fd;
}

void copy_capture_to_stderr()
{
  if (lseek(g_capture, 0, SEEK_SET) != 0)
    return;
  for (ssize_t n = 0; (n = read(g_capture, g_chunk.data(), g_chunk.size())) > 0;)
    write_all(STDERR_FILENO, g_chunk.data(), static_cast<std::size_t>(n));
}

} // namespace

SimgridSetupGuard::SimgridSetupGuard()
{
  if (g_active != 0)
    throw std::logic_error("SimgridSetupGuard: only one guard may be active at a time");
  std::fflush(stderr);
  const int capture = anonymous_file();
  const int saved   = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  if (capture >= 0 && saved >= 0 && dup2(capture, STDERR_FILENO) >= 0) {
    g_capture = capture;
    g_stderr  = saved;
  } else {
    // Without a capture SimGrid's lines pass through; the handler still ends with its one line.
    for (const int fd : {capture, saved})
      if (fd >= 0)
        ::close(fd);
  }
  struct sigaction action {};
  action.sa_handler = on_setup_signal;
  action.sa_flags   = SA_ONSTACK | SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < GUARDED; ++i)
    sigaction(SIGNALS[i], &action, &g_previous[i]);
  g_active = 1;
}

SimgridSetupGuard::~SimgridSetupGuard()
{
  // Without end(), an exception is leaving the set-up: its message must stay the only line.
  close(false);
}

void SimgridSetupGuard::end()
{
  close(true);
}

void SimgridSetupGuard::close(bool keep_capture)
{
  if (!active_)
    return;
  for (std::size_t i = 0; i < GUARDED; ++i)
    sigaction(SIGNALS[i], &g_previous[i], nullptr);
  std::fflush(stderr);
  if (g_stderr >= 0) {
    dup2(g_stderr, STDERR_FILENO);
    if (keep_capture)
      copy_capture_to_stderr();
  }
  for (int* fd : {&g_stderr, &g_capture})
    if (*fd >= 0) {
      ::close(*fd);
      *fd = -1;
    }
  g_active = 0;
  active_  = false;
}

std::size_t simgrid_error_line(const char* capture, std::size_t size, int sig, char* out, std::size_t out_size)
{
  LinePicker picker;
  picker.feed(capture, size);
  picker.finish();
  return compose(picker, sig, out, out_size);
}

} // namespace popex
