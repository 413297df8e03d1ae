#include "campaign/slurm_script.hpp"

#include "core/config_error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace popex {

namespace {
/** The #SBATCH lines every job shares: the limits the user gave, or none (the partition's defaults). */
std::string common_sbatch_lines(const SlurmJobOptions& o)
{
  std::string s;
  if (!o.time_limit.empty())
    s += fmt::format("#SBATCH --time={}\n", o.time_limit);
  if (!o.partition.empty())
    s += fmt::format("#SBATCH --partition={}\n", o.partition);
  return s;
}

std::string slurm_dir(const SlurmJobOptions& o)
{
  return o.out_dir + "/" + kSlurmDir;
}

bool parse_field(std::string_view text, unsigned long long& out)
{
  // Nine digits at most: no overflow, and far beyond any limit checked below.
  if (text.empty() || text.size() > 9)
    return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

/** Splits at `sep`; the parts may be empty. */
std::vector<std::string_view> split(std::string_view text, char sep)
{
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == sep) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  return parts;
}

/** The seconds of a Slurm time limit, or -1 if `text` is not one of its six forms (with fields in range). */
long long slurm_time_seconds(std::string_view text)
{
  unsigned long long days = 0;
  std::string_view clock  = text;
  const std::size_t dash  = text.find('-');
  if (dash != std::string_view::npos) {
    if (!parse_field(text.substr(0, dash), days))
      return -1;
    clock = text.substr(dash + 1);
  }
  const auto parts = split(clock, ':');
  if (parts.size() > 3)
    return -1;
  unsigned long long v[3] = {0, 0, 0};
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (!parse_field(parts[i], v[i]))
      return -1;
  unsigned long long seconds = 0;
  if (dash != std::string_view::npos) {
    // DAYS-HOURS[:MINUTES[:SECONDS]]
    if (v[0] >= 24 || v[1] >= 60 || v[2] >= 60)
      return -1;
    seconds = ((days * 24 + v[0]) * 60 + v[1]) * 60 + v[2];
  } else if (parts.size() == 1) { // MINUTES
    seconds = v[0] * 60;
  } else if (parts.size() == 2) { // MINUTES:SECONDS
    if (v[1] >= 60)
      return -1;
    seconds = v[0] * 60 + v[1];
  } else { // HOURS:MINUTES:SECONDS
    if (v[1] >= 60 || v[2] >= 60)
      return -1;
    seconds = (v[0] * 60 + v[1]) * 60 + v[2];
  }
  return static_cast<long long>(seconds);
}
} // namespace

std::string shell_quote(std::string_view text)
{
  std::string q = "'";
  for (const char c : text)
    q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string sbatch_output_path(std::string_view dir, std::string_view pattern)
{
  std::string q = "\"";
  for (const char c : dir) {
    if (c == '"')
      q += "\\\"";
    else if (c == '%')
      q += "%%";
    else
      q += c;
  }
  return q + "/" + std::string(pattern) + "\"";
}

std::size_t default_slurm_shards(std::size_t runs, unsigned jobs_per_task)
{
  const std::size_t per = std::max(1U, jobs_per_task);
  return std::clamp<std::size_t>((runs + per - 1) / per, 1, kSlurmMaxShards);
}

void check_slurm_partition(const std::string& text)
{
  bool ok = true;
  for (const auto part : split(text, ','))
    ok = ok && !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                  c == '-';
         });
  if (!ok)
    throw ConfigError(fmt::format("--partition must be a Slurm partition name (letters, digits, '_', '.', '-'), or "
                                  "several separated by commas (got '{}')",
                                  text));
}

void check_slurm_time_limit(const std::string& text)
{
  constexpr long long max_s = 365LL * 24 * 3600;
  const long long s         = slurm_time_seconds(text);
  if (s <= 0 || s > max_s)
    throw ConfigError(fmt::format("--time-limit must be a Slurm time above 0 and at most 365 days: MINUTES, "
                                  "MINUTES:SECONDS, HOURS:MINUTES:SECONDS, DAYS-HOURS, DAYS-HOURS:MINUTES or "
                                  "DAYS-HOURS:MINUTES:SECONDS, e.g. 2:00:00 (got '{}')",
                                  text));
}

