#pragma once

#include "core/exit_model.hpp"

#include <cstddef>
#include <cstdint>

namespace popex {

/**
 * What an image would do if every branch ran: the first branch that would take it (or the final exit), and
 * whether the exit it ends up at classifies it correctly. Drawn once, when the image is created, from the image's
 * own stream: the same seed gives the same images to every policy.
 */
struct ImageOutcome {
  std::size_t natural_exit = 0;   //!< branch index 0..K-1, or K for the backbone's final exit
  bool correct_at_branch   = false; //!< correctness if it exits at natural_exit (< K)
  bool correct_at_final    = false; //!< correctness if the backbone's final exit classifies it
  bool accuracy_known      = true;  //!< false when the model gives no accuracy (NaN final accuracy)
};

/** Draws outcomes from an exit model at a fixed threshold; precomputes the table lookups once. */
class OutcomeSampler {
public:
  /** `exit_probs`, if not empty, replaces the table's q (accuracies stay the table's); tables only. */
  OutcomeSampler(const ExitModel& model, double threshold, std::vector<double> exit_probs = {});
  /** The outcome of image `index` of `device` under master `seed`. */
  ImageOutcome draw(std::uint64_t seed, std::uint64_t device, std::uint64_t index) const;

private:
  const ExitModel& model_;
  const PerSampleExitModel* per_sample_;
  double threshold_;
  ExitPoint point_;
};

} // namespace popex
