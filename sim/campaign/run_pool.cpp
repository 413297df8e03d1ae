#include "campaign/run_pool.hpp"

#include "campaign/campaign_csv.hpp"
#include "campaign/run_folder.hpp"
#include "config/overrides.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace fs = std::filesystem;

namespace popex {

namespace {
using Clock = std::chrono::steady_clock;

/** Blocks SIGCHLD (so that sigtimedwait can wait for it) with the default disposition; restores both after. */
class SigchldScope {
public:
  SigchldScope()
  {
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGCHLD, &dfl, &old_action_);
    sigemptyset(&set_);
    sigaddset(&set_, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set_, &old_mask_);
  }
  ~SigchldScope()
  {
    sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
    sigaction(SIGCHLD, &old_action_, nullptr);
  }
  SigchldScope(const SigchldScope&)            = delete;
  SigchldScope& operator=(const SigchldScope&) = delete;

  const sigset_t& set() const { return set_; }
  const sigset_t& old_mask() const { return old_mask_; }

private:
  sigset_t set_{};
  sigset_t old_mask_{};
  struct sigaction old_action_ {};
};

struct Child {
  pid_t pid;
  const RunSpec* spec;
  Clock::time_point start;
  bool timed_out = false;
};

std::string one_line(std::string s)
{
  for (char& c : s)
    if (c == '\n' || c == '\r')
      c = ' ';
  return s;
}

constexpr const char* kRunYamlHeader = "# One campaign run: the scenario with `set` applied in order, and the seed.\n";

/**
 * The run's spec as run.yaml, and what the run itself recorded there, if anything: `simulate` writes its own
 * run.yaml (versions, platform, SimGrid arguments) over the spec written before it ran; that goes under
 * `simulation`, so that the spec is never lost.
 */
void write_run_yaml(const RunSpec& spec, const fs::path& path, const YAML::Node& recorded = YAML::Node())
{
  YAML::Node y(YAML::NodeType::Map);
  y["run_id"]   = spec.run_id;
  y["index"]    = spec.index;
  y["point"]    = spec.point_index;
  y["seed"]     = spec.seed;
  y["mode"]     = spec.mode;
  y["scenario"] = spec.scenario_file;
  YAML::Node axes(YAML::NodeType::Map);
  for (const auto& [key, text] : spec.axes)
    axes[key] = text;
  y["axes"] = axes;
  YAML::Node set(YAML::NodeType::Map);
  for (const auto& [key, text] : spec.overrides)
    set[key] = YAML::Load(text);
  y["set"] = set;
  if (recorded.IsMap())
    y["simulation"] = recorded;
  write_file_atomically(path, kRunYamlHeader + to_block_yaml(y));
}

/** What the run wrote to run.yaml in place of its spec; null if it left the spec there. */
YAML::Node recorded_by_run(const fs::path& path)
{
  const std::string text = read_text_file(path);
  return text.rfind(kRunYamlHeader, 0) == 0 ? YAML::Node() : YAML::Load(text);
}

/** The child's side: never returns. */
[[noreturn]] void child_main(const RunSpec& spec, const RunFunction& fn, const RunFolder& folder,
                             const sigset_t& parent_mask, pid_t parent)
{
  sigprocmask(SIG_SETMASK, &parent_mask, nullptr);
#ifdef __linux__
  // A killed campaign must not leave orphans that later rename folders under a resumed one.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent)
    _exit(125);
#else
  (void)parent;
#endif
  const rlimit no_core{}; // crashed runs are reported in summary.csv; a core per crash would fill the disk
  setrlimit(RLIMIT_CORE, &no_core);

  int status = 0;
  try {
    const std::string log = (folder.tmp() / "run.log").string();
    const int fd          = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
      throw std::runtime_error(fmt::format("cannot create {}: {}", log, std::strerror(errno)));
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
    // Line-buffered, so that run.log keeps what was printed before a crash.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    write_run_yaml(spec, folder.tmp() / "run.yaml");
    fn(spec, folder.tmp().string());
    write_run_yaml(spec, folder.tmp() / "run.yaml", recorded_by_run(folder.tmp() / "run.yaml"));
    std::cout.flush();
    std::fflush(nullptr);
    check_run_summary(folder.tmp() / "summary.csv");
    fs::rename(folder.tmp(), folder.done());
  } catch (const std::exception& e) {
    status = 3;
    try {
      write_file_atomically(folder.tmp() / "reason.txt", "exception: " + one_line(e.what()) + "\n");
    } catch (...) {
      status = 4;
    }
  } catch (...) {
    status = 3;
    try {
      write_file_atomically(folder.tmp() / "reason.txt", "exception: unknown (not a std::exception)\n");
    } catch (...) {
      status = 4;
    }
  }
  std::cout.flush();
  std::fflush(nullptr);
  // _exit: the child must not run the parent's atexit handlers and static destructors.
  _exit(status);
}

std::string format_seconds(double s)
{
  return fmt::format("{}", s);
}

RunOutcome finish(const Child& child, int status, const RunFolder& folder, double timeout_s)
{
  RunOutcome out;
  out.wall_s = std::chrono::duration<double>(Clock::now() - child.start).count();
  std::error_code ec;
  // The child renames only complete, checked results, so the final folder alone means success.
  if (fs::is_directory(folder.done(), ec)) {
    out.ok = true;
    return out;
  }
  if (child.timed_out) {
    out.reason = fmt::format("timeout after {} s", format_seconds(timeout_s));
  } else if (WIFSIGNALED(status)) {
    out.reason = describe_signal(WTERMSIG(status));
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    out.reason = "the run ended without results";
  } else {
    try {
      out.reason = read_text_file(folder.tmp() / "reason.txt");
      while (!out.reason.empty() && out.reason.back() == '\n')
        out.reason.pop_back();
    } catch (const std::exception&) {
      out.reason = fmt::format("exit code {}", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
  }
  fs::remove_all(folder.failed());
  if (!fs::is_directory(folder.tmp(), ec))
    fs::create_directories(folder.tmp());
  write_file_atomically(folder.tmp() / "reason.txt", out.reason + "\n");
  fs::rename(folder.tmp(), folder.failed());
  return out;
}

/** Kills and reaps the children still running when the parent leaves early (an exception). */
class ChildReaper {
public:
  explicit ChildReaper(std::vector<Child>& running) : running_(running) {}
  ~ChildReaper()
  {
    for (const auto& c : running_) {
      kill(c.pid, SIGKILL);
      waitpid(c.pid, nullptr, 0);
    }
  }
  ChildReaper(const ChildReaper&)            = delete;
  ChildReaper& operator=(const ChildReaper&) = delete;

private:
  std::vector<Child>& running_;
};
} // namespace

std::string describe_signal(int signal_number)
{
  // Fixed names: strsignal() depends on the C library and the locale, and the reason goes into summary.csv.
  static const std::pair<int, const char*> names[] = {{SIGSEGV, "Segmentation fault"},
                                                      {SIGABRT, "Aborted"},
                                                      {SIGBUS, "Bus error"},
                                                      {SIGFPE, "Floating point exception"},
                                                      {SIGILL, "Illegal instruction"},
                                                      {SIGKILL, "Killed"},
                                                      {SIGTERM, "Terminated"},
                                                      {SIGINT, "Interrupt"},
                                                      {SIGHUP, "Hangup"},
                                                      {SIGPIPE, "Broken pipe"},
                                                      {SIGXCPU, "CPU time limit exceeded"}};
  for (const auto& [number, name] : names)
    if (number == signal_number)
      return fmt::format("signal {} ({})", signal_number, name);
  const char* name = strsignal(signal_number);
  return fmt::format("signal {} ({})", signal_number, name ? name : "unknown");
}

void run_forked(const std::vector<const RunSpec*>& runs, const RunFunction& fn, const PoolOptions& options,
                const std::function<void(const RunSpec&, const RunOutcome&)>& on_done,
                const std::function<void()>& on_tick)
{
  const unsigned jobs = options.jobs == 0 ? 1 : options.jobs;
  // Clamped before the conversion: a double of seconds past ~292 years overflows the clock's nanoseconds.
  const auto timeout = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(std::clamp(options.timeout_s, 0.0, 31536000.0 * 10)));
  const auto tick     = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.tick_s));
  const pid_t self    = getpid();

  SigchldScope sigchld;
  std::vector<Child> running;
  ChildReaper reaper(running);
  auto next_tick   = Clock::now() + tick;
  std::size_t next = 0;
  while (next < runs.size() || !running.empty()) {
    while (running.size() < jobs && next < runs.size()) {
      const RunSpec& spec = *runs[next++];
      const RunFolder folder{options.runs_dir, spec.run_id};
      fs::remove_all(folder.tmp());
      fs::remove_all(folder.failed());
      fs::create_directories(folder.tmp());
      // Flush so that buffered output is not written twice, once by each process.
      std::cout.flush();
      std::cerr.flush();
      std::fflush(nullptr);
      const pid_t pid = fork();
      if (pid < 0)
        throw std::system_error(errno, std::generic_category(), "fork");
      if (pid == 0)
        child_main(spec, fn, folder, sigchld.old_mask(), self);
      running.push_back({pid, &spec, Clock::now()});
    }

    bool reaped = false;
    for (auto it = running.begin(); it != running.end();) {
      int status    = 0;
      const pid_t r = waitpid(it->pid, &status, WNOHANG);
      if (r == 0 || (r < 0 && errno == EINTR)) {
        ++it;
        continue;
      }
      if (r < 0) // ECHILD: someone else reaped it; the folders still tell the story.
        status = 0;
      const Child child = *it;
      it                = running.erase(it);
      reaped            = true;
      on_done(*child.spec, finish(child, status, {options.runs_dir, child.spec->run_id}, options.timeout_s));
    }

    const auto now = Clock::now();
    auto wake      = next_tick;
    for (auto& c : running) {
      if (!c.timed_out && now - c.start >= timeout) {
        kill(c.pid, SIGKILL);
        c.timed_out = true;
      }
      if (!c.timed_out)
        wake = std::min(wake, c.start + timeout);
    }
    if (now >= next_tick) {
      if (on_tick)
        on_tick();
      next_tick = now + tick;
    }
    if (reaped || running.empty())
      continue;
    const auto wait_ns =
        std::max<long long>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(wake - Clock::now()).count());
    const timespec ts{static_cast<time_t>(wait_ns / 1000000000), static_cast<long>(wait_ns % 1000000000)};
    sigtimedwait(&sigchld.set(), nullptr, &ts);
  }
}

} // namespace popex
