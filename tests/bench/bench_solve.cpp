// Time per POPEX decision (issue 2, section 7): PartitionGraph::solve on a graph built once, re-weighted at every
// call, for synthetic early-exit DNNs of 8, 20, 100 and 1000 layers and for the shipped B-AlexNet; beside the
// closed form (expected_times + argmin) and the brute-force reference (brute_force_split, O(N^2)).
// Run: build/release/tests/bench/popex_bench_solve --benchmark_min_time=0.2
#include "config/dnn_loader.hpp"
#include "core/decision_maker.hpp"
#include "core/dnn.hpp"
#include "core/expected_time.hpp"
#include "core/partition_graph.hpp"

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

using popex::Dnn;
using popex::ModelParams;

/** Distinct inputs, cycled through so that every call really re-weights the graph. */
constexpr std::size_t PARAM_POOL = 64;

/**
 * A random early-exit DNN of `n` layers: times 0.1..10 ms, outputs 1 kB..1 MB, input 600 kB, and a branch after
 * every 4th layer (never after the last one, where the final exit already is).
 */
Dnn synthetic_dnn(std::size_t n, std::uint64_t seed)
{
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> log_time(-4.0, -2.0);
  std::uniform_real_distribution<double> log_bytes(3.0, 6.0);
  std::vector<popex::Layer> layers;
  std::vector<popex::Branch> branches;
  for (std::size_t i = 1; i <= n; ++i) {
    layers.push_back({fmt::format("l{}", i), std::pow(10.0, log_time(rng)), std::pow(10.0, log_bytes(rng))});
    if (i % 4 == 0 && i < n)
      branches.push_back({fmt::format("b{}", i), i, 0.05 * std::pow(10.0, log_time(rng))});
  }
  return Dnn(fmt::format("synthetic-{}", n), 602112, 0, std::move(layers), std::move(branches));
}

/** Inputs of the SBRC sweep's kind: gamma 1..1000, an uplink among 3G/4G/WiFi, random exit probabilities. */
std::vector<ModelParams> param_pool(const Dnn& dnn, std::uint64_t seed)
{
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> log_gamma(0.0, 3.0);
  std::uniform_real_distribution<double> prob(0.0, 1.0);
  const double rates_bps[] = {1.1e6, 5.5e6, 18.8e6};
  std::vector<ModelParams> pool(PARAM_POOL);
  for (std::size_t j = 0; j < pool.size(); ++j) {
    ModelParams& p = pool[j];
    p.gamma        = std::pow(10.0, log_gamma(rng));
    p.link         = {rates_bps[j % 3], rates_bps[j % 3], 0.0, 0.0};
    p.exit_probs.resize(dnn.branch_count());
    for (double& q : p.exit_probs)
      q = prob(rng);
  }
  return pool;
}

void set_counters(benchmark::State& state, const Dnn& dnn)
{
  state.counters["layers"]   = static_cast<double>(dnn.layer_count());
  state.counters["branches"] = static_cast<double>(dnn.branch_count());
  state.SetItemsProcessed(state.iterations());
}

void bm_graph_solve(benchmark::State& state)
{
  const Dnn dnn   = synthetic_dnn(static_cast<std::size_t>(state.range(0)), 42);
  const auto pool = param_pool(dnn, 7);
  popex::PartitionGraph graph(dnn);
  std::size_t j = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(graph.solve(pool[j]));
    j = (j + 1) % pool.size();
  }
  set_counters(state, dnn);
}

void bm_decision_maker(benchmark::State& state)
{
  const Dnn dnn   = synthetic_dnn(static_cast<std::size_t>(state.range(0)), 42);
  const auto pool = param_pool(dnn, 7);
  popex::DecisionMaker maker(dnn, false, 5.0); // two tiers, 5 % hysteresis
  std::size_t j = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(maker.decide(pool[j]));
    j = (j + 1) % pool.size();
  }
  set_counters(state, dnn);
}

