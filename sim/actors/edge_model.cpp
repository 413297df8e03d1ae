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

EdgeWork EdgeModel::work(std::size_t natural_exit, std::size_t split) const
{
  EdgeWork w;
  const std::size_t on_edge = dnn_.edge_branch_count(split);
  if (natural_exit < on_edge) {
    // The image leaves at branch E: layers up to l(E) and branches 0..E ran.
    const std::size_t after = dnn_.branches()[natural_exit].after;
    w.edge_seconds         = layer_prefix_[after] + branch_prefix_[natural_exit + 1];
    w.exit_branch           = static_cast<int>(natural_exit);
    w.at_edge               = true;
    w.evaluated             = natural_exit + 1;
    return w;
  }
  w.edge_seconds = layer_prefix_[split] + branch_prefix_[on_edge];
  w.at_edge       = split == dnn_.layer_count();
  w.evaluated     = on_edge;
  return w;
}

} // namespace popex
