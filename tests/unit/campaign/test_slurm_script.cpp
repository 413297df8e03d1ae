// The Slurm scripts of `popex-sim campaign --slurm`: their text, written out by hand, and the checks of the options.
// The e2e test tests/cli/slurm_e2e.sh runs them on a real one-node Slurm.
#include "../test_helpers.hpp"
#include "campaign/slurm_script.hpp"
#include "core/config_error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace popex {
namespace {

SlurmJobOptions example()
{
  SlurmJobOptions o;
  o.campaign_name = "real";
  o.popex_sim     = "/opt/popex/bin/popex-sim";
  o.campaign_file = "/home/ana/popex/tests/data/campaign/real.yaml";
  o.out_dir       = "/scratch/ana/real";
  o.work_dir      = "/home/ana/popex";
  o.shards        = 4;
  o.runs          = 18;
  o.jobs_per_task = 2;
  o.partition     = "short";
  o.time_limit    = "1:30:00";
  return o;
}

TEST(SlurmScript, ArrayScriptRunsOneShardPerTask)
{
  // 4 shards -> --array=0-3; -j 2 -> --cpus-per-task=2 and -j 2 per task; logs under OUT/slurm, % doubled.
  const std::string want = R"(#!/bin/bash
# Campaign 'real' on Slurm, written by `popex-sim campaign --slurm`: 18 runs in 4 shards, one array
# task per shard, each running its shard's runs 2 at a time into OUT/shard-<task>.
# Submit it with its merge step in one command: bash '/scratch/ana/real/slurm/submit.sh'
#SBATCH --job-name=popex-real
#SBATCH --array=0-3
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --time=1:30:00
#SBATCH --partition=short
#SBATCH --output="/scratch/ana/real/slurm/array-%A_%a.out"
set -euo pipefail
: "${SLURM_ARRAY_TASK_ID:?run this script with sbatch, as an array job}"
n=4
out='/scratch/ana/real'
cd '/home/ana/popex'
# --resume: a requeued or resubmitted task goes on where its shard stopped.
exec '/opt/popex/bin/popex-sim' campaign '/home/ana/popex/tests/data/campaign/real.yaml' -j 2 --resume --shard "$SLURM_ARRAY_TASK_ID/$n" \
  --out "$out/shard-$SLURM_ARRAY_TASK_ID"
)";
  EXPECT_EQ(make_slurm_scripts(example()).array, want);
}

TEST(SlurmScript, MergeScriptMergesEveryShardIntoOut)
{
  const std::string want = R"(#!/bin/bash
# The merge step of campaign 'real', written by `popex-sim campaign --slurm`: puts the 4 shards together
# into OUT (summary.csv, summary_by_point.csv, runs/). submit.sh submits it to start once every array task
# has ended (afterany: a shard with a failed run exits 1, and the merge still reports it).
#SBATCH --job-name=popex-real-merge
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --time=1:30:00
#SBATCH --partition=short
#SBATCH --output="/scratch/ana/real/slurm/merge-%j.out"
set -euo pipefail
out='/scratch/ana/real'
shards=()
for ((i = 0; i < 4; i++)); do shards+=("$out/shard-$i"); done
cd '/home/ana/popex'
exec '/opt/popex/bin/popex-sim' merge --out "$out" "${shards[@]}"
)";
  EXPECT_EQ(make_slurm_scripts(example()).merge, want);
}

TEST(SlurmScript, SubmitScriptChainsTheMergeAfterTheArray)
{
  const std::string want = R"(#!/bin/bash
# Submits campaign 'real' to Slurm, written by `popex-sim campaign --slurm`: the array of 4 shards,
# then the merge step, which starts once every array task has ended. Prints both job ids.
# Run it from any folder: bash '/scratch/ana/real/slurm/submit.sh'
set -euo pipefail
dir='/scratch/ana/real/slurm'
array=$(sbatch --parsable "$dir/array.sbatch")
array=${array%%;*}
if ! merge=$(sbatch --parsable --dependency=afterany:"$array" "$dir/merge.sbatch"); then
  echo "submit.sh: array job $array is queued, but its merge step was not; submit it with:" \
    "sbatch --dependency=afterany:$array $dir/merge.sbatch" >&2
  exit 1
fi
merge=${merge%%;*}
echo "array job $array: 4 shard(s), logs in $dir/array-${array}_<task>.out"
echo "merge job $merge: after the array, merges into ${dir%/*}"
)";
  EXPECT_EQ(make_slurm_scripts(example()).submit, want);
}

TEST(SlurmScript, NoPartitionNoTimeLimitMeansNoLines)
{
  SlurmJobOptions o = example();
  o.partition.clear();
  o.time_limit.clear();
  o.shards             = 1;
  const SlurmScripts s = make_slurm_scripts(o);
  EXPECT_EQ(s.array.find("--partition"), std::string::npos);
  EXPECT_EQ(s.array.find("--time"), std::string::npos);
  EXPECT_EQ(s.merge.find("--partition"), std::string::npos);
  EXPECT_NE(s.array.find("#SBATCH --array=0-0\n"), std::string::npos);
}

