#include "core/image_outcome.hpp"
#include "core/random.hpp"

#include <cmath>

namespace popex {

OutcomeSampler::OutcomeSampler(const ExitModel& model, double threshold, std::vector<double> exit_probs)
    : model_(model)
    , per_sample_(dynamic_cast<const PerSampleExitModel*>(&model))
    , threshold_(threshold)
    , point_(model.at(threshold))
{
  if (!exit_probs.empty() && per_sample_ == nullptr)
    point_.exit_probs = std::move(exit_probs);
}

ImageOutcome OutcomeSampler::draw(std::uint64_t seed, std::uint64_t device, std::uint64_t index) const
{
  SplitMix64 rng(stream_seed(seed, Stream::EXITS, device, index));
  ImageOutcome o;
  const std::size_t k_final = model_.branch_count();
  if (per_sample_ != nullptr) {
    // Bootstrap: one real image, with its real confidences and correctness at every exit.
    const SampleSet& set = per_sample_->samples();
    auto j               = static_cast<std::size_t>(rng.uniform() * static_cast<double>(set.size()));
    if (j >= set.size())
      j = set.size() - 1;
    o.natural_exit      = set.natural_exit(j, threshold_);
    o.correct_at_branch = o.natural_exit < k_final && set.is_correct(j, o.natural_exit);
    o.correct_at_final  = set.is_correct(j, k_final);
    return o;
  }
  // Table: walk the branches with the conditional probabilities q_k.
  o.natural_exit = k_final;
  for (std::size_t k = 0; k < k_final; ++k)
    if (rng.uniform() < point_.exit_probs[k]) {
      o.natural_exit = k;
      break;
    }
  const double u_branch = rng.uniform();
  const double u_final  = rng.uniform();
  o.correct_at_branch   = o.natural_exit < k_final && u_branch < point_.accuracies[o.natural_exit];
  // An image a branch would take but the cloud's final exit classifies (the branch was not on the edge): the
  // final exit's accuracy on such images, when the backbone accuracy tells it.
  const double a      = point_.exiting_final_accuracy();
  o.correct_at_final  = u_final < (o.natural_exit < k_final && !std::isnan(a) ? a : point_.final_accuracy);
  o.accuracy_known      = !std::isnan(point_.final_accuracy);
  return o;
}

} // namespace popex
