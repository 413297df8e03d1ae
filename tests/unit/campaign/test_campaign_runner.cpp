#include "campaign/campaign_command.hpp"
#include "campaign/campaign_lock.hpp"
#include "campaign/campaign_merge.hpp"
#include "campaign/campaign_runner.hpp"
#include "campaign/run_pool.hpp"

#include "campaign_test_util.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace popex {
namespace {

using test::read_file;
using test::TempDir;
namespace fs = std::filesystem;

const std::map<std::string, RunFunction> kOk{{"simulate", test::fake_ok}};
const std::map<std::string, RunFunction> kBehaving{{"simulate", test::fake_behaving}};

int run(const std::string& file, const std::string& out, unsigned jobs,
        const std::map<std::string, RunFunction>& by_mode = kOk, bool resume = false, Shard shard = {})
{
  CampaignOptions o;
  o.file    = file;
  o.out_dir = out;
  o.jobs    = jobs;
  o.resume  = resume;
  o.shard   = shard;
  return run_campaign(o, by_mode);
}

std::string config_error(const std::function<void()>& f)
{
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no ConfigError";
}

// AddressSanitizer turns a SIGSEGV into a report (in run.log) and exit code 1.
#if defined(__SANITIZE_ADDRESS__)
const std::string kSegvReason = "exit code 1";
#else
const std::string kSegvReason = "signal 11 (Segmentation fault)";
#endif

const char* const kGrid = "sweep:\n  x: [1, 2, 3]\n  y: [a, b]\nseeds: [1, 2]\n"; // 12 runs

TEST(CampaignRunner, WritesRunFoldersAndSummary)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, "set: {images: 5}\nsweep:\n  x: [1, 2]\nseeds: [1, 2]\n");
  const std::string out  = dir / "out";
  EXPECT_EQ(run(file, out, 2), 0);
  // summary.csv: fixed columns, then the run's metrics without its `seed` column (already a fixed column).
  EXPECT_EQ(read_file(out + "/summary.csv"), "run_id,x,seed,status,reason,mean_latency_s,images,label\n"
                                             "r0,1,1,ok,,1,100,p0\n"
                                             "r1,1,2,ok,,2,100,p0\n"
                                             "r2,2,1,ok,,2,100,p1\n"
                                             "r3,2,2,ok,,4,100,p1\n");
  // Per point: means; label is not numeric; mean_latency_s gets its CI: t(0.975,1) * sd / sqrt(2), with
  // sd(1, 2) = sqrt(0.5) and sd(2, 4) = sqrt(2), so 12.706205 * 0.5 and 12.706205 * 1.
  EXPECT_EQ(read_file(out + "/summary_by_point.csv"), "x,n_seeds,n_failed,mean_latency_s,mean_latency_s_ci95,images\n"
                                                      "1,2,0,1.5,6.3531025,100\n"
                                                      "2,2,0,3,12.706205,100\n");
  EXPECT_EQ(read_file(out + "/runs.csv"), "run_id,x,seed\nr0,1,1\nr1,1,2\nr2,2,1\nr3,2,2\n");
  EXPECT_TRUE(fs::is_regular_file(out + "/campaign.resolved.yaml"));
  EXPECT_EQ(read_file(out + "/runs/r2/run.log"), "fake run r2 seed 1\n");
  EXPECT_EQ(read_file(out + "/runs/r2/run.yaml"), "# One campaign run: the scenario with `set` applied in order, and "
                                                  "the seed.\nrun_id: r2\nindex: 2\npoint: 1\nseed: 1\nmode: "
                                                  "simulate\nscenario: " +
                                                      (dir / "scenario.yaml") +
                                                      "\naxes:\n  x: 2\nset:\n  images: 5\n  x: 2\n");
  const std::string log = read_file(out + "/campaign.log");
  EXPECT_NE(log.find(" start campaign 't' "), std::string::npos) << log;
  EXPECT_NE(log.find(" run r3 ok wall_s "), std::string::npos) << log;
  EXPECT_NE(log.find(" end ok 4 failed 0 wall_s "), std::string::npos) << log;
  for (const auto& e : fs::directory_iterator(out + "/runs"))
    EXPECT_EQ(e.path().extension(), "") << e.path(); // no .tmp or .failed left
}

