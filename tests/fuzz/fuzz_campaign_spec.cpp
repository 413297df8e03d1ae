// Fuzzes the campaign loader on a campaign file, then expands what it accepts into runs and loads the first and last
// run's scenario with the campaign's overrides, as a campaign worker does (the runs themselves are not simulated).
#include "fuzz_support.hpp"

#include "campaign/campaign_spec.hpp"
#include "campaign/run_spec.hpp"
#include "config/overrides.hpp"
#include "config/scenario.hpp"
#include "core/config_error.hpp"

#include <yaml-cpp/yaml.h>

#include <set>

namespace {

const popex_fuzz::ScratchDir& scratch()
{
  // The input becomes <scratch>/c/campaign.yaml; c/scenario.yaml and ../scenarios/tiny3.yaml are the tiny3 scenario,
  // whose ../dnn and ../platforms lead to tests/data.
  static const popex_fuzz::ScratchDir dir([](const popex_fuzz::ScratchDir& d) {
    d.link("scenarios", "tests/data/scenarios");
    d.link("dnn", "tests/data/dnn");
    d.link("platforms", "tests/data/platforms");
    d.link("traces", "tests/data/traces");
    std::filesystem::create_directories(d.root() / "c");
    std::filesystem::create_symlink(popex_fuzz::source_path("tests/data/scenarios/tiny3.yaml"),
                                    d.root() / "c" / "scenario.yaml");
  });
  return dir;
}

/**
 * A value the campaign will hand to apply_override() must read back as YAML and print the same again (checked for
 * UTF-8 input only: yaml-cpp's emitter replaces invalid UTF-8).
 */
void check_flow_yaml(const std::string& key, const std::string& yaml)
{
  YAML::Node node;
  try {
    node = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    POPEX_FUZZ_CHECK(false, key + ": flow YAML does not load: " + yaml + ": " + e.msg);
  }
  POPEX_FUZZ_CHECK(popex::to_flow_yaml(node) == yaml, key + ": " + yaml + " prints as " + popex::to_flow_yaml(node));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const auto path = scratch().write("c/campaign.yaml", popex_fuzz::text_of(data, size));
  popex::Campaign c;
  try {
    c = popex::load_campaign(path.string());
  } catch (const popex::ConfigError&) {
    return 0;
  }
  POPEX_FUZZ_CHECK(!c.seeds.empty(), c.name);
  const bool clean = popex_fuzz::is_clean_text(popex_fuzz::text_of(data, size));
  for (const auto& [key, yaml] : c.set)
    if (clean)
      check_flow_yaml(key, yaml);
  long double points = 1;
  for (const auto& g : c.groups) {
    POPEX_FUZZ_CHECK(!g.axes.empty() && g.size() > 0, c.name);
    for (const auto& a : g.axes) {
      POPEX_FUZZ_CHECK(a.values.size() == g.size(), a.key);
      for (const auto& v : a.values)
        if (clean)
          check_flow_yaml(a.key, v.yaml);
    }
    points *= static_cast<long double>(g.size());
  }
  // The number of points must be the true product: a wrapped count would run a different campaign.
  POPEX_FUZZ_CHECK(static_cast<long double>(c.point_count()) == points,
                   std::to_string(c.point_count()) + " points, expected " + std::to_string(points));

  if (points * static_cast<long double>(c.seeds.size()) > 256)
    return 0;
  const std::vector<popex::RunSpec> runs = popex::expand_runs(c);
  POPEX_FUZZ_CHECK(runs.size() == c.point_count() * c.seeds.size(), c.name);
  std::set<std::string> ids;
  for (const auto& r : runs)
    POPEX_FUZZ_CHECK(ids.insert(r.run_id).second, r.run_id);
  for (const std::size_t i : {std::size_t{0}, runs.size() - 1}) {
    try {
      popex::load_scenario(runs[i].scenario_file, runs[i].overrides);
    } catch (const popex::ConfigError&) {
    }
  }
  return 0;
}
