#pragma once

#include "core/dnn.hpp"
#include "core/energy.hpp"
#include "core/tiered_time.hpp"

#include <boost/graph/adjacency_list.hpp>

#include <cstddef>
#include <optional>
#include <vector>

namespace popex {

/**
 * The three-tier partitioning graph (docs/model.md, "The graph"): a layered DAG whose vertices are (position, tier)
 * and whose input-to-output paths are in one-to-one correspondence with the pairs 0 <= s1 <= s2 <= N, each path's
 * length being exactly E[T(s1, s2)].
 *
 * Vertices: D_s, the device after layers 1..s (with the layer and branch vertices between them, as in the two-tier
 * graph); A_s (s < N), a tensor a_s arrived at the edge server; E_s (s >= 1), the edge server after layers ..s.
 * Edges: the device chain (rho_i gd e_i, rho gd eb_k); D_N -> out (device-only, 0); D_s -> A_s (R_s: access link
 * both ways and the offload overhead); A_s -> out (relay: s2 = s1); A_s -> the edge server's layer s+1 (R_s w_e +
 * its cost), then the edge-server chain; E_s -> out (R_s: backhaul both ways and the cloud; 0 at s = N). There are
 * O(N) vertices and edges, so a solve is O(N log N) where the enumeration of pairs is O(N^2).
 *
 * Build once per DNN; solve() re-weights in O(N) and runs boost::dijkstra_shortest_paths. Ties go to the smallest
 * (s1, s2): distances compare as (time, s1, s2).
 */
class TieredPartitionGraph {
public:
  /** Edge weight and path length: the time, and the splits the path's offload edges stand for. */
  struct Cost {
    double time_s      = 0;
    std::size_t split  = 0; //!< s1, set by the edge leaving the device (or device-only's edge)
    std::size_t split2 = 0; //!< s2, set by the edge into the output
  };

  /** Keeps a reference: `dnn` must outlive the graph. */
  explicit TieredPartitionGraph(const Dnn& dnn);

  /** The pair minimising E[T(s1, s2)]. */
  TieredChoice solve(const TieredParams& params);
  /**
   * The fastest pair whose edge split is allowed (allowed[s2], size N+1); nullopt if none is. Expected accuracy
   * depends on s2 only (the branches that run are those up to s2), so an accuracy target is exactly such a set.
   */
  std::optional<TieredChoice> solve(const TieredParams& params, const std::vector<bool>& allowed);
  /**
   * The pair minimising time_coef x E[T] + energy_coef x E[device energy] (docs/model.md), among the allowed edge
   * splits; its `expected_time_s` is then that cost.
   */
  std::optional<TieredChoice> solve(const TieredParams& params, const EnergyParams& energy, double time_coef,
                                    double energy_coef, const std::vector<bool>& allowed);

  std::size_t vertex_count() const { return boost::num_vertices(graph_); }
  std::size_t edge_count() const { return boost::num_edges(graph_); }

private:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                      boost::property<boost::edge_weight_t, Cost>>;
  using Vertex = Graph::vertex_descriptor;
  using Edge   = Graph::edge_descriptor;

  /** A chain of layer (and branch) edges from `from` through positions first..N; returns the state vertices. */
  std::vector<Vertex> chain(Vertex from, std::size_t first, std::vector<Edge>& layer_edges,
                            std::vector<Edge>& branch_edges);
  void update_weights(const TieredParams& params, const std::vector<bool>* allowed);
  void add_energy(const TieredParams& params, const EnergyParams& energy, double time_coef, double energy_coef);
  std::optional<TieredChoice> run_dijkstra();

  const Dnn& dnn_;
  Graph graph_;
  Vertex input_  = 0;
  Vertex output_ = 0;
  std::vector<Vertex> device_;        // [s]: D_s
  std::vector<Edge> device_layers_;   // [i-1]: into the device's layer i
  std::vector<Edge> device_branches_; // [k]
  std::vector<Edge> leave_device_;    // [s]: D_s -> A_s (s < N), and D_N -> out
  std::vector<Edge> relay_;           // [s]: A_s -> out (s < N)
  std::vector<Edge> enter_server_;    // [s]: A_s -> the edge server's layer s+1 (s < N)
  std::vector<Edge> server_layers_;   // [i-1]: E_{i-1} -> the edge server's layer i (i >= 2)
  std::vector<Edge> server_branches_; // [k]
  std::vector<Edge> leave_server_;    // [s]: E_s -> out (s >= 1; index 0 unused)
  std::vector<Vertex> pred_;
  std::vector<Cost> dist_;
  std::vector<boost::default_color_type> color_;
};

} // namespace popex