TEST(CampaignRunner, RunYamlKeepsTheSpecWhenTheRunRecordsItsOwn)
{
  // `simulate` writes its own run.yaml (versions, platform, SimGrid arguments) into the run's folder, where the
  // campaign wrote the run's spec: the spec stays, and what the run recorded goes under `simulation`.
  TempDir dir;
  const std::string file = test::write_campaign(dir, "seeds: [4]\n");
  const std::string out  = dir / "out";
  const std::map<std::string, RunFunction> recording{{"simulate", [](const RunSpec& spec, const std::string& d) {
                                                        test::fake_ok(spec, d);
                                                        test::write_file(fs::path(d) / "run.yaml",
                                                                         "popex_sim_version: 9.9\nsimgrid_args: []\n");
                                                      }}};
  EXPECT_EQ(run(file, out, 1, recording), 0);
  EXPECT_EQ(read_file(out + "/runs/r0/run.yaml"), "# One campaign run: the scenario with `set` applied in order, and "
                                                  "the seed.\nrun_id: r0\nindex: 0\npoint: 0\nseed: 4\nmode: "
                                                  "simulate\nscenario: " +
                                                      (dir / "scenario.yaml") +
                                                      "\naxes:\n  {}\nset:\n  {}\nsimulation:\n"
                                                      "  popex_sim_version: 9.9\n  simgrid_args:\n    []\n");
}

TEST(CampaignRunner, FailuresBecomeRowsWithTheirReason)
{
  // No timeout here (the default, 600 s, is far beyond any of these runs, whatever the machine): a crash is
  // reported as a crash even when a sanitizer takes seconds to write its report.
  TempDir dir;
  const std::string file =
      test::write_campaign(dir, "sweep:\n  behave: [ok, segv, throw, nosummary, exit3]\n");
  const std::string out = dir / "out";
  EXPECT_EQ(run(file, out, 5, kBehaving), 1);
  EXPECT_EQ(read_file(out + "/summary.csv"), "run_id,behave,seed,status,reason,mean_latency_s,images,label\n"
                                             "r0,ok,1,ok,,1,100,p0\n"
                                             "r1,segv,1,failed," +
                                                 kSegvReason +
                                                 ",,,\n"
                                                 "r2,throw,1,failed,exception: bad value for run r2 second line,,,\n"
                                                 "r3,nosummary,1,failed,exception: the run wrote no summary.csv,,,\n"
                                                 "r4,exit3,1,failed,exit code 3,,,\n");
  EXPECT_EQ(read_file(out + "/summary_by_point.csv"), "behave,n_seeds,n_failed,mean_latency_s,mean_latency_s_ci95,"
                                                      "images\n"
                                                      "ok,1,0,1,,100\n"
                                                      "segv,0,1,,,\n"
                                                      "throw,0,1,,,\n"
                                                      "nosummary,0,1,,,\n"
                                                      "exit3,0,1,,,\n");
  EXPECT_EQ(read_file(out + "/runs/r1.failed/reason.txt"), kSegvReason + "\n");
  EXPECT_TRUE(fs::is_regular_file(out + "/runs/r2.failed/run.log"));
  EXPECT_TRUE(fs::is_directory(out + "/runs/r0"));
}

TEST(CampaignRunner, HungRunTimesOut)
{
  // The run blocks forever (pause()), so whatever the machine's speed it can only end by the timeout: no race.
  TempDir dir;
  const std::string file = test::write_campaign(dir, "sweep:\n  behave: [hang]\ntimeout_s: 0.2\n");
  const std::string out  = dir / "out";
  EXPECT_EQ(run(file, out, 1, kBehaving), 1);
  EXPECT_EQ(read_file(out + "/summary.csv"), "run_id,behave,seed,status,reason\n"
                                             "r0,hang,1,failed,timeout after 0.2 s\n");
  EXPECT_EQ(read_file(out + "/runs/r0.failed/reason.txt"), "timeout after 0.2 s\n");
}

