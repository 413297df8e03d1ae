#include "campaign/campaign_merge.hpp"
#include "campaign/campaign_lock.hpp"
#include "io/input_file.hpp"

#include "campaign/campaign_csv.hpp"
#include "campaign/campaign_log.hpp"
#include "campaign/campaign_summary.hpp"
#include "campaign/run_folder.hpp"
#include "campaign/run_table.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <optional>

namespace fs = std::filesystem;

namespace popex {

namespace {
const char* const kIdentityFiles[] = {"runs.csv", "campaign.resolved.yaml"};

/** Recreates the tree `from` at `to` with hard links, or copies where links are impossible (another file system). */
void link_tree(const fs::path& from, const fs::path& to)
{
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(from)) {
    const fs::path target = to / entry.path().filename();
    if (entry.is_directory()) {
      link_tree(entry.path(), target);
      continue;
    }
    std::error_code ec;
    fs::create_hard_link(entry.path(), target, ec);
    if (ec)
      fs::copy_file(entry.path(), target, fs::copy_options::overwrite_existing);
  }
}

bool same_path(const fs::path& a, const fs::path& b)
{
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

std::string list_ids(const std::vector<std::string>& ids)
{
  constexpr std::size_t shown = 20;
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < shown; ++i)
    out += (i ? ", " : "") + ids[i];
  if (ids.size() > shown)
    out += fmt::format(" and {} more", ids.size() - shown);
  return out;
}
} // namespace

int merge_campaign_shards(const std::string& out_dir, const std::vector<std::string>& shard_dirs)
{
  if (shard_dirs.empty())
    throw ConfigError("merge needs at least one shard folder");
  std::error_code out_ec;
  if (fs::exists(out_dir, out_ec) && !fs::is_directory(out_dir, out_ec))
    throw ConfigError(fmt::format("--out must be a directory (got {}, {})", out_dir, describe_file_type(out_dir)));
  std::string identity[2];
  for (const auto& dir : shard_dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
      throw ConfigError(fmt::format("{}: shard folder not found", dir));
    for (std::size_t k = 0; k < 2; ++k) {
      const fs::path file = fs::path(dir) / kIdentityFiles[k];
      if (!fs::is_regular_file(file, ec))
        throw ConfigError(fmt::format("{}: not a campaign output folder (no {})", dir, kIdentityFiles[k]));
      const std::string text = read_text_file(file);
      if (&dir == &shard_dirs.front())
        identity[k] = text;
      else if (text != identity[k])
        throw ConfigError(fmt::format("{}: comes from another campaign than {} ({} differs)", dir, shard_dirs.front(),
                                      kIdentityFiles[k]));
    }
  }
  const RunTable table = RunTable::parse(identity[0], (fs::path(shard_dirs.front()) / "runs.csv").string());

  const fs::path out = out_dir;
  for (std::size_t k = 0; k < 2; ++k) {
    const fs::path file = out / kIdentityFiles[k];
    std::error_code ec;
    if (fs::exists(file, ec) && read_text_file(file) != identity[k])
      throw ConfigError(fmt::format("{}: holds another campaign ({} differs from the shards'); use another --out",
                                    out.string(), kIdentityFiles[k]));
  }
  // The output folder counts as a source too: merging again, or into one of the shards, only adds what is new.
  std::vector<fs::path> sources{out / "runs"};
  for (const auto& dir : shard_dirs)
    sources.push_back(fs::path(dir) / "runs");
  struct Pick {
    fs::path from;  // the chosen run folder
    fs::path to;    // its place in out/runs
    fs::path stale; // the other kind of folder of this run in out/runs, removed after linking
  };
  std::vector<Pick> picks;
  std::vector<std::string> missing;
  for (const auto& row : table.rows) {
    std::optional<RunFolder> ok, failed;
    for (const auto& src : sources) {
      const RunFolder f{src, row.run_id};
      std::error_code ec;
      if (!ok && fs::is_directory(f.done(), ec))
        ok = f;
      if (!failed && fs::is_directory(f.failed(), ec))
        failed = f;
    }
    const RunFolder dest{out / "runs", row.run_id};
    if (ok)
      picks.push_back({ok->done(), dest.done(), dest.failed()});
    else if (failed)
      picks.push_back({failed->failed(), dest.failed(), {}});
    else
      missing.push_back(row.run_id);
  }
  if (!missing.empty())
    throw ConfigError(fmt::format("merge: {} of {} run(s) are in none of the shards: {}; run their shard again with "
                                  "--resume, then merge again",
                                  missing.size(), table.rows.size(), list_ids(missing)));

  make_output_dir(out, "--out");
  const CampaignLock lock(out);
  fs::create_directories(out / "runs");
  for (std::size_t k = 0; k < 2; ++k)
    if (!fs::exists(out / kIdentityFiles[k]))
      write_file_atomically(out / kIdentityFiles[k], identity[k]);

  std::size_t linked = 0;
  for (const auto& p : picks) {
    if (!same_path(p.from, p.to)) {
      const fs::path tmp = p.to.string() + ".tmp";
      fs::remove_all(tmp);
      link_tree(p.from, tmp);
      fs::remove_all(p.to);
      fs::rename(tmp, p.to);
      ++linked;
    }
    if (!p.stale.empty())
      fs::remove_all(p.stale);
  }

  std::vector<std::size_t> rows(table.rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    rows[i] = i;
  const SummaryCounts counts = write_campaign_summaries(out, table, rows);
  CampaignLog log(out / "campaign.log");
  std::string dirs;
  for (const auto& d : shard_dirs)
    dirs += " " + d;
  log.note(fmt::format("merge of{}: {} run folder(s) linked; ok {} failed {}", dirs, linked, counts.ok, counts.failed));
  if (counts.failed > 0)
    fmt::print(stderr, "popex-sim: {} of {} run(s) failed; see {}\n", counts.failed, table.rows.size(),
               (out / "summary.csv").string());
  return counts.failed > 0 ? 1 : 0;
}

} // namespace popex
