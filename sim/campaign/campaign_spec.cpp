#include "campaign/campaign_spec.hpp"

#include "config/overrides.hpp"
#include "config/yaml_node.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace popex {

namespace {
const char* const kContext = "campaign";

SourcePos pos_of(const std::string& file, const YAML::Node& node)
{
  const YAML::Mark m = node.Mark();
  if (m.is_null())
    return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

std::string shown(const YAML::Node& node)
{
  if (!node.IsDefined() || node.IsNull())
    return "null";
  return node.IsScalar() ? node.Scalar() : to_flow_yaml(node);
}

/** A mapping key, which must be a non-empty scalar and a valid dotted key. */
std::string dotted_key_of(const std::string& file, const YAML::Node& key, const std::string& where)
{
  if (!key.IsScalar() || key.Scalar().empty())
    fail_at(pos_of(file, key),
            fmt::format("{}: {} keys must be dotted scenario keys (got {})", kContext, where, shown(key)));
  try {
    split_dotted_key(key.Scalar());
  } catch (const ConfigError& e) {
    fail_at(pos_of(file, key), fmt::format("{}: {}: {}", kContext, where, e.what()));
  }
  return key.Scalar();
}

AxisValue axis_value(const YAML::Node& value)
{
  return {to_flow_yaml(value), value.IsScalar() ? value.Scalar() : to_flow_yaml(value)};
}

/**
 * An axis from `KEY: [v1, v2, ...]`; `what` is "sweep axis" or "zip group #2: axis". A sweep axis must not repeat a
 * value (it would repeat points); in a zip group only whole tuples must differ.
 */
Axis read_axis(const std::string& file, const YAML::Node& key, const YAML::Node& list, const std::string& what,
               bool unique_values)
{
  Axis axis;
  axis.key = dotted_key_of(file, key, what.substr(0, what.find(':')));
  axis.pos = pos_of(file, key);
  if (!list.IsSequence() || list.size() == 0)
    fail_at(pos_of(file, list), fmt::format("{}: {} '{}' must be a non-empty list of values (got {})", kContext, what,
                                            axis.key, shown(list)));
  std::set<std::string> seen;
  for (const auto& v : list) {
    if (!v.IsDefined() || v.IsNull())
      fail_at(pos_of(file, v),
              fmt::format("{}: {} '{}': values must not be empty (got null)", kContext, what, axis.key));
    axis.values.push_back(axis_value(v));
    if (unique_values && !seen.insert(axis.values.back().yaml).second)
      fail_at(pos_of(file, v),
              fmt::format("{}: {} '{}' lists {} twice", kContext, what, axis.key, axis.values.back().csv));
  }
  return axis;
}

std::vector<AxisGroup> read_sweep(const std::string& file, const YAML::Node& sweep)
{
  if (!sweep.IsMap())
    fail_at(pos_of(file, sweep), fmt::format("{}: sweep must be a mapping of dotted key -> list of values (got {})",
                                             kContext, shown(sweep)));
  std::vector<AxisGroup> groups;
  for (const auto& kv : sweep)
    groups.push_back({{read_axis(file, kv.first, kv.second, "sweep axis", true)}, false});
  return groups;
}

std::vector<AxisGroup> read_zip(const std::string& file, const YAML::Node& zip)
{
  if (!zip.IsSequence() || zip.size() == 0)
    fail_at(pos_of(file, zip),
            fmt::format("{}: zip must be a non-empty list of groups, each a mapping of dotted key -> list of values "
                        "(got {})",
                        kContext, shown(zip)));
  std::vector<AxisGroup> groups;
  std::size_t number = 0;
  for (const auto& group_node : zip) {
    const std::string group_name = fmt::format("zip group #{}", ++number);
    if (!group_node.IsMap() || group_node.size() == 0)
      fail_at(pos_of(file, group_node),
              fmt::format("{}: {} must be a mapping of dotted key -> list of values, with at least one key (got {})",
                          kContext, group_name, shown(group_node)));
    AxisGroup group{{}, true};
    for (const auto& kv : group_node) {
      group.axes.push_back(read_axis(file, kv.first, kv.second, group_name + ": axis", false));
      const Axis& first = group.axes.front();
      const Axis& last  = group.axes.back();
      if (last.values.size() != first.values.size())
        fail_at(pos_of(file, kv.second),
                fmt::format("{}: {}: axis '{}' has {} values but '{}' has {}; the lists of a zip group must have the "
                            "same length",
                            kContext, group_name, last.key, last.values.size(), first.key, first.values.size()));
    }
    std::set<std::vector<std::string>> points;
    for (std::size_t i = 0; i < group.size(); ++i) {
      std::vector<std::string> point;
      for (const auto& axis : group.axes)
        point.push_back(axis.values[i].yaml);
      if (!points.insert(point).second)
        fail_at(pos_of(file, group_node),
                fmt::format("{}: {}: values #{} repeat an earlier point; every point must be different", kContext,
                            group_name, i + 1));
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

/** A key applied later must not be, or contain, a key applied before it: it would silently replace it. */
struct AppliedKey {
  std::string key;
  SourcePos pos;
  bool is_axis;
};

void check_application_order(const std::vector<AppliedKey>& keys)
{
  for (std::size_t j = 0; j < keys.size(); ++j) {
    const AppliedKey& later = keys[j];
    for (std::size_t i = 0; i < j; ++i) {
      const AppliedKey& earlier = keys[i];
      if (earlier.key == later.key) {
        if (earlier.is_axis)
          fail_at(later.pos,
                  fmt::format("{}: axis '{}' appears twice (first at {})", kContext, later.key, earlier.pos.str()));
        fail_at(later.pos, fmt::format("{}: axis '{}' is also in set (at {}); give it in one place", kContext,
                                       later.key, earlier.pos.str()));
      }
      if (earlier.key.starts_with(later.key + "."))
        fail_at(later.pos,
                fmt::format("{}: {} '{}' would overwrite '{}' (at {}), which is applied before it; set the whole "
                            "value first and refine it with dotted keys after",
                            kContext, later.is_axis ? "axis" : "set key", later.key, earlier.key, earlier.pos.str()));
    }
  }
}

bool is_safe_name(const std::string& name)
{
  if (name.empty() || name == "." || name == "..")
    return false;
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok)
      return false;
  }
  return true;
}
} // namespace

const std::vector<std::string>& campaign_modes()
{
  static const std::vector<std::string> modes{"simulate", "analytic", "both"};
  return modes;
}

std::vector<std::string> Campaign::axis_names() const
{
  std::vector<std::string> names;
  for (const auto& g : groups)
    for (const auto& a : g.axes)
      names.push_back(a.key);
  return names;
}

std::size_t Campaign::point_count() const
{
  // Saturates instead of overflowing; load_campaign refuses anything above MAX_RUNS anyway.
  std::size_t n = 1;
  for (const auto& g : groups)
    n = g.size() != 0 && n > MAX_RUNS / g.size() ? MAX_RUNS + 1 : n * g.size();
  return n;
}

Campaign load_campaign(const std::string& path)
{
  const YamlNode root = YamlNode::load_file(path, kContext);
  root.expect_map({"name", "scenario", "set", "sweep", "zip", "seeds", "mode", "timeout_s"}, {"name", "scenario"});
  const std::string& file = root.file();

  Campaign c;
  c.file              = path;
  const YamlNode name = root.at("name");
  if (!name.is_scalar() || !is_safe_name(name.raw().Scalar()))
    name.fail("name", "must be letters, digits, '.', '_' or '-'");
  c.name = name.raw().Scalar();

  const YamlNode scenario = root.at("scenario");
  c.scenario              = scenario.as_string("scenario");
  c.scenario_file         = (fs::path(path).parent_path() / c.scenario).lexically_normal().string();
  std::error_code ec;
  if (!fs::is_regular_file(c.scenario_file, ec))
    scenario.fail_message(fmt::format("scenario file '{}' not found (looked for '{}')", c.scenario, c.scenario_file));

  std::vector<AppliedKey> applied;
  if (const auto set = root.find("set")) {
    if (!set->is_map())
      fail_at(set->pos(),
              fmt::format("{}: set must be a mapping of dotted key -> value (got {})", kContext, shown(set->raw())));
    std::set<std::string> seen;
    for (const auto& kv : set->raw()) {
      const std::string key = dotted_key_of(file, kv.first, "set");
      if (!seen.insert(key).second)
        fail_at(pos_of(file, kv.first), fmt::format("{}: set: duplicate key '{}'", kContext, key));
      if (key == "seed")
        fail_at(
            pos_of(file, kv.first),
            fmt::format("{}: set 'seed' would be replaced by each run's seed; list replicas under seeds", kContext));
      if (!kv.second.IsDefined() || kv.second.IsNull())
        fail_at(pos_of(file, kv.first), fmt::format("{}: set '{}' must have a value (got null)", kContext, key));
      c.set.emplace_back(key, to_flow_yaml(kv.second));
      applied.push_back({key, pos_of(file, kv.first), false});
    }
  }

  if (const auto sweep = root.find("sweep"))
    c.groups = read_sweep(file, sweep->raw());
  if (const auto zip = root.find("zip"))
    for (auto& g : read_zip(file, zip->raw()))
      c.groups.push_back(std::move(g));
  for (const auto& g : c.groups)
    for (const auto& a : g.axes) {
      for (const char* column : {"run_id", "seed", "status", "reason", "n_seeds", "n_failed"})
        if (a.key == column)
          fail_at(a.pos, fmt::format("{}: axis '{}' has the name of a summary column{}", kContext, a.key,
                                     a.key == "seed" ? "; list replicas under seeds" : ""));
      applied.push_back({a.key, a.pos, true});
    }
  check_application_order(applied);

  if (const auto seeds = root.find("seeds")) {
    if (!seeds->is_sequence() || seeds->raw().size() == 0)
      seeds->fail("seeds", "must be a non-empty list of integers >= 0");
    c.seeds.clear();
    std::set<long long> seen;
    for (const auto& s : seeds->elements("seeds")) {
      const long long seed = s.as_integer("seed");
      if (seed < 0)
        s.fail("seed", "must be an integer >= 0");
      if (!seen.insert(seed).second)
        s.fail_message(fmt::format("seed {} is listed twice", seed));
      c.seeds.push_back(seed);
    }
  }

  if (const auto mode = root.find("mode")) {
    c.mode     = mode->is_scalar() ? mode->raw().Scalar() : std::string();
    bool known = false;
    for (const auto& m : campaign_modes())
      known = known || m == c.mode;
    if (!known)
      mode->fail("mode", fmt::format("must be one of {}", join_names(campaign_modes())));
  }

  if (const auto timeout = root.find("timeout_s")) {
    c.timeout_s = timeout->as_number("timeout_s");
    // Bounded: beyond a year the wall-clock arithmetic of the run pool would overflow.
    if (!(c.timeout_s > 0) || !(c.timeout_s <= 31536000))
      timeout->fail("timeout_s", "must be a number of seconds within (0, 31536000] (a year)");
  }
  const std::size_t points = c.point_count();
  if (points > Campaign::MAX_RUNS || points * c.seeds.size() > Campaign::MAX_RUNS)
    root.fail_message(fmt::format("sweep, zip and seeds must make at most {} runs (got more)", Campaign::MAX_RUNS));
  return c;
}

} // namespace popex
