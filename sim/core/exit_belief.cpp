#include "core/exit_belief.hpp"

#include <algorithm>
#include <cmath>

namespace popex {

ExitBelief::ExitBelief(const Workload& workload, const std::string& initial, std::vector<double> thresholds,
                       std::size_t window, double switch_nats)
    : window_(std::max<std::size_t>(window, 1)), switch_nats_(switch_nats)
{
  const std::string start   = initial.empty() ? workload.default_variant() : initial;
  const auto trained_model = [&workload](const std::string& v) {
    const auto it = workload.variant_model.find(v);
    return it != workload.variant_model.end() ? it->second : std::string{};
  };
  for (const auto& [name, model] : workload.variants) {
    if (trained_model(name) != trained_model(start))
      continue; // another network's tables: the deployed one does not turn into it

    const bool covers = std::all_of(thresholds.begin(), thresholds.end(), [&m = *model](double t) {
      return t >= m.min_threshold() && t <= m.max_threshold();
    });
    if (!covers && name != start)
      continue;
    Candidate c{name, model.get(), {}, 0};
    for (const double t : thresholds)
      c.q.push_back(covers ? model->at(t).exit_probs : std::vector<double>(model->branch_count(), 0.0));
    if (name == start)
      current_ = candidates_.size();
    candidates_.push_back(std::move(c));
  }
  if (candidates_.size() >= 2) // with one model or none there is nothing to tell apart (observe())
    seen_.resize(candidates_.front().model->branch_count(), SlidingWindow<Observation>(window_));
}

double ExitBelief::log_p(const Candidate& c, const Observation& o, std::size_t k) const
{
  // Tables hold exact zeros and ones (no image exits at b1 at 0.8): clamped, one contradicting image is strong
  // evidence against a variant, never an infinite one.
  const double q = std::clamp(c.q[o.threshold_index][k], 1e-3, 1.0 - 1e-3);
  return std::log(o.exited ? q : 1.0 - q);
}

void ExitBelief::observe(std::size_t k, std::size_t threshold_index, bool exited)
{
  if (candidates_.size() < 2 || k >= seen_.size())
    return; // nothing to tell apart
  const Observation o{threshold_index, exited};
  const std::optional<Observation> old = seen_[k].push(o);
  for (auto& c : candidates_)
    c.log_likelihood += log_p(c, o, k);
  if (old)
    for (auto& c : candidates_)
      c.log_likelihood -= log_p(c, *old, k);
}

void ExitBelief::revise()
{
  std::size_t best = current_;
  for (std::size_t i = 0; i < candidates_.size(); ++i)
    if (candidates_[i].log_likelihood > candidates_[best].log_likelihood)
      best = i;
  if (candidates_[best].log_likelihood > candidates_[current_].log_likelihood + switch_nats_)
    current_ = best;
}

void ExitBelief::assume(const std::string& variant)
{
  for (std::size_t i = 0; i < candidates_.size(); ++i)
    if (candidates_[i].name == variant)
      current_ = i;
}

std::vector<double> ExitBelief::log_likelihoods() const
{
  std::vector<double> out;
  for (const auto& c : candidates_)
    out.push_back(c.log_likelihood);
  return out;
}

} // namespace popex
