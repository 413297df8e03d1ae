#pragma once

#include "core/dnn.hpp"
#include "core/energy.hpp"
#include "core/expected_time.hpp"

#include <boost/graph/adjacency_list.hpp>

#include <cstddef>
#include <limits>
#include <optional>
#include <vector>

namespace popex {

/**
 * POPEX's partitioning graph (SBRC 2021, Fig. 2b) and its Dijkstra solve.
 *
 * Vertices: input, one per layer, one per side branch, output. The edge chain input -> L1 -> (B) -> L2 ... carries
 * the expected edge time of each layer and branch (rho_i gamma t_i); from the vertex reached after split s, one
 * offload edge goes to output carrying R_s times the offload cost (0 for the edge-only split). Every input-output
 * path is one split s and its length is exactly E[T(s)].
 *
 * The shape depends only on the DNN: build once, then solve() updates the weights in O(N) and runs
 * boost::dijkstra_shortest_paths. Ties go to the smallest s (distances compare as (time, s) pairs).
 */
class PartitionGraph {
public:
  /** Edge weight and path length: the time, and the split an offload edge stands for (0 on chain edges). */
  struct Cost {
    double time_s     = 0;
    std::size_t split = 0;
  };

  /** Keeps a reference: `dnn` must outlive the graph. */
  explicit PartitionGraph(const Dnn& dnn);

  /** The split minimising E[T(s)]. */
  SplitChoice solve(const ModelParams& params);
  /** The fastest split among those with allowed[s] (size N+1); nullopt if none is allowed. */
  std::optional<SplitChoice> solve(const ModelParams& params, const std::vector<bool>& allowed);
  /**
   * The split minimising time_coef x E[T] + energy_coef x E[energy] (an additive objective: the edges carry both,
   * docs/model.md), among those allowed; its `expected_time_s` is then that cost.
   */
  std::optional<SplitChoice> solve(const ModelParams& params, const EnergyParams& energy, double time_coef,
                                   double energy_coef, const std::vector<bool>& allowed);

  std::size_t vertex_count() const { return boost::num_vertices(graph_); }
  std::size_t edge_count() const { return boost::num_edges(graph_); }

private:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                      boost::property<boost::edge_weight_t, Cost>>;
  using Vertex = Graph::vertex_descriptor;
  using Edge   = Graph::edge_descriptor;

  void update_weights(const ModelParams& params, const std::vector<bool>* allowed);
  /** Adds energy_coef x the energy of each edge to time_coef x its time. */
  void add_energy(const ModelParams& params, const EnergyParams& energy, double time_coef, double energy_coef);
  std::optional<SplitChoice> run_dijkstra();

  const Dnn& dnn_;
  Graph graph_;
  Vertex input_  = 0;
  Vertex output_ = 0;
  std::vector<Edge> layer_edges_;   // [i-1]: into layer i
  std::vector<Edge> branch_edges_;  // [k]: into branch k
  std::vector<Edge> offload_edges_; // [s]: from the state after split s to output
  std::vector<Vertex> state_;       // [s]: vertex reached once layers 1..s and their branches ran
  std::vector<Vertex> pred_;
  std::vector<Cost> dist_;
  std::vector<boost::default_color_type> color_;
};

} // namespace popex
