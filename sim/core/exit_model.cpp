#include "core/exit_model.hpp"
#include "core/config_error.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace popex {

double ExitPoint::exiting_final_accuracy() const
{
  double stay = 1.0; // R_K
  for (const double q : exit_probs)
    stay *= 1.0 - q;
  if (std::isnan(backbone_accuracy) || stay >= 1.0)
    return std::numeric_limits<double>::quiet_NaN();
  return std::clamp((backbone_accuracy - stay * final_accuracy) / (1.0 - stay), 0.0, 1.0);
}

double ExitModel::expected_accuracy(double threshold, std::size_t edge_branches) const
{
  const ExitPoint p = at(threshold);
  const double a    = p.exiting_final_accuracy();
  const double a_k  = std::isnan(a) ? p.final_accuracy : a;
  double reach      = 1.0;
  double acc        = 0.0;
  for (std::size_t k = 0; k < p.exit_probs.size(); ++k) {
    // Branch k runs on the edge and classifies; or it is in the cloud and the final exit does, at accuracy a.
    acc += reach * p.exit_probs[k] * (k < edge_branches ? p.accuracies[k] : a_k);
    reach *= 1.0 - p.exit_probs[k];
  }
  return acc + reach * p.final_accuracy;
}

double ExitModel::check_threshold(double threshold) const
{
  const double lo = min_threshold();
  const double hi = max_threshold();
  // Sweeps such as 0.5:0.99:0.01 land a few ulps outside the table; snap them rather than refuse.
  constexpr double SNAP = 1e-9;
  if (std::isfinite(threshold) && threshold >= lo - SNAP && threshold <= hi + SNAP)
    return std::clamp(threshold, lo, hi);
  throw ConfigError(fmt::format("threshold must be within the exit table [{}, {}] (got {})", lo, hi, threshold));
}

TableExitModel::TableExitModel(std::vector<double> thresholds, std::vector<std::vector<ExitRow>> branches,
                               std::vector<double> final_accuracy, double backbone_accuracy)
    : thresholds_(std::move(thresholds)), final_accuracy_(std::move(final_accuracy)), backbone_accuracy_(backbone_accuracy)
{
  if (final_accuracy_.size() == 1)
    final_accuracy_.assign(thresholds_.size(), final_accuracy_.front());
  for (const auto& rows : branches) {
    std::vector<double> q;
    std::vector<double> qa;
    for (const auto& r : rows) {
      q.push_back(r.exit_prob);
      qa.push_back(r.exit_prob * r.accuracy);
    }
    q_.push_back(std::move(q));
    qa_.push_back(std::move(qa));
  }
}

ExitPoint TableExitModel::at(double threshold) const
{
  const double t = check_threshold(threshold);
  // Segment [j, j+1] containing t, with weight w on row j+1.
  std::size_t j = 0;
  double w      = 0.0;
  if (thresholds_.size() > 1) {
    const auto it = std::upper_bound(thresholds_.begin(), thresholds_.end(), t);
    j             = static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, (it - thresholds_.begin()) - 1));
    if (j + 1 >= thresholds_.size())
      j = thresholds_.size() - 2;
    w = (t - thresholds_[j]) / (thresholds_[j + 1] - thresholds_[j]);
  }
  auto lerp = [&](const std::vector<double>& v) { return w == 0.0 ? v[j] : v[j] + w * (v[j + 1] - v[j]); };
  ExitPoint p;
  for (std::size_t k = 0; k < q_.size(); ++k) {
    const double q  = lerp(q_[k]);
    const double qa = lerp(qa_[k]);
    p.exit_probs.push_back(q);
    p.accuracies.push_back(q > 0 ? qa / q : 0.0);
  }
  p.final_accuracy    = lerp(final_accuracy_);
  p.backbone_accuracy = backbone_accuracy_;
  return p;
}

std::size_t SampleSet::natural_exit(std::size_t sample, double threshold) const
{
  const std::size_t k_final = exit_count - 1;
  for (std::size_t k = 0; k < k_final; ++k)
    if (conf(sample, k) >= threshold)
      return k;
  return k_final;
}

PerSampleExitModel::PerSampleExitModel(std::shared_ptr<const SampleSet> samples) : samples_(std::move(samples)) {}

std::vector<double> PerSampleExitModel::grid() const
{
  std::vector<double> g;
  for (int i = 1; i <= 100; ++i)
    g.push_back(i / 100.0);
  return g;
}

ExitPoint PerSampleExitModel::at(double threshold) const
{
  const double t        = check_threshold(threshold);
  const std::size_t nk  = branch_count();
  std::vector<double> reached(nk + 1, 0.0);
  std::vector<double> exited(nk + 1, 0.0);
  std::vector<double> right(nk + 1, 0.0);
  for (std::size_t j = 0; j < samples_->size(); ++j) {
    const std::size_t e = samples_->natural_exit(j, t);
    for (std::size_t k = 0; k <= e; ++k)
      reached[k] += 1.0;
    exited[e] += 1.0;
    right[e] += samples_->is_correct(j, e) ? 1.0 : 0.0;
  }
  ExitPoint p;
  for (std::size_t k = 0; k < nk; ++k) {
    p.exit_probs.push_back(reached[k] > 0 ? exited[k] / reached[k] : 0.0);
    p.accuracies.push_back(exited[k] > 0 ? right[k] / exited[k] : 0.0);
  }
  p.final_accuracy = exited[nk] > 0 ? right[nk] / exited[nk] : 0.0;
  return p;
}

double PerSampleExitModel::expected_accuracy(double threshold, std::size_t edge_branches) const
{
  const double t       = check_threshold(threshold);
  const std::size_t nk = branch_count();
  const std::size_t m  = std::min(edge_branches, nk);
  std::size_t right    = 0;
  for (std::size_t j = 0; j < samples_->size(); ++j) {
    std::size_t e = samples_->natural_exit(j, t);
    if (e >= m)
      e = nk; // the branch that would take it is in the cloud: the backbone's final exit classifies it
    right += samples_->is_correct(j, e) ? 1 : 0;
  }
  return samples_->size() == 0 ? 0.0 : static_cast<double>(right) / static_cast<double>(samples_->size());
}

} // namespace popex
