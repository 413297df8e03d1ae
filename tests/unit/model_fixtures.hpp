#pragma once
// DNNs shared by the model's unit tests: tiny3, small enough to derive every value by hand, and random DNNs for the
// comparisons of the graphs with the enumeration.

#include "core/dnn.hpp"
#include "core/edge_profile.hpp"
#include "core/tiered_time.hpp"

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

namespace popex::test {

/** tiny3: a_0 = 1000 B, layers (t, a) = (0.01 s, 500 B), (0.02 s, 100 B), (0.03 s, 10 B); branch b1 after l1 with
 *  tb = 0.001 s; result r = 10 B. */
inline Dnn tiny3()
{
  return Dnn("tiny3", 1000, 10, {{"l1", 0.01, 500}, {"l2", 0.02, 100}, {"l3", 0.03, 10}}, {{"b1", 1, 0.001}});
}

/** tiny3's three-tier setting: gd = 10, ge = 2, q = 0.6; access 8 kbit/s up, 80 kbit/s down, 5 ms; backhaul
 *  80 kbit/s up, 800 kbit/s down, 1 ms. */
inline TieredParams tiny3_tiered()
{
  TieredParams p;
  p.device.gamma      = 10;
  p.device.link       = {8000, 80000, 0.005, 0.005};
  p.device.exit_probs = {0.6};
  p.server.gamma      = 2;
  p.server.backhaul   = {80000, 800000, 0.001, 0.001};
  return p;
}

/**
 * A random DNN with 1..max_layers layers, times over 3 decades, whole sizes over 4 decades, a branch after about a
 * third of the layers, and a result of 0 or up to 1000 bytes.
 */
inline Dnn random_dnn(std::mt19937_64& rng, int max_layers = 20)
{
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const int n = 1 + static_cast<int>(u(rng) * max_layers);
  std::vector<Layer> layers;
  std::vector<Branch> branches;
  for (int i = 1; i <= n; ++i) {
    layers.push_back({fmt::format("l{}", i), 1e-4 * std::pow(1000.0, u(rng)), std::floor(std::pow(10.0, 2 + 4 * u(rng)))});
    if (u(rng) < 0.35)
      branches.push_back({fmt::format("b{}", i), static_cast<std::size_t>(i), 1e-5 * std::pow(100.0, u(rng))});
  }
  return Dnn("random", std::floor(std::pow(10.0, 3 + 3 * u(rng))), u(rng) < 0.5 ? 0.0 : std::floor(1000 * u(rng)),
             layers, branches);
}

/** A measured edge profile of `d`: each layer and branch 0.3x..30x its cloud time (memory-bound layers slow more). */
inline std::shared_ptr<EdgeProfile> random_profile(const Dnn& d, std::mt19937_64& rng)
{
  std::uniform_real_distribution<double> u(0.0, 1.0);
  auto p = std::make_shared<EdgeProfile>();
  for (const auto& l : d.layers())
    p->layer_s.push_back(l.cloud_time_s * 0.3 * std::pow(100.0, u(rng)));
  for (const auto& b : d.branches())
    p->branch_s.push_back(b.cloud_time_s * 0.3 * std::pow(100.0, u(rng)));
  return p;
}

} // namespace popex::test
