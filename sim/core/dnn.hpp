#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace popex {

/** One backbone layer (or group of layers) of the DNN. */
struct Layer {
  std::string name;          //!< unique name, e.g. "conv1"
  double cloud_time_s  = 0;  //!< processing time on the reference cloud host, seconds (>= 0)
  double output_bytes  = 0;  //!< size of the output tensor, bytes (>= 0)
};

/** A side branch (early exit) placed after one layer. */
struct Branch {
  std::string name;          //!< unique name, e.g. "b1"
  std::size_t after = 0;     //!< 1-based index of the layer it follows (1..N)
  double cloud_time_s = 0;   //!< processing time of the branch on the reference cloud host, seconds
};

/**
 * The structure of an early-exit DNN: layers 1..N and side branches, sorted by position.
 *
 * Split s in 0..N means layers 1..s (and branches after them) run on the edge; s = 0 is cloud-only and s = N is
 * edge-only. Exit probabilities are not part of the structure: see ExitModel.
 */
class Dnn {
public:
  Dnn() = default;
  /** Branches may come in any order; they are sorted by position. Assumes validated input (see config). */
  Dnn(std::string name, double input_bytes, double result_bytes, std::vector<Layer> layers,
      std::vector<Branch> branches);

  const std::string& name() const { return name_; }
  double input_bytes() const { return input_bytes_; }   //!< a_0, bytes
  double result_bytes() const { return result_bytes_; } //!< r, bytes
  std::size_t layer_count() const { return layers_.size(); }
  std::size_t branch_count() const { return branches_.size(); }
  const std::vector<Layer>& layers() const { return layers_; }
  const std::vector<Branch>& branches() const { return branches_; }
  /** Layer i, 1-based. */
  const Layer& layer(std::size_t i) const { return layers_[i - 1]; }

  /** a_s: bytes sent when splitting after layer s (a_0 = input). */
  double split_bytes(std::size_t s) const { return s == 0 ? input_bytes_ : layers_[s - 1].output_bytes; }
  /** "input" for s = 0, else the name of layer s. */
  const std::string& split_name(std::size_t s) const;
  /** Number of branches with after <= s: the branches that run on the edge at split s (a prefix). */
  std::size_t edge_branch_count(std::size_t s) const { return edge_branches_[s]; }
  /** Index of the branch after layer i (1-based), or -1. */
  int branch_after(std::size_t i) const { return branch_at_[i]; }
  /** sum_{i>s} t_i: the cloud's backbone time when splitting after s, seconds. */
  double cloud_suffix_s(std::size_t s) const { return cloud_suffix_[s]; }
  /** Index of a split by name ("input" or a layer name), or -1. */
  int find_split(const std::string& name) const;
  /** Index of a branch by name, or -1. */
  int find_branch(const std::string& name) const;

private:
  std::string name_;
  double input_bytes_  = 0;
  double result_bytes_ = 0;
  std::vector<Layer> layers_;
  std::vector<Branch> branches_;
  std::vector<std::size_t> edge_branches_; // size N+1
  std::vector<int> branch_at_;             // size N+1, index 0 unused
  std::vector<double> cloud_suffix_;       // size N+1
};

} // namespace popex
