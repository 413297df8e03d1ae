#pragma once
// Shared by the engine tests: run a scenario into a per-test folder and read its CSVs back. Each TEST still runs in
// its own process (one SimGrid engine per process).
#include "campaign/campaign_csv.hpp"
#include "config/scenario.hpp"
#include "simulation/simulation.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace popex::test {

inline std::string src(const std::string& rel)
{
  return std::string(POPEX_SOURCE_DIR) + "/" + rel;
}

using CsvRow = std::map<std::string, std::string>;

/** A CSV file as rows of name -> value (RFC 4180: a policy such as fixed:l1,l2 is quoted). */
inline std::vector<CsvRow> read_csv(const std::string& path)
{
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const auto records = parse_csv(text.str(), path);
  std::vector<CsvRow> rows;
  for (std::size_t i = 1; i < records.size(); ++i) {
    CsvRow row;
    for (std::size_t c = 0; c < records[0].size() && c < records[i].size(); ++c)
      row[records[0][c]] = records[i][c];
    rows.push_back(row);
  }
  return rows;
}

/** Runs a scenario with overrides into TempDir/popex-<prefix>-<test name>; returns the folder. */
inline std::string simulate_to(const std::string& prefix, const std::string& scenario,
                               const std::vector<std::pair<std::string, std::string>>& overrides)
{
  const std::string out = ::testing::TempDir() + "/popex-" + prefix + "-" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(out);
  run_simulation(load_scenario(src(scenario), overrides), out, {});
  return out;
}

/**
 * The same in a child process, into TempDir/popex-<prefix>-<test name>-<tag>: a test that compares several runs
 * needs one engine each, and SimGrid allows one per process. Fails the test if the child does not succeed.
 */
inline std::string simulate_in_child(const std::string& prefix, const std::string& tag, const std::string& scenario,
                                     const std::vector<std::pair<std::string, std::string>>& overrides)
{
  const std::string out = ::testing::TempDir() + "/popex-" + prefix + "-" +
                          ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" + tag;
  std::filesystem::remove_all(out);
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    int rc = 0;
    try {
      run_simulation(load_scenario(src(scenario), overrides), out, {});
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s\n", e.what());
      rc = 1;
    }
    std::fflush(nullptr);
    _exit(rc);
  }
  int status = -1;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the run " << tag << " failed";
  return out;
}

inline double num(const CsvRow& m, const std::string& k)
{
  return std::stod(m.at(k));
}

} // namespace popex::test
