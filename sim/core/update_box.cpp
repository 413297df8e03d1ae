#include "core/update_box.hpp"

namespace popex {

UpdateBox::UpdateBox(const EstimatorConfig& config, TieredParams initial)
    : config_(config)
    , initial_(std::move(initial))
    , access_(make_rate_estimator(config))
    , backhaul_(make_rate_estimator(config))
    , exits_(initial_.device.exit_probs)
{
}

void UpdateBox::access_sample(std::optional<double> bps, double now_s)
{
  if (bps)
    access_->add_sample(*bps);
  last_transfer_s_ = now_s;
  ++inputs_;
}

void UpdateBox::result(const ResultReport& r)
{
  ++inputs_;
  if (r.reached_cloud)
    cloud_wait_.add_sample(r.cloud_wait_s);
  if (r.computed_on_edge_server)
    edge_wait_.add_sample(r.edge_wait_s);
  if (r.backhaul_bps)
    backhaul_->add_sample(*r.backhaul_bps);
  for (std::size_t i = 0; i < r.server_branches_evaluated; ++i) {
    const std::size_t k = r.first_server_branch + i;
    exits_.observe(k, static_cast<int>(k) == r.exit_branch);
  }
}

bool UpdateBox::probe_due(double now_s) const
{
  return config_.kind != EstimatorKind::ORACLE && config_.probe_idle_s > 0 &&
         now_s - last_transfer_s_ >= config_.probe_idle_s;
}

double UpdateBox::access_bps() const
{
  return access_->estimate().value_or(initial_.device.link.uplink_bps);
}

TieredParams UpdateBox::estimate(const Policy& policy, std::optional<double> true_access_bps) const
{
  TieredParams p = initial_;
  if (true_access_bps)
    p.device.link.uplink_bps = *true_access_bps;
  else if (config_.kind != EstimatorKind::ORACLE)
    p.device.link.uplink_bps = access_bps();
  if (const auto b = backhaul_->estimate())
    p.server.backhaul.uplink_bps = *b;
  if (policy.exit_aware())
    p.device.exit_probs = exits_.estimate();
  else
    p.device.exit_probs.assign(p.device.exit_probs.size(), 0.0);
  if (policy.load_aware()) {
    p.device.cloud_wait_s = cloud_wait_.estimate();
    p.server.wait_s       = edge_wait_.estimate();
  }
  return p;
}

} // namespace popex