TEST(SlurmScript, PathsAndSimGridArgumentsAreQuoted)
{
  SlurmJobOptions o    = example();
  o.out_dir            = "/tmp/it's 50% \"done\" #1";
  o.simgrid_args       = {"--cfg=network/model:CM02", "--log=root.thres:critical"};
  const SlurmScripts s = make_slurm_scripts(o);
  // #SBATCH: in double quotes, " as \" and the folder's % as %% (sbatch reads '#' inside quotes as text); Slurm's
  // own %A and %a stay single.
  EXPECT_NE(s.array.find(R"(#SBATCH --output="/tmp/it's 50%% \"done\" #1/slurm/array-%A_%a.out")"), std::string::npos);
  // bash: in single quotes, ' as '\''.
  EXPECT_NE(s.array.find(R"(out='/tmp/it'\''s 50% "done" #1')"), std::string::npos);
  EXPECT_NE(s.array.find(R"(--out "$out/shard-$SLURM_ARRAY_TASK_ID" '--cfg=network/model:CM02' )"
                         R"('--log=root.thres:critical')"),
            std::string::npos);
  EXPECT_NE(s.submit.find(R"(dir='/tmp/it'\''s 50% "done" #1/slurm')"), std::string::npos);
}

TEST(SlurmScript, ShellQuote)
{
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("/a b"), "'/a b'");
  EXPECT_EQ(shell_quote("it's"), R"('it'\''s')");
  EXPECT_EQ(shell_quote("$HOME `x` \\"), R"('$HOME `x` \')");
}

TEST(SlurmScript, SbatchOutputPath)
{
  EXPECT_EQ(sbatch_output_path("/a b%", "x-%j.out"), R"("/a b%%/x-%j.out")");
  EXPECT_EQ(sbatch_output_path("/q\"x", "m.out"), R"("/q\"x/m.out")");
}

TEST(SlurmScript, DefaultShardsGiveEachTaskAboutOneRunPerCpu)
{
  EXPECT_EQ(default_slurm_shards(18, 1), 18U);     // 18 runs / 1 CPU
  EXPECT_EQ(default_slurm_shards(18, 4), 5U);      // ceil(18 / 4) = 5
  EXPECT_EQ(default_slurm_shards(3, 8), 1U);       // ceil(3 / 8) = 1
  EXPECT_EQ(default_slurm_shards(5000, 1), 1000U); // capped at kSlurmMaxShards
}

TEST(SlurmScript, TimeLimitForms)
{
  for (const char* ok : {"30", "30:00", "2:00:00", "100:00:00", "1-0", "1-12", "1-12:30", "1-12:30:15", "0:1", "365-0"})
    EXPECT_NO_THROW(check_slurm_time_limit(ok)) << ok;
  const std::string rule = "--time-limit must be a Slurm time above 0 and at most 365 days: MINUTES, "
                           "MINUTES:SECONDS, HOURS:MINUTES:SECONDS, DAYS-HOURS, DAYS-HOURS:MINUTES or "
                           "DAYS-HOURS:MINUTES:SECONDS, e.g. 2:00:00 ";
  EXPECT_THROW_MSG(check_slurm_time_limit("2h"), rule + "(got '2h')");
  for (const char* bad : {"",   "0",  "0:00", "0-0",   "1:60", "1:60:00", "1-24", "1-1:60", "1:2:3:4",     "1--2",
                          ":5", "-5", "1-",   "366-0", "1e3",  " 30",     "30 ",  "+30",    "99999999999", "INFINITE"})
    EXPECT_THROW(check_slurm_time_limit(bad), ConfigError) << bad;
}

TEST(SlurmScript, PartitionNames)
{
  for (const char* ok : {"short", "gpu-a100", "debug.1", "a_b", "short,long"})
    EXPECT_NO_THROW(check_slurm_partition(ok)) << ok;
  EXPECT_THROW_MSG(check_slurm_partition("a b"), "--partition must be a Slurm partition name (letters, digits, "
                                                 "'_', '.', '-'), or several separated by commas (got 'a b')");
  for (const char* bad : {"", ",", "a,", "a;b", "a\nb", "$(x)", "é"})
    EXPECT_THROW(check_slurm_partition(bad), ConfigError) << bad;
}

TEST(SlurmScript, Paths)
{
  EXPECT_NO_THROW(check_slurm_path("--out", "/tmp/it's 50% \"x\" #1", true));
  EXPECT_NO_THROW(check_slurm_path("the campaign file", "/tmp/a\\b.yaml", false));
  EXPECT_THROW_MSG(check_slurm_path("--out", "/tmp/a\\b", true),
                   "--slurm: the path of --out must not contain a backslash: Slurm cannot open job logs there "
                   "(got '/tmp/a\\b')");
  EXPECT_THROW_MSG(check_slurm_path("the campaign file", "/tmp/a\nb", false),
                   "--slurm: the path of the campaign file must not contain control characters such as a newline "
                   "(got byte 0x0a in '/tmp/a\nb')");
}

} // namespace
} // namespace popex
