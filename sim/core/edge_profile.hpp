#pragma once

#include "core/dnn.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace popex {

/**
 * Measured per-layer times of one edge device (the `edge_time_s` of a DNN file, or an edge-profile file): real edge
 * hardware does not slow every layer by one factor (fully connected layers are memory-bound, convolutions
 * compute-bound). Gamma multiplies these times; without a profile, the edge time is gamma x the cloud time.
 */
struct EdgeProfile {
  std::string name;             //!< the device it was measured on, as its file names it
  std::vector<double> layer_s;  //!< edge_time_s of each layer, seconds (size N, layer order)
  std::vector<double> branch_s; //!< edge_time_s of each branch head, seconds (size K, the Dnn's branch order)
};

/** Layer i's (1-based) edge time before gamma: the profile's, else the cloud time. */
inline double edge_base_layer_s(const Dnn& dnn, const EdgeProfile* profile, std::size_t i)
{
  return profile != nullptr ? profile->layer_s[i - 1] : dnn.layer(i).cloud_time_s;
}

/** Branch k's edge time before gamma: the profile's, else the cloud time. */
inline double edge_base_branch_s(const Dnn& dnn, const EdgeProfile* profile, std::size_t k)
{
  return profile != nullptr ? profile->branch_s[k] : dnn.branches()[k].cloud_time_s;
}

} // namespace popex
