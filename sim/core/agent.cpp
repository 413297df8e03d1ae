#include "core/agent.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace popex {

namespace {
std::shared_ptr<SplitGraphs> graphs_for(const Dnn& dnn, bool three_tier, std::shared_ptr<SplitGraphs> shared)
{
  if (!shared)
    return std::make_shared<SplitGraphs>(dnn, three_tier);
  if (&shared->dnn != &dnn || shared->three.has_value() != three_tier)
    throw std::invalid_argument("Agent: shared partitioning graphs of another DNN or number of tiers");
  return shared;
}
} // namespace

Agent::Agent(const Workload& workload, AgentConfig config, UpdateBox box, std::shared_ptr<SplitGraphs> graphs)
    : workload_(workload)
    , config_(std::move(config))
    , box_(std::move(box))
    , maker_(graphs_for(workload.dnn, config_.three_tier, std::move(graphs)), config_.hysteresis_pct)
    , belief_(workload, config_.variant, config_.thresholds)
{
}

void Agent::exit_observed(std::size_t k, bool exited)
{
  box_.exit_observed(k, exited);
  belief_.observe(k, config_.threshold_index, exited);
}

void Agent::result(const ResultReport& r)
{
  box_.result(r);
  for (std::size_t i = 0; i < r.server_branches_evaluated; ++i) {
    const std::size_t k = r.first_server_branch + i;
    belief_.observe(k, config_.threshold_index, static_cast<int>(k) == r.exit_branch);
  }
}

std::vector<ExitOption> Agent::options(const TieredParams& p, const std::string* true_variant)
{
  const Dnn& dnn         = workload_.dnn;
  const ExitModel* model = workload_.variants.empty() ? nullptr : &belief_.model();
  const auto accuracy    = [&](const ExitModel* m, double t) {
    std::vector<double> acc(dnn.layer_count() + 1, std::numeric_limits<double>::quiet_NaN());
    if (m != nullptr && !std::isnan(t))
      for (std::size_t s = 0; s <= dnn.layer_count(); ++s)
        acc[s] = m->expected_accuracy(t, config_.policy.kind == PolicyKind::CLOUD_ONLY ? 0 : dnn.edge_branch_count(s));
    return acc;
  };
  std::vector<ExitOption> out;
  if (!config_.objective.accuracy_min || model == nullptr) { // the threshold in force, and q as estimated
    const double t = config_.thresholds[config_.threshold_index];
    out.push_back({t, p.device.exit_probs, accuracy(model, t)});
    return out;
  }
  // Every threshold, with q and the accuracy of the variant believed to describe the images now (the oracle knows
  // it): one consistent model for all, so that sampling noise at the threshold in force does not tip the choice.
  if (true_variant != nullptr)
    belief_.assume(*true_variant);
  else
    belief_.revise();
  for (std::size_t j = 0; j < config_.thresholds.size(); ++j) {
    const double t = config_.thresholds[j];
    out.push_back({t, belief_.exit_probs(j), accuracy(&belief_.model(), t)});
  }
  return out;
}

AgentDecision Agent::decide(std::optional<double> true_bps, const std::vector<double>* true_q,
                            const std::string* true_variant)
{
  AgentDecision a;
  a.inputs = box_.estimate(config_.policy, true_bps);
  if (true_q != nullptr) // the oracle knows the true exit probabilities too
    a.inputs.device.exit_probs = *true_q;
  const Dnn& dnn            = workload_.dnn;
  const Objective& o        = config_.objective;
  const bool plain          = o.kind == ObjectiveKind::LATENCY && !o.constrained() && !o.accuracy_min;
  const EnergyParams* power = config_.energy ? &*config_.energy : nullptr;
  if (const auto fixed = config_.policy.fixed_choice(dnn.layer_count(), config_.three_tier)) {
    const auto opts = options(a.inputs, true_variant);
    const Rows rows = make_rows(dnn, a.inputs, config_.three_tier, power, opts.front().accuracy_by_split);
    const std::size_t row = config_.three_tier ? pair_index(dnn.layer_count(), fixed->device_split, fixed->edge_split)
                                               : fixed->device_split;
    a.decision = {fixed->device_split, fixed->edge_split, rows.time_s[row], true, config_.threshold_index,
                  rows.energy.empty() ? 0.0 : rows.energy[row].total_j(), true};
  } else if (plain && power == nullptr) {
    a.decision        = maker_.decide(a.inputs); // POPEX's own case: Dijkstra on E[T]
    a.decision.option = config_.threshold_index;
  } else {
    const auto opts = options(a.inputs, true_variant);
    a.decision      = maker_.decide(a.inputs, opts, o, power);
    if (o.accuracy_min && opts.size() > 1) {
      if (a.decision.option != config_.threshold_index) {
        // A new threshold: the Update Box's exit rates were observed at the old one (the belief keeps them all).
        config_.threshold_index = a.decision.option;
        box_.reset_exits(opts[a.decision.option].exit_probs);
      }
      a.inputs.device.exit_probs = opts[a.decision.option].exit_probs; // the q the choice was made with
    } else {
      a.decision.option = config_.threshold_index;
    }
  }
  a.threshold = config_.thresholds.empty() ? std::numeric_limits<double>::quiet_NaN()
                                           : config_.thresholds[config_.threshold_index];
  return a;
}

} // namespace popex
