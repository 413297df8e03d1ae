#pragma once

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/properties.hpp>

#include <vector>

namespace popex {

/**
 * Boost.Graph's Dijkstra from `source` over the edge weights of `g`, into storage the caller keeps across calls:
 * predecessors, distances and colours are sized once and re-initialised here, so a decision allocates only
 * Boost's heap. (The named-parameter dijkstra_shortest_paths allocates the colour map and the heap's index on every
 * call: a third of a 33,000-solve sweep's time went to malloc, docs/performance.md.) Cost orders with `less`, adds
 * with `plus`, starts from `zero` and is `inf` where unreached.
 */
template <typename Graph, typename Cost, typename Less, typename Plus>
void dijkstra_into(const Graph& g, typename boost::graph_traits<Graph>::vertex_descriptor source,
                   std::vector<typename boost::graph_traits<Graph>::vertex_descriptor>& pred, std::vector<Cost>& dist,
                   std::vector<boost::default_color_type>& color, Cost inf, Cost zero, Less less, Plus plus)
{
  const std::size_t n = boost::num_vertices(g);
  pred.resize(n);
  dist.assign(n, inf);
  color.assign(n, boost::white_color);
  for (std::size_t v = 0; v < n; ++v)
    pred[v] = v;
  dist[source]     = zero;
  const auto index = boost::get(boost::vertex_index, g);
  boost::dijkstra_shortest_paths_no_init(g, source, boost::make_iterator_property_map(pred.begin(), index),
                                         boost::make_iterator_property_map(dist.begin(), index),
                                         boost::get(boost::edge_weight, g), index, less, plus, zero,
                                         boost::default_dijkstra_visitor(),
                                         boost::make_iterator_property_map(color.begin(), index));
}

} // namespace popex
