#include "core/rate_estimator.hpp"

namespace popex {

std::unique_ptr<RateEstimator> make_rate_estimator(const EstimatorConfig& c)
{
  switch (c.kind) {
    case EstimatorKind::LAST:
      return std::make_unique<LastEstimator>();
    case EstimatorKind::EWMA:
      return std::make_unique<EwmaEstimator>(c.alpha);
    case EstimatorKind::HARMONIC:
    case EstimatorKind::ORACLE: // oracle reads the link; the passive samples are kept for the record
      break;
  }
  return std::make_unique<HarmonicEstimator>(c.window);
}

void HarmonicEstimator::add_sample(double bps)
{
  samples_.push(bps);
}

std::optional<double> HarmonicEstimator::estimate() const
{
  if (samples_.empty())
    return std::nullopt;
  double inv   = 0;
  bool stalled = false;
  samples_.for_each([&](double s) {
    stalled = s <= 0; // a stalled sample dominates a harmonic mean
    inv += stalled ? 0.0 : 1.0 / s;
    return !stalled;
  });
  return stalled ? 0.0 : static_cast<double>(samples_.size()) / inv;
}

ExitProbEstimator::ExitProbEstimator(std::vector<double> prior, std::size_t window, std::size_t min_samples)
    : prior_(std::move(prior))
    , min_samples_(min_samples)
    , seen_(prior_.size(), SlidingWindow<bool>(window))
    , exits_(prior_.size())
{
}

void ExitProbEstimator::observe(std::size_t k, bool exited)
{
  exits_[k] += exited ? 1 : 0;
  if (const std::optional<bool> out = seen_[k].push(exited))
    exits_[k] -= *out ? 1 : 0;
}

std::vector<double> ExitProbEstimator::estimate() const
{
  std::vector<double> q = prior_;
  for (std::size_t k = 0; k < q.size(); ++k)
    if (seen_[k].size() >= min_samples_)
      q[k] = static_cast<double>(exits_[k]) / static_cast<double>(seen_[k].size());
  return q;
}

} // namespace popex
