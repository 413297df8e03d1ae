#pragma once

#include "core/dnn.hpp"
#include "core/edge_profile.hpp"

#include <cstddef>
#include <vector>

namespace popex {

/** What one tier runs for one image between two splits: its work in seconds before gamma, and where it ends. */
struct EdgeWork {
  double edge_seconds = 0;  //!< sum of the times (profile or cloud) of the layers and branches run (x gamma)
  int exit_branch      = -1; //!< branch that takes the image in this range, or -1
  bool at_edge         = false; //!< classified here (branch exit, or the final exit when the range ends at N)
  std::size_t first_branch = 0; //!< branches first_branch..first_branch + evaluated - 1 ran here
  std::size_t evaluated    = 0; //!< number of branches evaluated
};

/**
 * Prefix sums of one tier's times (a device's or an edge server's measured profile, else the DNN's cloud times), so
 * that the part of an image a tier runs is one exec computed in O(1).
 */
class EdgeModel {
public:
  /** `profile` may be nullptr (cloud times); `dnn` must outlive the model. */
  EdgeModel(const Dnn& dnn, const EdgeProfile* profile);
  /**
   * Layers from+1..to and the branches after them, for an image whose first confident branch is `natural_exit`
   * (K = none): the range stops at that branch if it lies inside.
   */
  EdgeWork work(std::size_t natural_exit, std::size_t from, std::size_t to) const;
  /** The device's part at split s: layers 1..s. */
  EdgeWork work(std::size_t natural_exit, std::size_t split) const { return work(natural_exit, 0, split); }
  const Dnn& dnn() const { return dnn_; }

private:
  const Dnn& dnn_;
  std::vector<double> layer_prefix_;  // [i]: sum of e_1..e_i
  std::vector<double> branch_prefix_; // [k]: sum of eb_0..eb_{k-1}
};

} // namespace popex