TEST(CampaignRunner, ByteIdenticalWithOneOrTwoJobs)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, kGrid);
  EXPECT_EQ(run(file, dir / "j1", 1), 0);
  EXPECT_EQ(run(file, dir / "j2", 2), 0);
  EXPECT_EQ(run(file, dir / "j5", 5), 0);
  for (const char* name : {"summary.csv", "summary_by_point.csv", "runs.csv", "campaign.resolved.yaml"}) {
    EXPECT_EQ(read_file(dir / ("j1/" + std::string(name))), read_file(dir / ("j2/" + std::string(name)))) << name;
    EXPECT_EQ(read_file(dir / ("j1/" + std::string(name))), read_file(dir / ("j5/" + std::string(name)))) << name;
  }
}

TEST(CampaignRunner, ResumeRunsOnlyWhatIsMissing)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, kGrid);
  const std::string out  = dir / "out";
  ASSERT_EQ(run(file, out, 2), 0);
  const std::string summary  = read_file(out + "/summary.csv");
  const std::string by_point = read_file(out + "/summary_by_point.csv");

  fs::remove_all(out + "/runs/r03");
  fs::remove_all(out + "/runs/r10");
  fs::rename(out + "/runs/r07", out + "/runs/r07.tmp"); // as if killed before its rename
  fs::remove(out + "/summary.csv");
  test::calls_dir() = dir / "calls";
  fs::create_directories(test::calls_dir());
  EXPECT_EQ(run(file, out, 2, kOk, true), 0);
  test::calls_dir().clear();

  std::vector<std::string> called;
  for (const auto& e : fs::directory_iterator(dir / "calls"))
    called.push_back(e.path().filename().string());
  std::sort(called.begin(), called.end());
  EXPECT_EQ(called, (std::vector<std::string>{"r03", "r07", "r10"}));
  EXPECT_EQ(read_file(out + "/summary.csv"), summary);
  EXPECT_EQ(read_file(out + "/summary_by_point.csv"), by_point);
  EXPECT_FALSE(fs::exists(out + "/runs/r07.tmp"));
}

TEST(CampaignRunner, ResumeRetriesFailedRuns)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, "sweep:\n  behave: [ok, throw]\n");
  const std::string out  = dir / "out";
  EXPECT_EQ(run(file, out, 1, kBehaving), 1);
  // The bug is fixed: the same runs now succeed; --resume reruns only the failed one.
  EXPECT_EQ(run(file, out, 1, kOk, true), 0);
  EXPECT_EQ(read_file(out + "/summary.csv"), "run_id,behave,seed,status,reason,mean_latency_s,images,label\n"
                                             "r0,ok,1,ok,,1,100,p0\n"
                                             "r1,throw,1,ok,,1,100,p1\n");
  EXPECT_FALSE(fs::exists(out + "/runs/r1.failed"));
}

TEST(CampaignRunner, RefusesToMixResultsOrCampaigns)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, "sweep:\n  x: [1, 2]\n");
  const std::string out  = dir / "out";
  ASSERT_EQ(run(file, out, 1), 0);
  EXPECT_EQ(config_error([&] { run(file, out, 1); }),
            out + ": already holds results of 2 run(s) of this campaign (r0 .. r1); pass --resume to finish it, or "
                  "use another --out");
  const std::string other = test::write_campaign(dir, "sweep:\n  x: [1, 3]\n");
  EXPECT_EQ(config_error([&] { run(other, out, 1, kOk, true); }),
            out + ": holds another campaign (runs.csv differs from the expansion of " + other +
                "); use another --out, or remove the folder");
}

TEST(CampaignRunner, UnknownModeAndBadShard)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, "mode: both\n");
  EXPECT_EQ(config_error([&] { run(file, dir / "out", 1); }),
            file + ": mode 'both' is not available here (available: simulate)");
  EXPECT_EQ(config_error([&] {
              run(file, dir / "out", 1, kOk, false, {2, 2});
            }),
            "--shard must be I/N with 0 <= I < N (got 2/2)");
}

