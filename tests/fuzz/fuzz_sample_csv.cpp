// Fuzzes the per-sample CSV reader (conf_branch_k, correct_branch_k columns) for DNNs of 1 to 4 exits, and checks
// the sample set it returns.
#include "fuzz_support.hpp"

#include "config/sample_csv.hpp"
#include "core/config_error.hpp"

#include <string>

namespace {

const popex_fuzz::ScratchDir& scratch()
{
  static const popex_fuzz::ScratchDir dir;
  return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string path = scratch().write("samples.csv", popex_fuzz::text_of(data, size)).string();
  for (std::size_t exits = 1; exits <= 4; ++exits) {
    std::shared_ptr<const popex::SampleSet> set;
    try {
      set = popex::load_sample_csv(path, exits);
    } catch (const popex::ConfigError&) {
      continue;
    }
    const std::string what = std::to_string(exits) + " exits";
    POPEX_FUZZ_CHECK(set != nullptr && set->exit_count == exits && set->size() > 0, what);
    POPEX_FUZZ_CHECK(set->confidence.size() == set->size() * exits && set->correct.size() == set->confidence.size(),
                     what);
    for (std::size_t i = 0; i < set->confidence.size(); ++i)
      POPEX_FUZZ_CHECK(set->confidence[i] >= 0 && set->confidence[i] <= 1 && set->correct[i] <= 1, what);
    for (std::size_t s = 0; s < set->size(); ++s)
      POPEX_FUZZ_CHECK(set->natural_exit(s, 0.5) < exits, what);
  }
  return 0;
}
