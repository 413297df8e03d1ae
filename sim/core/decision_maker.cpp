#include "core/decision_maker.hpp"

namespace popex {

DecisionMaker::DecisionMaker(const Dnn& dnn, bool three_tier, double hysteresis_pct)
    : dnn_(dnn), graph_(dnn), hysteresis_pct_(hysteresis_pct)
{
  if (three_tier)
    tiered_.emplace(dnn);
}

Decision DecisionMaker::settle(std::size_t s1, std::size_t s2, double best_s, double current_s)
{
  if (current_ && *current_ != std::make_pair(s1, s2) && current_s > 0 &&
      (current_s - best_s) / current_s * 100.0 < hysteresis_pct_) // gain relative to staying
    return {current_->first, current_->second, current_s, false};
  const bool changed = !current_ || *current_ != std::make_pair(s1, s2);
  current_           = std::make_pair(s1, s2);
  return {s1, s2, best_s, changed};
}

Decision DecisionMaker::decide(const ModelParams& params)
{
  const SplitChoice best = graph_.solve(params);
  const double now_t     = current_ && current_->first != best.split ? expected_time(dnn_, params, current_->first) : 0;
  return settle(best.split, best.split, best.expected_time_s, now_t);
}

Decision DecisionMaker::decide(const TieredParams& params)
{
  if (!tiered_)
    return decide(params.device);
  const TieredChoice best = tiered_->solve(params);
  const bool moved        = current_ && *current_ != std::make_pair(best.device_split, best.edge_split);
  const double now_t      = moved ? expected_time(dnn_, params, current_->first, current_->second) : 0;
  return settle(best.device_split, best.edge_split, best.expected_time_s, now_t);
}

} // namespace popex
