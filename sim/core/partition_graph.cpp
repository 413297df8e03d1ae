#include "core/partition_graph.hpp"

#include "core/dijkstra.hpp"

#include <algorithm>

namespace popex {

namespace {
using Cost = PartitionGraph::Cost;

struct CostLess {
  bool operator()(const Cost& a, const Cost& b) const
  {
    return a.time_s < b.time_s || (a.time_s == b.time_s && a.split < b.split);
  }
};

struct CostPlus {
  Cost operator()(const Cost& a, const Cost& b) const { return {a.time_s + b.time_s, std::max(a.split, b.split)}; }
};

constexpr double INF = std::numeric_limits<double>::infinity();
} // namespace

PartitionGraph::PartitionGraph(const Dnn& dnn) : dnn_(dnn)
{
  const std::size_t n = dnn.layer_count();
  input_              = boost::add_vertex(graph_);
  state_.push_back(input_);
  for (std::size_t i = 1; i <= n; ++i) {
    const Vertex layer = boost::add_vertex(graph_);
    layer_edges_.push_back(boost::add_edge(state_.back(), layer, graph_).first);
    Vertex after = layer;
    if (dnn.branch_after(i) >= 0) {
      after = boost::add_vertex(graph_);
      branch_edges_.push_back(boost::add_edge(layer, after, graph_).first);
    }
    state_.push_back(after);
  }
  output_ = boost::add_vertex(graph_);
  for (std::size_t s = 0; s <= n; ++s)
    offload_edges_.push_back(boost::add_edge(state_[s], output_, graph_).first);
  pred_.resize(boost::num_vertices(graph_));
  dist_.resize(boost::num_vertices(graph_));
}

void PartitionGraph::update_weights(const ModelParams& p, const std::vector<bool>* allowed)
{
  auto weight         = boost::get(boost::edge_weight, graph_);
  const std::size_t n = dnn_.layer_count();
  double reach        = 1.0;
  for (std::size_t s = 0; s <= n; ++s) {
    if (s > 0) {
      weight[layer_edges_[s - 1]] = {reach * p.gamma * edge_base_layer_s(dnn_, p.edge_profile.get(), s), 0};
      if (const int k = dnn_.branch_after(s); k >= 0) {
        const auto kk        = static_cast<std::size_t>(k);
        weight[branch_edges_[kk]] = {reach * p.gamma * edge_base_branch_s(dnn_, p.edge_profile.get(), kk), 0};
        reach *= 1.0 - p.exit_probs[kk];
      }
    }
    // The edge-only exit costs nothing more: the final exit already ran on the edge.
    const double offload = s == n ? 0.0 : reach * offload_cost_s(dnn_, p, s);
    const bool ok        = allowed == nullptr || (*allowed)[s];
    weight[offload_edges_[s]] = {ok ? offload : INF, s};
  }
}

SplitChoice PartitionGraph::solve(const ModelParams& params)
{
  return *solve(params, std::vector<bool>(dnn_.layer_count() + 1, true));
}

std::optional<SplitChoice> PartitionGraph::solve(const ModelParams& params, const std::vector<bool>& allowed)
{
  update_weights(params, &allowed);
  return run_dijkstra();
}

std::optional<SplitChoice> PartitionGraph::solve(const ModelParams& params, const EnergyParams& energy,
                                                 double time_coef, double energy_coef, const std::vector<bool>& allowed)
{
  update_weights(params, &allowed);
  add_energy(params, energy, time_coef, energy_coef);
  return run_dijkstra();
}

void PartitionGraph::add_energy(const ModelParams& p, const EnergyParams& e, double time_coef, double energy_coef)
{
  auto weight         = boost::get(boost::edge_weight, graph_);
  const std::size_t n = dnn_.layer_count();
  const auto mix      = [&](Edge edge, double energy_j) {
    Cost& c  = weight[edge];
    c.time_s = c.time_s < INF ? time_coef * c.time_s + energy_coef * energy_j : INF;
  };
  // A device edge's energy is busy_w x its time; an offload edge's is R_s x the offload's radio energy.
  double reach = 1.0;
  for (std::size_t s = 0; s <= n; ++s) {
    if (s > 0) {
      mix(layer_edges_[s - 1], e.device.busy_w * weight[layer_edges_[s - 1]].time_s);
      if (const int k = dnn_.branch_after(s); k >= 0) {
        const auto kk = static_cast<std::size_t>(k);
        mix(branch_edges_[kk], e.device.busy_w * weight[branch_edges_[kk]].time_s);
        reach *= 1.0 - p.exit_probs[kk];
      }
    }
    mix(offload_edges_[s], s == n ? 0.0
                                  : reach * offload_radio_j(e.radio, p.link, dnn_.split_bytes(s), dnn_.result_bytes(),
                                                            dnn_.cloud_suffix_s(s) + p.cloud_wait_s));
  }
}

std::optional<SplitChoice> PartitionGraph::run_dijkstra()
{
  dijkstra_into(graph_, input_, pred_, dist_, color_, Cost{INF, 0}, Cost{0.0, 0}, CostLess{}, CostPlus{});
  const Cost& d = dist_[output_];
  if (!(d.time_s < INF))
    return std::nullopt;
  // The path's last edge leaves the state vertex of the chosen split.
  const Vertex last = pred_[output_];
  const auto it     = std::find(state_.begin(), state_.end(), last);
  return SplitChoice{static_cast<std::size_t>(it - state_.begin()), d.time_s};
}

} // namespace popex
