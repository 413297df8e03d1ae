// A stand-in for `popex-sim campaign|merge` whose runs are fake (tests/unit/campaign/campaign_test_util.hpp), so
// that shell tests can drive the real campaign code through GNU parallel, SIGKILL, etc., without SimGrid.
#include "campaign/campaign_command.hpp"
#include "core/config_error.hpp"

#include "campaign_test_util.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <chrono>
#include <thread>

int main(int argc, char** argv)
{
  CLI::App app{"Fake popex-sim campaign runner for tests"};
  app.require_subcommand(1);
  popex::CampaignCommandOptions c;
  int sleep_ms   = 0;
  auto* campaign = app.add_subcommand("campaign", "Run a campaign of fake runs");
  campaign->add_option("file", c.file)->required();
  campaign->add_option("-j", c.jobs);
  campaign->add_option("--out", c.out_dir);
  campaign->add_flag("--resume", c.resume);
  campaign->add_option("--shard", c.shard);
  campaign->add_flag("--dry-run", c.dry_run);
  campaign->add_option("--sleep-ms", sleep_ms, "Wall time of each fake run, ms");
  popex::MergeCommandOptions m;
  auto* merge = app.add_subcommand("merge", "Merge shards");
  merge->add_option("--out", m.out_dir)->required();
  merge->add_option("shards", m.shard_dirs)->required();
  CLI11_PARSE(app, argc, argv);
  try {
    if (merge->parsed())
      return popex::run_merge_command(m);
    const popex::RunFunction fn = [sleep_ms](const popex::RunSpec& spec, const std::string& out) {
      std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
      popex::test::fake_behaving(spec, out);
    };
    return popex::run_campaign_command(c, {{"simulate", fn}});
  } catch (const popex::ConfigError& e) {
    fmt::print(stderr, "popex_campaign_fake: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "popex_campaign_fake: internal error: {}\n", e.what());
    return 1;
  }
}
