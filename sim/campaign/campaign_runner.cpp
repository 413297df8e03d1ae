#include "campaign/campaign_runner.hpp"
#include "campaign/campaign_lock.hpp"

#include "campaign/campaign_csv.hpp"
#include "campaign/campaign_log.hpp"
#include "campaign/campaign_summary.hpp"
#include "campaign/progress_bar.hpp"
#include "campaign/run_folder.hpp"
#include "campaign/run_pool.hpp"
#include "campaign/run_table.hpp"
#include "config/overrides.hpp"
#include "config/yaml_node.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include <unistd.h>

namespace fs = std::filesystem;

namespace popex {

namespace {
YAML::Node overrides_node(const std::vector<std::pair<std::string, std::string>>& overrides)
{
  YAML::Node n(YAML::NodeType::Map);
  for (const auto& [key, text] : overrides)
    n[key] = YAML::Load(text);
  return n;
}

void print_run_list(std::FILE* out, const Campaign& campaign, const std::vector<const RunSpec*>& runs,
                    std::size_t total)
{
  std::vector<std::string> header{"run_id"};
  for (const auto& name : campaign.axis_names())
    header.push_back(name);
  header.emplace_back("seed");
  std::vector<std::vector<std::string>> table{header};
  for (const RunSpec* r : runs) {
    std::vector<std::string> row{r->run_id};
    for (const auto& [key, text] : r->axes)
      row.push_back(text);
    row.push_back(std::to_string(r->seed));
    table.push_back(std::move(row));
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& row : table)
    for (std::size_t i = 0; i < row.size(); ++i)
      width[i] = std::max(width[i], row[i].size());
  for (const auto& row : table) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i)
      line += i + 1 < row.size() ? fmt::format("{:<{}}  ", row[i], width[i]) : row[i];
    fmt::print(out, "{}\n", line);
  }
  fmt::print(out, "{} of {} runs ({} points x {} seeds)\n", runs.size(), total, campaign.point_count(),
             campaign.seeds.size());
}

/** Writes `name` in `out` or, if it is there, checks it is the same: a folder holds one campaign. */
void write_or_check(const fs::path& out, const std::string& name, const std::string& text, const Campaign& campaign)
{
  const fs::path path = out / name;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    if (read_text_file(path) != text)
      throw ConfigError(fmt::format("{}: holds another campaign ({} differs from the expansion of {}); use another "
                                    "--out, or remove the folder",
                                    out.string(), name, campaign.file));
    return;
  }
  write_file_atomically(path, text);
}
} // namespace

std::string resolved_campaign_yaml(const Campaign& campaign, const std::vector<RunSpec>& runs)
{
  YAML::Node y(YAML::NodeType::Map);
  y["name"]     = campaign.name;
  y["scenario"] = campaign.scenario;
  y["mode"]     = campaign.mode;
  YAML::Node seeds(YAML::NodeType::Sequence);
  for (const long long s : campaign.seeds)
    seeds.push_back(s);
  y["seeds"] = seeds;
  y["set"]   = overrides_node(campaign.set);
  YAML::Node sweep(YAML::NodeType::Map);
  YAML::Node zip(YAML::NodeType::Sequence);
  for (const auto& g : campaign.groups) {
    YAML::Node group(YAML::NodeType::Map);
    for (const auto& a : g.axes) {
      YAML::Node values(YAML::NodeType::Sequence);
      for (const auto& v : a.values)
        values.push_back(YAML::Load(v.yaml));
      (g.zipped ? group : sweep)[a.key] = values;
    }
    if (g.zipped)
      zip.push_back(group);
  }
  y["sweep"]       = sweep;
  y["zip"]         = zip;
  std::string text = fmt::format("# Campaign '{}' as expanded: {} runs, each = scenario + `set` in order + seed.\n"
                                 "# The scenario path is relative to the campaign file. See docs/campaigns.md.\n",
                                 campaign.name, runs.size());
  text += to_block_yaml(y);
  text += "runs:\n";
  for (const auto& r : runs)
    text += fmt::format("  - {{run_id: {}, point: {}, seed: {}, set: {}}}\n", r.run_id, r.point_index, r.seed,
                        to_flow_yaml(overrides_node(r.overrides)));
  return text;
}