TEST(CampaignRunner, ShardsMergedEqualTheSingleRun)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, kGrid);
  ASSERT_EQ(run(file, dir / "single", 2), 0);
  for (std::size_t i = 0; i < 3; ++i)
    ASSERT_EQ(run(file, dir / fmt::format("shard-{}", i), 1, kOk, false, {i, 3}), 0);
  // A shard runs exactly the runs whose index % 3 == i.
  EXPECT_EQ(read_file(dir / "shard-1/summary.csv").substr(read_file(dir / "shard-1/summary.csv").find('\n') + 1, 4),
            "r01,");
  EXPECT_TRUE(fs::is_directory(dir / "shard-1/runs/r04"));
  EXPECT_FALSE(fs::exists(dir / "shard-1/runs/r03"));

  EXPECT_EQ(merge_campaign_shards(dir / "merged", {dir / "shard-0", dir / "shard-1", dir / "shard-2"}), 0);
  for (const char* name : {"summary.csv", "summary_by_point.csv", "runs.csv", "campaign.resolved.yaml"})
    EXPECT_EQ(read_file(dir / ("merged/" + std::string(name))), read_file(dir / ("single/" + std::string(name))))
        << name;
  EXPECT_EQ(read_file(dir / "merged/runs/r04/run.log"), "fake run r04 seed 1\n");

  // Merging into one of the shards works too.
  EXPECT_EQ(merge_campaign_shards(dir / "shard-0", {dir / "shard-0", dir / "shard-1", dir / "shard-2"}), 0);
  EXPECT_EQ(read_file(dir / "shard-0/summary.csv"), read_file(dir / "single/summary.csv"));
}

TEST(CampaignRunner, MergeNamesMissingRunsAndForeignShards)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, kGrid);
  ASSERT_EQ(run(file, dir / "shard-0", 1, kOk, false, {0, 3}), 0);
  ASSERT_EQ(run(file, dir / "shard-2", 1, kOk, false, {2, 3}), 0);
  EXPECT_EQ(config_error([&] {
              merge_campaign_shards(dir / "m", {dir / "shard-0", dir / "shard-2"});
            }),
            "merge: 4 of 12 run(s) are in none of the shards: r01, r04, r07, r10; run their shard again with --resume, "
            "then merge again");

  TempDir other;
  const std::string other_file = test::write_campaign(other, "sweep:\n  x: [1, 2, 3]\n  y: [a, c]\nseeds: [1, 2]\n");
  ASSERT_EQ(run(other_file, other / "shard-1", 1, kOk, false, {1, 3}), 0);
  EXPECT_EQ(config_error([&] {
              merge_campaign_shards(dir / "m", {dir / "shard-0", other / "shard-1"});
            }),
            other / "shard-1" + ": comes from another campaign than " + (dir / "shard-0") + " (runs.csv differs)");
  EXPECT_EQ(config_error([&] {
              merge_campaign_shards(other / "shard-1", {dir / "shard-0", dir / "shard-2"});
            }),
            other / "shard-1" + ": holds another campaign (runs.csv differs from the shards'); use another --out");
  EXPECT_FALSE(fs::exists(dir / "m")); // nothing is created when the merge is refused
  EXPECT_EQ(config_error([&] { merge_campaign_shards(dir / "m", {dir / "nope"}); }),
            dir / "nope" + ": shard folder not found");
}

TEST(CampaignRunner, SigkillMidwayThenResumeGivesTheSameSummary)
{
  TempDir dir;
  const std::string file =
      test::write_campaign(dir, "sweep:\n  x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nseeds: [1, 2, 3]\n");
  ASSERT_EQ(run(file, dir / "reference", 2), 0);

  const std::string out = dir / "killed";
  // The campaign's runs outlive it for a moment (PR_SET_PDEATHSIG kills them asynchronously): as a subreaper, this
  // process inherits them and can wait for every one, instead of sleeping and hoping.
  ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::map<std::string, RunFunction> slow{{"simulate", [](const RunSpec& s, const std::string& o) {
                                                     std::this_thread::sleep_for(std::chrono::milliseconds(20));
                                                     test::fake_ok(s, o);
                                                   }}};
    _exit(run(file, out, 2, slow));
  }
  // Kill the campaign (and, through PR_SET_PDEATHSIG, its running children) once some runs are done.
  auto count_done = [&] {
    std::size_t n = 0;
    std::error_code ec;
    if (fs::is_directory(out + "/runs", ec))
      for (const auto& e : fs::directory_iterator(out + "/runs"))
        n += e.path().extension().empty() ? 1 : 0;
    return n;
  };
  // A bound that a machine many times slower still meets: the runs take about 20 ms each.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (count_done() < 8 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  const std::size_t done = count_done();
  EXPECT_GE(done, 8U);
  EXPECT_LT(done, 30U);
  EXPECT_FALSE(fs::exists(out + "/summary.csv"));
  while (waitpid(-1, nullptr, 0) > 0) // the orphaned runs, reparented here
    ;

  EXPECT_EQ(run(file, out, 2, kOk, true), 0);
  EXPECT_EQ(read_file(out + "/summary.csv"), read_file(dir / "reference/summary.csv"));
  EXPECT_EQ(read_file(out + "/summary_by_point.csv"), read_file(dir / "reference/summary_by_point.csv"));
}