void check_slurm_path(const std::string& what, const std::string& path, bool in_sbatch_line)
{
  const auto control = std::find_if(path.begin(), path.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
  if (control != path.end())
    throw ConfigError(fmt::format("--slurm: the path of {} must not contain control characters such as a newline "
                                  "(got byte 0x{:02x} in '{}')",
                                  what, static_cast<unsigned char>(*control), path));
  if (in_sbatch_line && path.find('\\') != std::string::npos)
    throw ConfigError(fmt::format("--slurm: the path of {} must not contain a backslash: Slurm cannot open job logs "
                                  "there (got '{}')",
                                  what, path));
}

SlurmScripts make_slurm_scripts(const SlurmJobOptions& o)
{
  const std::string dir    = slurm_dir(o);
  const std::string submit = dir + "/" + kSlurmSubmitFile;
  const std::string last   = std::to_string(o.shards - 1);
  std::string extra;
  for (const auto& a : o.simgrid_args)
    extra += " " + shell_quote(a);

  SlurmScripts s;
  s.array = fmt::format(
      "#!/bin/bash\n"
      "# Campaign '{name}' on Slurm, written by `popex-sim campaign --slurm`: {runs} runs in {n} shards, one array\n"
      "# task per shard, each running its shard's runs {j} at a time into OUT/shard-<task>.\n"
      "# Submit it with its merge step in one command: bash {submit}\n"
      "#SBATCH --job-name=popex-{name}\n"
      "#SBATCH --array=0-{last}\n"
      "#SBATCH --ntasks=1\n"
      "#SBATCH --cpus-per-task={j}\n"
      "{common}"
      "#SBATCH --output={log}\n"
      "set -euo pipefail\n"
      ": \"${{SLURM_ARRAY_TASK_ID:?run this script with sbatch, as an array job}}\"\n"
      "n={n}\n"
      "out={out}\n"
      "cd {work}\n"
      "# --resume: a requeued or resubmitted task goes on where its shard stopped.\n"
      "exec {bin} campaign {file} -j {j} --resume --shard \"$SLURM_ARRAY_TASK_ID/$n\" \\\n"
      "  --out \"$out/shard-$SLURM_ARRAY_TASK_ID\"{extra}\n",
      fmt::arg("name", o.campaign_name), fmt::arg("runs", o.runs), fmt::arg("n", o.shards),
      fmt::arg("j", o.jobs_per_task), fmt::arg("submit", shell_quote(submit)), fmt::arg("last", last),
      fmt::arg("common", common_sbatch_lines(o)), fmt::arg("log", sbatch_output_path(dir, "array-%A_%a.out")),
      fmt::arg("out", shell_quote(o.out_dir)), fmt::arg("work", shell_quote(o.work_dir)),
      fmt::arg("bin", shell_quote(o.popex_sim)), fmt::arg("file", shell_quote(o.campaign_file)),
      fmt::arg("extra", extra));

  s.merge = fmt::format(
      "#!/bin/bash\n"
      "# The merge step of campaign '{name}', written by `popex-sim campaign --slurm`: puts the {n} shards together\n"
      "# into OUT (summary.csv, summary_by_point.csv, runs/). submit.sh submits it to start once every array task\n"
      "# has ended (afterany: a shard with a failed run exits 1, and the merge still reports it).\n"
      "#SBATCH --job-name=popex-{name}-merge\n"
      "#SBATCH --ntasks=1\n"
      "#SBATCH --cpus-per-task=1\n"
      "{common}"
      "#SBATCH --output={log}\n"
      "set -euo pipefail\n"
      "out={out}\n"
      "shards=()\n"
      "for ((i = 0; i < {n}; i++)); do shards+=(\"$out/shard-$i\"); done\n"
      "cd {work}\n"
      "exec {bin} merge --out \"$out\" \"${{shards[@]}}\"\n",
      fmt::arg("name", o.campaign_name), fmt::arg("n", o.shards), fmt::arg("common", common_sbatch_lines(o)),
      fmt::arg("log", sbatch_output_path(dir, "merge-%j.out")), fmt::arg("out", shell_quote(o.out_dir)),
      fmt::arg("work", shell_quote(o.work_dir)), fmt::arg("bin", shell_quote(o.popex_sim)));

  s.submit = fmt::format(
      "#!/bin/bash\n"
      "# Submits campaign '{name}' to Slurm, written by `popex-sim campaign --slurm`: the array of {n} shards,\n"
      "# then the merge step, which starts once every array task has ended. Prints both job ids.\n"
      "# Run it from any folder: bash {submit}\n"
      "set -euo pipefail\n"
      "dir={dir}\n"
      "array=$(sbatch --parsable \"$dir/{array_file}\")\n"
      "array=${{array%%;*}}\n"
      "if ! merge=$(sbatch --parsable --dependency=afterany:\"$array\" \"$dir/{merge_file}\"); then\n"
      "  echo \"submit.sh: array job $array is queued, but its merge step was not; submit it with:\" \\\n"
      "    \"sbatch --dependency=afterany:$array $dir/{merge_file}\" >&2\n"
      "  exit 1\n"
      "fi\n"
      "merge=${{merge%%;*}}\n"
      "echo \"array job $array: {n} shard(s), logs in $dir/array-${{array}}_<task>.out\"\n"
      "echo \"merge job $merge: after the array, merges into {out_text}\"\n",
      fmt::arg("name", o.campaign_name), fmt::arg("n", o.shards), fmt::arg("submit", shell_quote(submit)),
      fmt::arg("dir", shell_quote(dir)), fmt::arg("array_file", kSlurmArrayFile),
      fmt::arg("merge_file", kSlurmMergeFile), fmt::arg("out_text", "${dir%/*}"));
  return s;
}

} // namespace popex