int run_campaign(const CampaignOptions& options, const std::map<std::string, RunFunction>& by_mode)
{
  const Campaign campaign         = load_campaign(options.file);
  const std::vector<RunSpec> runs = expand_runs(campaign);
  if (options.shard.count == 0 || options.shard.index >= options.shard.count)
    throw ConfigError(
        fmt::format("--shard must be I/N with 0 <= I < N (got {}/{})", options.shard.index, options.shard.count));
  std::vector<const RunSpec*> selected;
  for (const auto& r : runs)
    if (r.index % options.shard.count == options.shard.index)
      selected.push_back(&r);

  const auto fn_it = by_mode.find(campaign.mode);
  if (fn_it == by_mode.end()) {
    std::vector<std::string> available;
    for (const auto& [mode, fn] : by_mode)
      available.push_back(mode);
    throw ConfigError(fmt::format("{}: mode '{}' is not available here (available: {})", campaign.file, campaign.mode,
                                  join_names(available)));
  }
  if (options.preflight) {
    std::size_t last_point = runs.size();
    for (const RunSpec* r : selected)
      if (r->point_index != last_point) {
        options.preflight(*r);
        last_point = r->point_index;
      }
  }
  // After the checks: a dry run validates exactly what the run validates.
  if (options.dry_run) {
    print_run_list(options.listing, campaign, selected, runs.size());
    return 0;
  }

  const fs::path out   = options.out_dir.empty() ? fs::path("results") / campaign.name : fs::path(options.out_dir);
  const RunTable table = RunTable::from_runs(campaign, runs);
  make_output_dir(out, "--out");
  const CampaignLock lock(out);
  fs::create_directories(out / "runs");
  write_or_check(out, "runs.csv", table.to_csv(), campaign);
  write_or_check(out, "campaign.resolved.yaml", resolved_campaign_yaml(campaign, runs), campaign);

  std::vector<const RunSpec*> to_run;
  std::vector<std::string> existing;
  std::vector<std::string> damaged;
  std::size_t already_done = 0;
  for (const RunSpec* r : selected) {
    const RunFolder folder{out / "runs", r->run_id};
    std::error_code ec;
    bool done         = fs::is_directory(folder.done(), ec);
    const bool failed = fs::is_directory(folder.failed(), ec);
    if (!options.resume && (done || failed))
      existing.push_back(r->run_id);
    if (options.resume && done) {
      try {
        check_run_results(folder);
        ++already_done;
        continue;
      } catch (const std::exception& e) {
        // Damaged since (a file deleted or cut by hand, a full disk): redo it, never trust it.
        damaged.push_back(fmt::format("run {} redone: {}", r->run_id, e.what()));
        fs::remove_all(folder.done());
      }
    }
    fs::remove_all(folder.tmp()); // left over by a killed campaign
    to_run.push_back(r);
  }
  if (!existing.empty())
    throw ConfigError(fmt::format("{}: already holds results of {} run(s) of this campaign ({}{}); pass --resume to "
                                  "finish it, or use another --out",
                                  out.string(), existing.size(), existing.front(),
                                  existing.size() > 1 ? fmt::format(" .. {}", existing.back()) : std::string()));

  const unsigned jobs = options.jobs > 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
  CampaignLog log(out / "campaign.log");
  log.start(campaign, options, jobs, selected.size(), runs.size(), already_done);
  for (const auto& note : damaged)
    log.note(note);

  ProgressBar bar(selected.size(), already_done, isatty(STDERR_FILENO) == 1);
  bar.draw();
  if (!to_run.empty() && options.before_runs)
    options.before_runs(campaign.mode);
  PoolOptions pool{out / "runs", jobs, campaign.timeout_s, 0.5};
  run_forked(
      to_run, fn_it->second, pool,
      [&](const RunSpec& spec, const RunOutcome& outcome) {
        log.run(spec, outcome);
        bar.run_done(outcome.ok);
      },
      [&] { bar.draw(); });
  bar.finish();

  std::vector<std::size_t> rows;
  for (const RunSpec* r : selected)
    rows.push_back(r->index);
  const SummaryCounts counts = write_campaign_summaries(out, table, rows);
  log.end(counts.ok, counts.failed);
  if (counts.failed > 0)
    fmt::print(stderr, "popex-sim: {} of {} run(s) failed; see {}\n", counts.failed, selected.size(),
               (out / "summary.csv").string());
  return counts.failed > 0 ? 1 : 0;
}

} // namespace popex
