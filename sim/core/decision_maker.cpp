#include "core/decision_maker.hpp"

namespace popex {

DecisionMaker::DecisionMaker(const Dnn& dnn, double hysteresis_pct)
    : dnn_(dnn), graph_(dnn), hysteresis_pct_(hysteresis_pct)
{
}

Decision DecisionMaker::decide(const ModelParams& params)
{
  const SplitChoice best = graph_.solve(params);
  if (!current_) {
    current_ = best.split;
    return {best.split, best.expected_time_s, true};
  }
  if (best.split == *current_)
    return {best.split, best.expected_time_s, false};
  const double now_t = expected_time(dnn_, params, *current_);
  // Gain relative to staying: (T(current) - T(best)) / T(current).
  if (now_t > 0 && (now_t - best.expected_time_s) / now_t * 100.0 < hysteresis_pct_)
    return {*current_, now_t, false};
  current_ = best.split;
  return {best.split, best.expected_time_s, true};
}

} // namespace popex
