#include "actors/edge_model.hpp"

namespace popex {

EdgeModel::EdgeModel(const Dnn& dnn, const EdgeProfile* profile) : dnn_(dnn)
{
  layer_prefix_.assign(dnn.layer_count() + 1, 0.0);
  for (std::size_t i = 1; i <= dnn.layer_count(); ++i)
    layer_prefix_[i] = layer_prefix_[i - 1] + edge_base_layer_s(dnn, profile, i);
  branch_prefix_.assign(dnn.branch_count() + 1, 0.0);
  for (std::size_t k = 0; k < dnn.branch_count(); ++k)
    branch_prefix_[k + 1] = branch_prefix_[k] + edge_base_branch_s(dnn, profile, k);
}

EdgeWork EdgeModel::work(std::size_t natural_exit, std::size_t from, std::size_t to) const
{
  EdgeWork w;
  w.first_branch           = dnn_.edge_branch_count(from);
  const std::size_t last   = dnn_.edge_branch_count(to); // branches [first, last) sit in the range
  if (natural_exit >= w.first_branch && natural_exit < last) {
    // The image leaves at branch E: layers up to l(E) and branches first..E ran.
    const std::size_t after = dnn_.branches()[natural_exit].after;
    w.edge_seconds = (layer_prefix_[after] - layer_prefix_[from]) +
                     (branch_prefix_[natural_exit + 1] - branch_prefix_[w.first_branch]);
    w.exit_branch = static_cast<int>(natural_exit);
    w.at_edge     = true;
    w.evaluated   = natural_exit + 1 - w.first_branch;
    return w;
  }
  w.edge_seconds = (layer_prefix_[to] - layer_prefix_[from]) + (branch_prefix_[last] - branch_prefix_[w.first_branch]);
  w.at_edge      = to == dnn_.layer_count();
  w.evaluated    = last - w.first_branch;
  return w;
}

} // namespace popex
