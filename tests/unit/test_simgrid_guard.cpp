// SimgridSetupGuard (sim/simulation/simgrid_guard.hpp): what SimGrid prints before it aborts becomes one line. The
// death tests run each statement in a child process and match its whole stderr.
#include "simulation/simgrid_guard.hpp"
#include "test_helpers.hpp"

#include <gtest/gtest.h>
#include <simgrid/s4u.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

using namespace popex;

namespace {

std::string line_for(const std::string& capture, int sig = SIGABRT)
{
  char out[1200];
  const std::size_t n = simgrid_error_line(capture.data(), capture.size(), sig, out, sizeof out);
  return {out, n};
}

const std::string LINE = "popex-sim: error: SimGrid: ";

/** Sets up an engine on `platform` under a guard, as popex-sim does. */
void set_up_engine(const std::string& platform)
{
  SimgridSetupGuard guard;
  int argc     = 1;
  char name[]  = "test";
  char* argv[] = {name, nullptr};
  simgrid::s4u::Engine engine(&argc, argv);
  engine.load_platform(platform);
  guard.end();
}

} // namespace

TEST(SimgridGuard, TakesSimGridsFirstCriticalOrErrorLine)
{
  // What SimGrid 3.32 prints for a link declared twice (cut after 3 of its 18 lines).
  EXPECT_EQ(line_for("[0.000000] ./src/kernel/resource/StandardLinkImpl.cpp:23: [root/CRITICAL] Link 'l' declared "
                     "several times in the platform.\nBacktrace (displayed in actor maestro):\n  ->  0# "
                     "xbt_backtrace_display_current in /lib/x86_64-linux-gnu/libsimgrid.so.3.32\n"),
            LINE + "Link 'l' declared several times in the platform.\n");
  // Warnings before the reason are skipped; the first ERROR line is the reason (contexts/factory:bogus).
  EXPECT_EQ(line_for("[0.000000] ./src/xbt/xbt_parse_units.cpp:71: [parse/WARNING] Deprecated unit-less value\n"
                     "[0.000000] ./src/kernel/EngineImpl.cpp:254: [ker_engine/ERROR] Invalid context factory "
                     "specified.\n[0.000000] ./src/kernel/EngineImpl.cpp:272: [root/CRITICAL] Please use a valid "
                     "factory.\n"),
            LINE + "Invalid context factory specified.\n");
  EXPECT_EQ(line_for("[edge:results-0:(3) 0.445000] ./src/xbt/exception.cpp:40: [xbt_exception/CRITICAL] Uncaught "
                     "exception\n"),
            LINE + "Uncaught exception\n");
  EXPECT_EQ(line_for("[0.000000] [surf_parse/CRITICAL] no file position"), LINE + "no file position\n");
}

TEST(SimgridGuard, FallsBackToPlainLinesThenToTheSignal)
{
  // SimGrid's own segfault handler prints plain lines.
  EXPECT_EQ(line_for("Segmentation fault.\n", SIGSEGV), LINE + "Segmentation fault.\n");
  EXPECT_EQ(line_for("[0.000000] [surf_parse/WARNING] only a warning\n"),
            LINE + "aborted (SIGABRT) without a message while the simulation was set up\n");
  EXPECT_EQ(line_for("", SIGSEGV), LINE + "crashed (SIGSEGV) without a message while the simulation was set up\n");
  EXPECT_EQ(line_for("", SIGBUS), LINE + "crashed without a message while the simulation was set up\n");
}

TEST(SimgridGuard, OneLineWhateverTheCapture)
{
  EXPECT_EQ(line_for("[0.0] f.cpp:1: [root/CRITICAL] a\tb\rc"), LINE + "a?b?c\n");
  // A line longer than the guard keeps (1 KiB) is cut, and says so.
  const std::string long_line = line_for("[0.0] f.cpp:1: [root/CRITICAL] " + std::string(5000, 'x') + "\n");
  EXPECT_LE(long_line.size(), 1100u);
  EXPECT_EQ(long_line.substr(long_line.size() - 5), "x...\n");
  // So is a message longer than the output.
  const std::string message = "[0.0] f.cpp:1: [root/CRITICAL] " + std::string(500, 'y');
  char out[100];
  ASSERT_EQ(simgrid_error_line(message.data(), message.size(), SIGABRT, out, sizeof out), 100u);
  EXPECT_EQ(std::string(out + 90, 10), "yyyyyy...\n");
  char tiny[10];
  EXPECT_EQ(simgrid_error_line("x", 1, SIGABRT, tiny, sizeof tiny), 0u);
}

TEST(SimgridGuardDeathTest, AnAbortBecomesOneLineAndExitCode2)
{
  EXPECT_EXIT(
      {
        SimgridSetupGuard guard;
        std::fputs("[0.000000] ./src/a.cpp:1: [root/CRITICAL] Something is wrong.\nBacktrace (displayed in actor "
                   "maestro):\n  ->  0# frame\n",
                   stderr);
        std::abort();
      },
      ::testing::ExitedWithCode(2), "^popex-sim: error: SimGrid: Something is wrong\\.\n$");
}

TEST(SimgridGuardDeathTest, SimGridItselfAborting)
{
  // A link declared twice: SimGrid 3.32 aborts with an 18-line backtrace (popex-sim's platform check refuses the
  // file before SimGrid reads it; here SimGrid reads it).
  const std::string path = ::testing::TempDir() + "/popex-guard-two-links.xml";
  std::ofstream(path) << "<?xml version='1.0'?>\n<!DOCTYPE platform SYSTEM \"https://simgrid.org/simgrid.dtd\">\n"
                         "<platform version=\"4.1\"><zone id=\"w\" routing=\"Full\">\n"
                         "<link id=\"l\" bandwidth=\"1Mbps\" latency=\"0\"/><link id=\"l\" bandwidth=\"1Mbps\" "
                         "latency=\"0\"/>\n</zone></platform>\n";
  EXPECT_EXIT(set_up_engine(path), ::testing::ExitedWithCode(2),
              "^popex-sim: error: SimGrid: Link 'l' declared several times in the platform\\.\n$");
}

TEST(SimgridGuard, EndCopiesTheCaptureToStderr)
{
  ::testing::internal::CaptureStderr();
  {
    SimgridSetupGuard guard;
    std::fputs("a SimGrid warning\n", stderr);
    guard.end();
    guard.end(); // idempotent
    std::fputs("after\n", stderr);
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "a SimGrid warning\nafter\n");
}

TEST(SimgridGuard, AnExceptionDropsTheCapture)
{
  ::testing::internal::CaptureStderr();
  try {
    SimgridSetupGuard guard;
    std::fputs("SimGrid noise\n", stderr);
    throw std::runtime_error("the set-up failed");
  } catch (const std::runtime_error&) {
    std::fputs("the one line\n", stderr);
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "the one line\n");
}

TEST(SimgridGuard, RestoresTheHandlersInPlaceBefore)
{
  struct sigaction mine {};
  struct sigaction old {};
  mine.sa_handler = [](int) {};
  sigemptyset(&mine.sa_mask);
  ASSERT_EQ(sigaction(SIGABRT, &mine, &old), 0);
  {
    SimgridSetupGuard guard;
    EXPECT_THROW(SimgridSetupGuard second, std::logic_error);
    struct sigaction during {};
    sigaction(SIGABRT, nullptr, &during);
    EXPECT_NE(during.sa_handler, mine.sa_handler);
  }
  struct sigaction after {};
  sigaction(SIGABRT, &old, &after);
  EXPECT_EQ(after.sa_handler, mine.sa_handler);
}