TEST(CampaignRunner, DryRunListsTheRunsAndRunsNothing)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, "sweep:\n  gamma: [10, 100]\n  uplink: [3g, wifi]\nseeds: [1]\n");
  char* buf              = nullptr;
  std::size_t size       = 0;
  std::FILE* mem         = open_memstream(&buf, &size);
  CampaignOptions o;
  o.file    = file;
  o.out_dir = dir / "out";
  o.dry_run = true;
  o.shard   = {1, 2};
  o.listing = mem;
  EXPECT_EQ(run_campaign(o, kOk), 0);
  std::fclose(mem);
  const std::string text(buf, size);
  std::free(buf);
  EXPECT_EQ(text, "run_id  gamma  uplink  seed\n"
                  "r1      10     wifi    1\n"
                  "r3      100    wifi    1\n"
                  "2 of 4 runs (4 points x 1 seeds)\n");
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(CampaignCommand, ParseShardStrictly)
{
  EXPECT_EQ(parse_shard("2/5").index, 2U);
  EXPECT_EQ(parse_shard("2/5").count, 5U);
  EXPECT_EQ(parse_shard("0/1").count, 1U);
  for (const char* bad : {"3/3", "0/0", "x/y", "1/", "/2", "-1/2", "1/2/3", "1", "", " 1/2", "1/+2"})
    EXPECT_EQ(config_error([&] { parse_shard(bad); }),
              fmt::format("--shard must be I/N with 0 <= I < N, e.g. 0/4 (got '{}')", bad));
}

TEST(CampaignCommand, JobsAndMergeOptions)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, "");
  CampaignCommandOptions o;
  o.file = file;
  o.jobs = -1;
  EXPECT_EQ(config_error([&] { run_campaign_command(o, kOk); }),
            "-j must be a number of parallel runs >= 1, or 0 for one per core (got -1)");
  o.jobs                 = 0;
  o.out_dir              = dir / "out";
  o.shard                = "0/1";
  std::size_t preflights = 0;
  EXPECT_EQ(run_campaign_command(o, kOk, [&](const RunSpec&) { ++preflights; }), 0);
  EXPECT_EQ(preflights, 1U);
  EXPECT_EQ(config_error([&] { run_merge_command({"", {dir / "out"}}); }), "merge: --out DIR is required");
  EXPECT_EQ(config_error([&] { run_merge_command({dir / "m", {}}); }), "merge needs at least one shard folder");
  EXPECT_EQ(run_merge_command({dir / "m", {dir / "out"}}), 0);
}

TEST(CampaignCommand, PreflightErrorStopsBeforeAnyRun)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, "sweep:\n  x: [1, 2, 3]\nseeds: [1, 2]\n");
  CampaignCommandOptions o;
  o.file    = file;
  o.out_dir = dir / "out";
  std::vector<std::string> seen;
  EXPECT_EQ(config_error([&] {
              run_campaign_command(o, kOk, [&](const RunSpec& r) {
                seen.push_back(r.run_id);
                if (r.point_index == 1)
                  throw ConfigError("scenario.yaml:1:1: bad x");
              });
            }),
            "scenario.yaml:1:1: bad x");
  EXPECT_EQ(seen, (std::vector<std::string>{"r0", "r2"}));
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(RunPool, DescribeSignal)
{
  EXPECT_EQ(describe_signal(SIGSEGV), "signal 11 (Segmentation fault)");
  EXPECT_EQ(describe_signal(SIGABRT), "signal 6 (Aborted)");
  EXPECT_EQ(describe_signal(SIGKILL), "signal 9 (Killed)");
}

} // namespace
} // namespace popex

