// Fuzzes the scenario loader, which validates everything before a run, on a scenario file; no engine runs. The
// resolved scenario it returns must load again to the same resolved text (campaign runs are replayed from it).
#include "fuzz_support.hpp"

#include "config/scenario.hpp"
#include "core/config_error.hpp"

namespace {

const popex_fuzz::ScratchDir& scratch()
{
  // The input becomes <scratch>/s/fuzz.yaml; ../dnn, ../platforms and ../traces lead to tests/data, and ../platform
  // and ../trace to the bad-input corpus, as in the seed corpus (tests/fuzz/make_seed_corpus.sh).
  static const popex_fuzz::ScratchDir dir([](const popex_fuzz::ScratchDir& d) {
    d.link("dnn", "tests/data/dnn");
    d.link("platforms", "tests/data/platforms");
    d.link("traces", "tests/data/traces");
    d.link("platform", "tests/data/bad/platform");
    d.link("trace", "tests/data/bad/trace");
  });
  return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const auto path = scratch().write("s/fuzz.yaml", popex_fuzz::text_of(data, size));
  popex::Scenario s;
  try {
    s = popex::load_scenario(path.string(), {});
  } catch (const popex::ConfigError&) {
    return 0;
  }
  POPEX_FUZZ_CHECK(!s.devices.empty(), s.resolved_yaml);
  POPEX_FUZZ_CHECK(s.gamma > 0, s.resolved_yaml);
  POPEX_FUZZ_CHECK(!s.threshold || (*s.threshold > 0 && *s.threshold <= 1), s.resolved_yaml);
  POPEX_FUZZ_CHECK(s.exit_prob.size() == s.workload.dnn.branch_count(), s.resolved_yaml);

  const auto again_path = scratch().write("s/resolved.yaml", s.resolved_yaml);
  popex::Scenario again;
  try {
    again = popex::load_scenario(again_path.string(), {});
  } catch (const popex::ConfigError& e) {
    POPEX_FUZZ_CHECK(false, std::string("the resolved scenario does not load: ") + e.what() + "\n" + s.resolved_yaml);
  }
  POPEX_FUZZ_CHECK(again.resolved_yaml == s.resolved_yaml, "\n" + s.resolved_yaml + "---\n" + again.resolved_yaml);
  return 0;
}
