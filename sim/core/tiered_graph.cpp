#include "core/tiered_graph.hpp"

#include "core/dijkstra.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

namespace popex {

namespace {
using Cost = TieredPartitionGraph::Cost;

struct CostLess {
  bool operator()(const Cost& a, const Cost& b) const
  {
    return std::tie(a.time_s, a.split, a.split2) < std::tie(b.time_s, b.split, b.split2);
  }
};

struct CostPlus {
  Cost operator()(const Cost& a, const Cost& b) const
  {
    return {a.time_s + b.time_s, std::max(a.split, b.split), std::max(a.split2, b.split2)};
  }
};

constexpr double INF = std::numeric_limits<double>::infinity();
} // namespace

std::vector<TieredPartitionGraph::Vertex> TieredPartitionGraph::chain(Vertex from, std::size_t first,
                                                                      std::vector<Edge>& layer_edges,
                                                                      std::vector<Edge>& branch_edges)
{
  // States after each position; the layer edge into position `first` is left to the caller (it has two origins
  // on the edge server).
  std::vector<Vertex> states;
  Vertex at = from;
  for (std::size_t i = first; i <= dnn_.layer_count(); ++i) {
    const Vertex layer = boost::add_vertex(graph_);
    layer_edges.push_back(boost::add_edge(at, layer, graph_).first);
    Vertex after = layer;
    if (dnn_.branch_after(i) >= 0) {
      after = boost::add_vertex(graph_);
      branch_edges.push_back(boost::add_edge(layer, after, graph_).first);
    }
    states.push_back(after);
    at = after;
  }
  return states;
}

TieredPartitionGraph::TieredPartitionGraph(const Dnn& dnn) : dnn_(dnn)
{
  const std::size_t n = dnn.layer_count();
  input_              = boost::add_vertex(graph_);
  output_             = boost::add_vertex(graph_);
  device_.push_back(input_);
  for (const Vertex v : chain(input_, 1, device_layers_, device_branches_))
    device_.push_back(v);

  // The edge server: A_s for s < N, then its chain E_1..E_N, entered at layer s+1 from A_s.
  std::vector<Vertex> arrived;
  for (std::size_t s = 0; s < n; ++s)
    arrived.push_back(boost::add_vertex(graph_));
  std::vector<Vertex> server{Vertex{}}; // E_0 does not exist: computing on the server means at least one layer
  for (std::size_t i = 1; i <= n; ++i) {
    const Vertex layer = boost::add_vertex(graph_);
    enter_server_.push_back(boost::add_edge(arrived[i - 1], layer, graph_).first);
    if (i >= 2)
      server_layers_.push_back(boost::add_edge(server.back(), layer, graph_).first);
    Vertex after = layer;
    if (dnn.branch_after(i) >= 0) {
      after = boost::add_vertex(graph_);
      server_branches_.push_back(boost::add_edge(layer, after, graph_).first);
    }
    server.push_back(after);
  }
  for (std::size_t s = 0; s < n; ++s) {
    leave_device_.push_back(boost::add_edge(device_[s], arrived[s], graph_).first);
    relay_.push_back(boost::add_edge(arrived[s], output_, graph_).first);
  }
  leave_device_.push_back(boost::add_edge(device_[n], output_, graph_).first);
  leave_server_.push_back(Edge{});
  for (std::size_t s = 1; s <= n; ++s)
    leave_server_.push_back(boost::add_edge(server[s], output_, graph_).first);
  pred_.resize(boost::num_vertices(graph_));
  dist_.resize(boost::num_vertices(graph_));
}

void TieredPartitionGraph::update_weights(const TieredParams& p, const std::vector<bool>* allowed)
{
  auto weight             = boost::get(boost::edge_weight, graph_);
  const std::size_t n     = dnn_.layer_count();
  const ModelParams& d    = p.device;
  const LinkParams& a     = d.link;
  const LinkParams& b     = p.server.backhaul;
  const EdgeProfile* dev  = d.edge_profile.get();
  const EdgeProfile* srv  = p.server.profile.get();
  const auto ok           = [&](std::size_t s2) { return allowed == nullptr || (*allowed)[s2]; };
  const double result_dn  = 8.0 * dnn_.result_bytes() * a.protocol_overhead / a.downlink_bps;
  const double result_bk  = 8.0 * dnn_.result_bytes() * b.protocol_overhead / b.downlink_bps;
  double reach            = 1.0; // rho_i; once the branch after s is passed, R_s = rho_{s+1}
  std::size_t k           = 0;
  for (std::size_t s = 0; s <= n; ++s) {
    if (s > 0) {
      weight[device_layers_[s - 1]] = {reach * d.gamma * edge_base_layer_s(dnn_, dev, s), 0, 0};
      if (s >= 2)
        weight[server_layers_[s - 2]] = {reach * p.server.gamma * edge_base_layer_s(dnn_, srv, s), 0, 0};
      if (dnn_.branch_after(s) >= 0) {
        weight[device_branches_[k]] = {reach * d.gamma * edge_base_branch_s(dnn_, dev, k), 0, 0};
        weight[server_branches_[k]] = {reach * p.server.gamma * edge_base_branch_s(dnn_, srv, k), 0, 0};
        reach *= 1.0 - d.exit_probs[k];
        ++k;
      }
    }
    if (s == n) { // device-only, and the edge server finishing the DNN: nothing more to pay
      weight[leave_device_[n]] = {ok(n) ? 0.0 : INF, n, n};
      weight[leave_server_[n]] = {ok(n) ? 0.0 : INF, 0, n};
      break;
    }
    // Leaving the device at s: the access link both ways and the offload overhead, for R_s of the samples.
    const double access = a.uplink_latency_s + d.offload_overhead_s +
                          8.0 * dnn_.split_bytes(s) * a.protocol_overhead / a.uplink_bps + a.downlink_latency_s +
                          result_dn;
    // Leaving the edge server at s: the backhaul both ways and the cloud's layers.
    const double backhaul = b.uplink_latency_s + 8.0 * dnn_.split_bytes(s) * b.protocol_overhead / b.uplink_bps +
                            dnn_.cloud_suffix_s(s) + d.cloud_wait_s + b.downlink_latency_s + result_bk;
    weight[leave_device_[s]] = {reach * access, s, 0};
    weight[relay_[s]]        = {ok(s) ? reach * backhaul : INF, 0, s};
    // Entering the edge server's layer s+1 from A_s: its wait, then that layer (rho_{s+1} = R_s).
    weight[enter_server_[s]] = {reach * p.server.wait_s + reach * p.server.gamma * edge_base_layer_s(dnn_, srv, s + 1),
                                0, 0};
    if (s >= 1)
      weight[leave_server_[s]] = {ok(s) ? reach * backhaul : INF, 0, s};
  }
}

TieredChoice TieredPartitionGraph::solve(const TieredParams& params)
{
  return *solve(params, std::vector<bool>(dnn_.layer_count() + 1, true));
}

std::optional<TieredChoice> TieredPartitionGraph::solve(const TieredParams& params, const std::vector<bool>& allowed)
{
  update_weights(params, &allowed);
  return run_dijkstra();
}

std::optional<TieredChoice> TieredPartitionGraph::solve(const TieredParams& params, const EnergyParams& energy,
                                                        double time_coef, double energy_coef,
                                                        const std::vector<bool>& allowed)
{
  update_weights(params, &allowed);
  add_energy(params, energy, time_coef, energy_coef);
  return run_dijkstra();
}

void TieredPartitionGraph::add_energy(const TieredParams& p, const EnergyParams& e, double time_coef,
                                      double energy_coef)
{
  // Device energy only: busy_w x the device's edges, and the access link's radio on the edges leaving the device.
  auto weight = boost::get(boost::edge_weight, graph_);
  for (const std::vector<Edge>* list : {&device_layers_, &device_branches_, &leave_device_, &relay_, &enter_server_,
                                        &server_layers_, &server_branches_})
    for (const Edge& edge : *list)
      if (weight[edge].time_s < INF)
        weight[edge].time_s *= time_coef;
  for (std::size_t s = 1; s < leave_server_.size(); ++s) // [0] is not an edge
    if (weight[leave_server_[s]].time_s < INF)
      weight[leave_server_[s]].time_s *= time_coef;
  const auto add = [&](Edge edge, double energy_j) {
    if (weight[edge].time_s < INF)
      weight[edge].time_s += energy_coef * energy_j;
  };
  const std::size_t n = dnn_.layer_count();
  double reach        = 1.0;
  std::size_t k       = 0;
  for (std::size_t s = 1; s <= n; ++s) {
    const double layer = reach * p.device.gamma * edge_base_layer_s(dnn_, p.device.edge_profile.get(), s);
    add(device_layers_[s - 1], e.device.busy_w * layer);
    if (dnn_.branch_after(s) >= 0) {
      add(device_branches_[k],
          e.device.busy_w * reach * p.device.gamma * edge_base_branch_s(dnn_, p.device.edge_profile.get(), k));
      reach *= 1.0 - p.device.exit_probs[k];
      ++k;
    }
  }
  for (std::size_t s = 0; s < n; ++s) // the gap before the result is bounded by a full tail (docs/model.md)
    add(leave_device_[s], offload_prob(dnn_, p.device.exit_probs, s) *
                              offload_radio_j(e.radio, p.device.link, dnn_.split_bytes(s), dnn_.result_bytes(),
                                              e.radio.tail_s));
}

std::optional<TieredChoice> TieredPartitionGraph::run_dijkstra()
{
  dijkstra_into(graph_, input_, pred_, dist_, color_, Cost{INF, 0, 0}, Cost{0.0, 0, 0}, CostLess{}, CostPlus{});
  const Cost& c = dist_[output_];
  if (!(c.time_s < INF))
    return std::nullopt;
  return TieredChoice{c.split, c.split2, c.time_s};
}

} // namespace popex
