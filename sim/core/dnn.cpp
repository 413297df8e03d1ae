#include "core/dnn.hpp"

#include <algorithm>

namespace popex {

namespace {
const std::string INPUT_NAME = "input";
}

Dnn::Dnn(std::string name, double input_bytes, double result_bytes, std::vector<Layer> layers,
         std::vector<Branch> branches)
    : name_(std::move(name))
    , input_bytes_(input_bytes)
    , result_bytes_(result_bytes)
    , layers_(std::move(layers))
    , branches_(std::move(branches))
{
  std::stable_sort(branches_.begin(), branches_.end(),
                   [](const Branch& a, const Branch& b) { return a.after < b.after; });
  const std::size_t n = layers_.size();
  branch_at_.assign(n + 1, -1);
  for (std::size_t k = 0; k < branches_.size(); ++k)
    branch_at_[branches_[k].after] = static_cast<int>(k);
  edge_branches_.assign(n + 1, 0);
  for (std::size_t s = 1; s <= n; ++s)
    edge_branches_[s] = edge_branches_[s - 1] + (branch_at_[s] >= 0 ? 1 : 0);
  cloud_suffix_.assign(n + 1, 0.0);
  for (std::size_t s = n; s-- > 0;)
    cloud_suffix_[s] = cloud_suffix_[s + 1] + layers_[s].cloud_time_s;
}

const std::string& Dnn::split_name(std::size_t s) const
{
  return s == 0 ? INPUT_NAME : layers_[s - 1].name;
}

int Dnn::find_split(const std::string& name) const
{
  if (name == INPUT_NAME)
    return 0;
  for (std::size_t i = 0; i < layers_.size(); ++i)
    if (layers_[i].name == name)
      return static_cast<int>(i + 1);
  return -1;
}

int Dnn::find_branch(const std::string& name) const
{
  for (std::size_t k = 0; k < branches_.size(); ++k)
    if (branches_[k].name == name)
      return static_cast<int>(k);
  return -1;
}

} // namespace popex
