// Fuzzes the DNN workload loader on YAML text, then uses what it accepts: every exit model at every threshold of
// its grid, the Dijkstra split against brute force, and `popex-sim solve` on the same file, since a DNN the loader
// passes must never break the solver.
#include "fuzz_support.hpp"

#include "cli/solve_command.hpp"
#include "config/dnn_loader.hpp"
#include "core/config_error.hpp"
#include "core/partition_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace {

const popex_fuzz::ScratchDir& scratch()
{
  // The input becomes <scratch>/fuzz.yaml, beside links to the per-sample CSVs of tests/data (samples4.csv...).
  static const popex_fuzz::ScratchDir dir([](const popex_fuzz::ScratchDir& d) {
    d.link_files(".", "tests/data/dnn");
    d.link_files(".", "tests/data/bad/dnn");
  });
  return dir;
}

bool is_probability(double p)
{
  return p >= 0.0 && p <= 1.0;
}

void check_workload(const popex::Workload& w)
{
  for (const auto& [name, model] : w.variants) {
    POPEX_FUZZ_CHECK(model != nullptr, name);
    POPEX_FUZZ_CHECK(model->branch_count() == w.dnn.branch_count(), name);
    const std::vector<double> grid = model->grid();
    POPEX_FUZZ_CHECK(!grid.empty(), name);
    for (std::size_t i = 0; i < grid.size() && i < 128; ++i) {
      const popex::ExitPoint p = model->at(grid[i]);
      POPEX_FUZZ_CHECK(p.exit_probs.size() == model->branch_count() && p.accuracies.size() == p.exit_probs.size(),
                       name);
      for (std::size_t k = 0; k < p.exit_probs.size(); ++k)
        POPEX_FUZZ_CHECK(is_probability(p.exit_probs[k]) && is_probability(p.accuracies[k]),
                         fmt::format("variant {} threshold {} branch {}", name, grid[i], k));
      POPEX_FUZZ_CHECK(is_probability(p.final_accuracy), name);
      for (std::size_t m = 0; m <= model->branch_count(); ++m)
        POPEX_FUZZ_CHECK(is_probability(model->expected_accuracy(grid[i], m)),
                         fmt::format("variant {} threshold {} edge branches {}", name, grid[i], m));
    }
  }
}

/** On a fast and a very slow link, the graph's Dijkstra split is as fast as the best split found by enumeration. */
void check_split(const popex::Workload& w)
{
  std::vector<double> exit_probs(w.dnn.branch_count(), 0.0);
  if (!w.variants.empty()) {
    const auto grid = w.variants.front().second->grid();
    exit_probs      = w.variants.front().second->at(grid[grid.size() / 2]).exit_probs;
  }
  popex::PartitionGraph graph(w.dnn);
  for (const double bps : {18.8e6, 1e3}) {
    popex::ModelParams p;
    p.gamma                       = 10;
    p.link                        = {bps, bps, 0.005, 0.005};
    p.exit_probs                  = exit_probs;
    const popex::SplitChoice best = popex::brute_force_split(w.dnn, p);
    const popex::SplitChoice fast = graph.solve(p);
    POPEX_FUZZ_CHECK(!std::isnan(best.expected_time_s) && best.expected_time_s >= 0,
                     fmt::format("E[T] = {} at split {}", best.expected_time_s, best.split));
    POPEX_FUZZ_CHECK(fast.expected_time_s == best.expected_time_s ||
                         std::fabs(fast.expected_time_s - best.expected_time_s) <=
                             1e-9 * std::max(fast.expected_time_s, best.expected_time_s),
                     fmt::format("Dijkstra: split {} E[T] {}; enumeration: split {} E[T] {}", fast.split,
                                 fast.expected_time_s, best.split, best.expected_time_s));
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string text = popex_fuzz::text_of(data, size);
  const std::string file = (scratch().root() / "fuzz.yaml").string();
  popex::Workload w;
  try {
    w = popex::load_workload_string(text, file);
  } catch (const popex::ConfigError&) {
    return 0;
  }
  check_workload(w);
  check_split(w);

  // The solver at the DNN's default threshold, or the middle of its grid, on a fast and a very slow uplink.
  scratch().write("fuzz.yaml", text);
  static std::FILE* const devnull = std::fopen("/dev/null", "w");
  popex::SolveOptions options;
  options.dnn_file = file;
  options.gamma    = "10";
  options.uplink   = "wifi,1kbps";
  if (!w.default_threshold && !w.variants.empty()) {
    const auto grid   = w.variants.front().second->grid();
    options.threshold = fmt::format("{}", grid[grid.size() / 2]);
  }
  try {
    popex::run_solve(options, devnull);
  } catch (const popex::ConfigError&) {
  }
  return 0;
}