namespace popex {
namespace {

TEST(CampaignRunner, ASecondCampaignOnTheSameFolderIsRefused)
{
  // flock() conflicts between two open files even within one process: holding the lock here stands for a first
  // campaign still running, without any race.
  TempDir dir;
  const std::string file = test::write_campaign(dir, kGrid);
  const std::string out  = dir / "out";
  ASSERT_EQ(run(file, out, 1), 0);
  {
    const CampaignLock first(out);
    const std::string msg = config_error([&] { run(file, out, 1, kOk, true); });
    EXPECT_EQ(msg.rfind(out + " is in use by another popex-sim (pid " + std::to_string(getpid()) + " on ", 0), 0U)
        << msg;
    EXPECT_NE(msg.find("; wait for it to end, or use another --out"), std::string::npos) << msg;
    EXPECT_EQ(config_error([&] { merge_campaign_shards(out, {out}); }).substr(0, msg.size()), msg);
  }
  EXPECT_EQ(run(file, out, 1, kOk, true), 0); // released with its holder
}

TEST(CampaignRunner, ResumeRedoesRunsWhoseResultsDoNotCheckOut)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, kGrid);
  ASSERT_EQ(run(file, dir / "reference", 2), 0);
  const std::string out = dir / "out";
  ASSERT_EQ(run(file, out, 2), 0);
  // Damage three runs by hand: a summary deleted, one cut inside its last value, one emptied.
  fs::remove(out + "/runs/r01/summary.csv");
  const std::string r4 = read_file(out + "/runs/r04/summary.csv");
  test::write_file(out + "/runs/r04/summary.csv", r4.substr(0, r4.size() - 2));
  test::write_file(out + "/runs/r07/summary.csv", "");
  fs::remove(out + "/summary.csv");
  const std::map<std::string, RunFunction> counting{{"simulate", [&](const RunSpec& s, const std::string& o) {
                                                      test::write_file(dir.path() / ("called-" + s.run_id), "");
                                                      test::fake_ok(s, o);
                                                    }}};
  EXPECT_EQ(run(file, out, 1, counting, true), 0);
  for (const char* id : {"r01", "r04", "r07"})
    EXPECT_TRUE(fs::exists(dir.path() / (std::string("called-") + id))) << id << " was not redone";
  EXPECT_FALSE(fs::exists(dir.path() / "called-r00")); // intact runs are kept
  EXPECT_EQ(read_file(out + "/summary.csv"), read_file(dir / "reference/summary.csv"));
  const std::string log = read_file(out + "/campaign.log");
  EXPECT_NE(log.find("run r04 redone: summary.csv is cut short (no final line break)"), std::string::npos) << log;
  EXPECT_NE(log.find("run r01 redone: the run wrote no summary.csv"), std::string::npos) << log;
}

TEST(CampaignRunner, AnImagesCsvThatDisagreesWithItsSummaryIsRedone)
{
  // images.csv must hold one row per image the summary counts (a run folder cut by a full disk, or by hand).
  TempDir dir;
  const std::string file = test::write_campaign(dir, "sweep:\n  x: [1]\n");
  const std::string out  = dir / "out";
  ASSERT_EQ(run(file, out, 1), 0);
  test::write_file(out + "/runs/r0/images.csv", "image_id\n0\n1\n"); // the fake summary says 100 images
  EXPECT_EQ(run(file, out, 1, kOk, true), 0);
  EXPECT_NE(read_file(out + "/campaign.log").find("run r0 redone: images.csv has 2 rows but summary.csv says 100"),
            std::string::npos);
}

TEST(CampaignRunner, DryRunValidatesWhatTheRunValidates)
{
  TempDir dir;
  const std::string file = test::write_campaign(dir, "sweep:\n  gamm: [1, 2]\n");
  CampaignOptions o;
  o.file      = file;
  o.out_dir   = dir / "out";
  o.dry_run   = true;
  o.preflight = [](const RunSpec& r) {
    for (const auto& [key, value] : r.overrides)
      if (key == "gamm")
        throw ConfigError("--set gamm=1: scenario: unknown key 'gamm'");
  };
  EXPECT_EQ(config_error([&] { run_campaign(o, kOk); }), "--set gamm=1: scenario: unknown key 'gamm'");
}

} // namespace
} // namespace popex