void bm_graph_build(benchmark::State& state)
{
  const Dnn dnn = synthetic_dnn(static_cast<std::size_t>(state.range(0)), 42);
  for (auto _ : state) {
    popex::PartitionGraph graph(dnn);
    benchmark::DoNotOptimize(graph.vertex_count());
  }
  set_counters(state, dnn);
}

void bm_expected_times_argmin(benchmark::State& state)
{
  const Dnn dnn   = synthetic_dnn(static_cast<std::size_t>(state.range(0)), 42);
  const auto pool = param_pool(dnn, 7);
  std::size_t j   = 0;
  for (auto _ : state) {
    const std::vector<double> t = popex::expected_times(dnn, pool[j]);
    benchmark::DoNotOptimize(std::min_element(t.begin(), t.end()));
    j = (j + 1) % pool.size();
  }
  set_counters(state, dnn);
}

void bm_brute_force(benchmark::State& state)
{
  const Dnn dnn   = synthetic_dnn(static_cast<std::size_t>(state.range(0)), 42);
  const auto pool = param_pool(dnn, 7);
  std::size_t j   = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(popex::brute_force_split(dnn, pool[j]));
    j = (j + 1) % pool.size();
  }
  set_counters(state, dnn);
}

std::string b_alexnet_file()
{
  const char* dir = std::getenv("POPEX_SOURCE_DIR");
  return std::string(dir != nullptr ? dir : POPEX_SOURCE_DIR) + "/workloads/dnn/b-alexnet.yaml";
}

/** The shipped B-AlexNet: one decision at a point of the SBRC sweep (q cycles 0..1, gamma 1..1000). */
void bm_b_alexnet_solve(benchmark::State& state)
{
  const popex::Workload w = popex::load_workload(b_alexnet_file());
  const auto pool         = param_pool(w.dnn, 7);
  popex::PartitionGraph graph(w.dnn);
  std::size_t j = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(graph.solve(pool[j]));
    j = (j + 1) % pool.size();
  }
  set_counters(state, w.dnn);
}

/** The SBRC sweep's 33,000 decisions in-process (no CSV, no start-up): 3 uplinks x gamma 1..1000 x q 0..1. */
void bm_b_alexnet_sbrc_sweep(benchmark::State& state)
{
  const popex::Workload w = popex::load_workload(b_alexnet_file());
  popex::PartitionGraph graph(w.dnn);
  ModelParams p;
  p.exit_probs.assign(w.dnn.branch_count(), 0.0);
  for (auto _ : state) {
    for (const double bps : {1.1e6, 5.5e6, 18.8e6}) {
      p.link = {bps, bps, 0.0, 0.0};
      for (int g = 1; g <= 1000; ++g) {
        p.gamma = g;
        for (int k = 0; k <= 10; ++k) {
          std::fill(p.exit_probs.begin(), p.exit_probs.end(), k / 10.0);
          benchmark::DoNotOptimize(graph.solve(p));
        }
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * 33000);
}

void layer_sizes(benchmark::internal::Benchmark* b)
{
  for (const int n : {8, 20, 100, 1000})
    b->Arg(n);
}

} // namespace

BENCHMARK(bm_graph_solve)->Name("PartitionGraph::solve")->Apply(layer_sizes);
BENCHMARK(bm_decision_maker)->Name("DecisionMaker::decide")->Apply(layer_sizes);
BENCHMARK(bm_expected_times_argmin)->Name("expected_times+argmin")->Apply(layer_sizes);
BENCHMARK(bm_brute_force)->Name("brute_force_split")->Apply(layer_sizes);
BENCHMARK(bm_graph_build)->Name("PartitionGraph(build)")->Apply(layer_sizes);
BENCHMARK(bm_b_alexnet_solve)->Name("b-alexnet/PartitionGraph::solve");
BENCHMARK(bm_b_alexnet_sbrc_sweep)->Name("b-alexnet/sbrc_sweep_33000_solves")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
