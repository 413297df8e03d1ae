#pragma once

#include "core/dnn.hpp"
#include "core/edge_profile.hpp"

#include <cstddef>
#include <vector>

namespace popex {

/** What the edge runs for one image at split s: its work in edge seconds before gamma, and where it ends. */
struct EdgeWork {
  double edge_seconds = 0; //!< sum of the edge times (profile or cloud) of the layers and branches run (x gamma)
  int exit_branch      = -1; //!< branch that takes the image on the edge, or -1
  bool at_edge         = false; //!< classified on the edge (branch exit, or the final exit at s = N)
  std::size_t evaluated = 0; //!< number of branches evaluated (they are a prefix)
};

/**
 * Prefix sums of a device's edge times (its measured profile, else the DNN's cloud times), so that an image's edge
 * part is one exec computed in O(1).
 */
class EdgeModel {
public:
  /** `profile` may be nullptr (gamma x cloud times); `dnn` must outlive the model. */
  EdgeModel(const Dnn& dnn, const EdgeProfile* profile);
  /** The edge part of an image whose first confident branch is `natural_exit` (K = none), at split s. */
  EdgeWork work(std::size_t natural_exit, std::size_t split) const;
  const Dnn& dnn() const { return dnn_; }

private:
  const Dnn& dnn_;
  std::vector<double> layer_prefix_;  // [i]: sum of t_1..t_i
  std::vector<double> branch_prefix_; // [k]: sum of tb_0..tb_{k-1}
};

} // namespace popex
