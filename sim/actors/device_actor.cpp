#include "actors/device_actor.hpp"

#include "actors/transfers.hpp"

#include <simgrid/s4u.hpp>

#include <cmath>
#include <limits>

XBT_LOG_NEW_DEFAULT_CATEGORY(popex_device, "Edge devices and their POPEX agents");

namespace sg4 = simgrid::s4u;

namespace popex {

namespace {
constexpr double NEVER = std::numeric_limits<double>::infinity();

std::uint64_t wire_bytes(double payload, double overhead)
{
  return static_cast<std::uint64_t>(std::llround(payload * overhead));
}

/**
 * The first tick after `from` on the agent's period grid at which `reached(t)` holds (monotone in t). The ticks are
 * summed one period at a time, as an agent that never slept schedules them, so a sleeping agent wakes on exactly
 * the same instants. Past a million periods (asleep that long, no tick to match bit for bit) it finds the tick by
 * bisection on the number of periods instead: never a loop without bound.
 */
template <typename Reached>
double first_tick(double from, double period, Reached reached)
{
  constexpr std::uint64_t SUMMED = 1'000'000;
  double t = from + period;
  for (std::uint64_t k = 1; k < SUMMED; ++k, t += period)
    if (reached(t))
      return t;
  std::uint64_t lo = SUMMED - 1, hi = 2 * SUMMED; // reached(from + lo x period) is false
  while (!reached(from + static_cast<double>(hi) * period) && hi < (std::uint64_t{1} << 62))
    hi *= 2;
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    (reached(from + static_cast<double>(mid) * period) ? hi : lo) = mid;
  }
  return from + static_cast<double>(hi) * period;
}
} // namespace

DeviceActor::DeviceActor(DeviceActorConfig config, const EdgeModel& model, std::unique_ptr<Agent> agent, const UplinkState& access,
                         ExitRegime& regime, MetricsSink& sink)
    : config_(std::move(config))
    , model_(model)
    , agent_(std::move(agent))
    , ledger_(config_.energy, [this](Image* image) { write(image); })
    , access_(access)
    , regime_(regime)
    , sink_(sink)
    , arrivals_(stream_seed(config_.seed, Stream::ARRIVALS, static_cast<std::uint64_t>(config_.index), 0))
{
}

void DeviceActor::operator()()
{
  config_.results->set_receiver(sg4::Actor::self()); // eager: results travel whether or not a get is posted
  t0_   = sg4::Engine::get_clock();
  // A Poisson process's first arrival comes after an exponential wait too (not at t = 0 for every device at once).
  next_arrival_ = config_.arrival.process == ArrivalProcess::POISSON
                      ? t0_ + arrivals_.exponential(config_.arrival.rate_hz)
                      : t0_;
  decide("start", t0_);
  if (config_.policy.periodic())
    next_tick_ = t0_ + config_.update_period_s;
  // A write error (a full disk) ends every device at its next wake: nothing more can be recorded.
  while (!stopped_ && !sink_.failed() && (!arrivals_done(sg4::Engine::get_clock()) || finished_ < created_)) {
    const double now = sg4::Engine::get_clock();
    start_work(now);
    // Posted only while a result may come: each wait registers on every activity it waits on (a cold one, with
    // 10,000 devices), and most wakes (arrivals, ticks, the device's own work) come with no image away. The mailbox
    // is eager: a result that came before its receive was posted would still be there, at the same instant.
    if (!result_ && away_ > 0)
      result_ = config_.results->get_async<ResultMsg>(&received_);
    const std::vector<ActivityPtr>& acts = pending();
    const double timer                  = next_timer(now);
    const ssize_t done = sg4::Activity::wait_any_for(acts, std::isfinite(timer) ? std::max(0.0, timer - now) : -1.0);
    const double at    = sg4::Engine::get_clock();
    if (done < 0) {
      // The earliest timer fired (by construction), even if rounding left the clock a hair before it.
      if (timer == config_.stop_at_s)
        stopped_ = true;
      else if (timer == next_arrival_ && !waiting_for_image_ && !arrivals_done(at))
        create_image(at);
      else if (timer == send_at_)
        put_tensor(at);
      else if (timer == next_tick_)
        tick(at);
      else
        ledger_.flush(at); // an image's radio tail is over: its energy is final
      continue;
    }
    const ActivityPtr& a = acts[static_cast<std::size_t>(done)];
    if (a == exec_)
      end_exec(at);
    else if (a == send_)
      end_send(at);
    else if (a == probe_)
      end_probe(at);
    else if (a == result_)
      end_result(at);
  }
  // Nothing of this device stays in flight after it. It cancels its own activities, from its own context, after a
  // wait that returned: an actor killed while its wait_any_for waits on an exec would be woken again once dead
  // (SimGrid 3.32's ExecImpl::finish answers dying actors: "The Impossible Did Happen"), so timeout_s stops the
  // devices this way (and a full disk too) rather than by Actor::kill_all().
  for (ActivityPtr* a : {&exec_, &send_, &probe_, &result_})
    if (*a) {
      (*a)->cancel();
      *a = nullptr;
    }
  ledger_.drain();
  config_.results->set_receiver(nullptr);
  ended_ = true;
  XBT_DEBUG("device %d: %llu images done", config_.index, static_cast<unsigned long long>(created_));
}

const std::vector<DeviceActor::ActivityPtr>& DeviceActor::pending()
{
  // The order settles simultaneous completions: the device's work, its sends, then what comes back. One vector for
  // the actor's life: this runs at every wake-up of every device.
  pending_.clear();
  for (const ActivityPtr* a : {&exec_, &send_, &probe_, &result_})
    if (*a)
      pending_.push_back(*a);
  return pending_;
}

double DeviceActor::next_timer(double now) const
{
  double t = NEVER;
  if (!waiting_for_image_ && !arrivals_done(now))
    t = std::min(t, next_arrival_);
  if (send_at_ >= 0)
    t = std::min(t, send_at_);
  if (next_tick_ >= 0 && !probe_)
    t = std::min(t, next_tick_);
  return std::min({t, ledger_.next_flush_s(), config_.stop_at_s});
}

bool DeviceActor::arrivals_done(double now) const
{
  return (config_.images && created_ >= *config_.images) || (config_.duration_s && now >= *config_.duration_s);
}

void DeviceActor::create_image(double now)
{
  Image* img            = pool_.acquire();
  img->record.id        = created_;
  img->record.device    = config_.index;
  img->record.arrival_s = now;
  img->outcome          = regime_.samplers[regime_.current][agent_->threshold_index()]->draw(
      config_.seed, static_cast<std::uint64_t>(config_.index), created_); // at the threshold in force
  edge_queue_.push_back(img);
  ledger_.created(img);
  ++created_;
  switch (config_.arrival.process) {
    case ArrivalProcess::CLOSED_LOOP:
      waiting_for_image_ = true; // the next one when this one is done, as the papers measure
      break;
    case ArrivalProcess::PERIODIC:
      next_arrival_ = t0_ + static_cast<double>(created_) / config_.arrival.rate_hz;
      break;
    case ArrivalProcess::POISSON:
      next_arrival_ = now + arrivals_.exponential(config_.arrival.rate_hz);
      break;
  }
}

void DeviceActor::start_work(double now)
{
  if (!exec_ && computing_ == nullptr && !edge_queue_.empty())
    start_exec(now);
  if (sending_ == nullptr && !uplink_queue_.empty())
    start_send(now);
}

void DeviceActor::start_exec(double now)
{
  Image* img = edge_queue_.front();
  edge_queue_.pop_front();
  ImageRecord& r = img->record;
  r.start_s      = now;
  r.split        = split_; // read when the image starts, as the agent published it
  r.edge_split   = edge_split_;
  computing_     = img;
  const EdgeWork w = model_.work(img->outcome.natural_exit, r.split);
  r.exit_branch    = w.exit_branch;
  r.location       = w.at_edge ? ExitLocation::DEVICE : ExitLocation::CLOUD;
  evaluated_       = w.evaluated;
  if (w.edge_seconds > 0)
    exec_ = sg4::this_actor::exec_async(w.edge_seconds * config_.flops_per_s);
  else
    end_exec(now);
}

void DeviceActor::end_exec(double now)
{
  Image* img = computing_;
  computing_ = nullptr;
  exec_      = nullptr;
  ImageRecord& r = img->record;
  r.edge_s       = now - r.start_s;
  for (std::size_t k = 0; k < evaluated_; ++k) // the branches have run: the agent sees their outcomes now
    agent_->exit_observed(k, static_cast<int>(k) == r.exit_branch);
  if (evaluated_ > 0)
    wake(now);
  if (r.location == ExitLocation::DEVICE) {
    finish(img, now);
    return;
  }
  r.bytes_up        = model_.dnn().split_bytes(r.split);
  img->send_start_s = now; // enqueued; the transfer stamps its own start
  uplink_queue_.push_back(img);
}

void DeviceActor::start_send(double now)
{
  // One tensor at a time, FIFO, as one application connection sends them.
  sending_ = uplink_queue_.front();
  uplink_queue_.pop_front();
  sending_->record.uplink_queue_s = now - sending_->send_start_s;
  if (config_.offload_overhead_s > 0)
    send_at_ = now + config_.offload_overhead_s; // serialisation and framing before the bytes go
  else
    put_tensor(now);
}

void DeviceActor::put_tensor(double now)
{
  send_at_               = -1;
  sending_->send_start_s = now;
  send_ =
      config_.uplink->put_async(&sending_->offload, wire_bytes(sending_->record.bytes_up, config_.protocol_overhead));
}

void DeviceActor::end_send(double now)
{
  Image* img = sending_;
  sending_   = nullptr;
  send_      = nullptr;
  take_back(config_.uplink);
  config_.receiver->arrive(img); // the transfer ends when the tensor has arrived
  ++away_;
  // Update Box, passive: the link's (wire) rate.
  img->record.transfer_s = now - img->send_start_s + config_.offload_overhead_s;
  const double payload_s = now - img->send_start_s - config_.access_latency_s;
  const double wire_bits = 8.0 * img->record.bytes_up * config_.protocol_overhead;
  agent_->box().access_sample(payload_s > 0 ? std::optional<double>(wire_bits / payload_s) : std::nullopt, now);
  wake(now);
  ledger_.transfer(img->send_start_s, now, wire_bits / 1e6, 0, img, now);
}

void DeviceActor::end_result(double now)
{
  result_    = nullptr;
  --away_;
  Image* img = received_->image;
  ImageRecord& r = img->record;
  r.downlink_s   = now - img->result_sent_s;
  ResultReport report;
  report.reached_cloud           = r.location == ExitLocation::CLOUD;
  report.cloud_wait_s            = r.cloud_queue_s;
  report.computed_on_edge_server = config_.three_tier && r.split < r.edge_split;
  report.edge_wait_s             = r.edge_server_queue_s;
  report.first_server_branch     = img->server_first_branch;
  report.server_branches_evaluated = img->server_evaluated;
  report.exit_branch             = r.exit_branch;
  const double backhaul_payload_s = r.backhaul_s - config_.backhaul_latency_s;
  if (config_.three_tier && report.reached_cloud && backhaul_payload_s > 0)
    report.backhaul_bps = 8.0 * model_.dnn().split_bytes(r.edge_split) * config_.protocol_overhead / backhaul_payload_s;
  agent_->result(report);
  wake(now);
  if (model_.dnn().result_bytes() > 0) // the radio receives the result over the access link
    ledger_.transfer(img->access_result_s, now, 0,
                     8.0 * model_.dnn().result_bytes() * config_.protocol_overhead / 1e6, img, now);
  finish(img, now);
}

void DeviceActor::finish(Image* image, double now)
{
  ImageRecord& r = image->record;
  r.finish_s     = now;
  const bool at_branch = r.exit_branch >= 0;
  r.correct = !image->outcome.accuracy_known ? -1
              : (at_branch ? image->outcome.correct_at_branch : image->outcome.correct_at_final) ? 1
                                                                                                 : 0;
  ++finished_;
  ledger_.finished(image, now); // written once its energy is final (at once without energy)
  if (waiting_for_image_) { // closed loop: the next image now
    waiting_for_image_ = false;
    next_arrival_      = now;
  }
}

bool DeviceActor::may_sleep() const
{
  // The oracle estimator reads the true rate, which a trace changes with no input: it decides every period.
  return config_.estimator.kind != EstimatorKind::ORACLE;
}

void DeviceActor::tick(double now)
{
  next_tick_     = -1;
  dormant_since_ = -1;
  const UpdateBox& box = agent_->box();
  if (config_.estimator.kind != EstimatorKind::ORACLE && box.probe_due(now)) {
    // Active measurement first, then the decision (end_probe), as the agent would do it.
    probe_ =
        config_.probes->put_async(&probe_msg_, wire_bytes(config_.estimator.probe_bytes, config_.protocol_overhead));
    probe_start_       = now;
    return;
  }
  if (may_sleep() && box.inputs() == decided_inputs_) {
    // Nothing new since the last decision, which would repeat itself: sleep until an input arrives (wake()) or, on
    // the same period grid, a probe falls due. 1000 agents decided 107k times in 100 s, most of them for nothing.
    dormant_since_ = now;
    if (config_.estimator.probe_idle_s > 0)
      next_tick_ = first_tick(now, config_.update_period_s, [&box](double t) { return box.probe_due(t); });
    return;
  }
  decide("period", now);
  next_tick_ = now + config_.update_period_s;
}

void DeviceActor::wake(double now)
{
  if (dormant_since_ < 0)
    return;
  // The ticks it slept through, as they would have come; the next one is after now.
  const double t = now < dormant_since_ ? dormant_since_
                                        : first_tick(dormant_since_, config_.update_period_s,
                                                     [now](double tick) { return tick > now; });
  next_tick_     = next_tick_ >= 0 ? std::min(next_tick_, t) : t;
  dormant_since_ = -1;
}

void DeviceActor::end_probe(double now)
{
  probe_ = nullptr;
  take_back(config_.probes);
  sink_.probe(config_.estimator.probe_bytes);
  const auto wire        = static_cast<double>(wire_bytes(config_.estimator.probe_bytes, config_.protocol_overhead));
  const double payload_s = now - probe_start_ - config_.access_latency_s;
  agent_->box().access_sample(payload_s > 0 ? 8.0 * wire / payload_s : 0.0, now);
  ledger_.transfer(probe_start_, now, 8.0 * wire / 1e6, 0, nullptr, now);
  decide("period", now);
  next_tick_ = now + config_.update_period_s;
}

void DeviceActor::on_rate_change(double bps)
{
  if (config_.policy.oracle())
    decide("rate-change", sg4::Engine::get_clock(), bps);
}

void DeviceActor::on_exit_change()
{
  if (config_.policy.oracle())
    decide("exit-change", sg4::Engine::get_clock(), access_.rate_at(sg4::Engine::get_clock()));
}

void DeviceActor::write(Image* image)
{
  sink_.image(image->record);
  pool_.release(image);
}

void DeviceActor::decide(const char* trigger, double now, std::optional<double> true_bps)
{
  // The oracle policy (true_bps) knows the true rate and exits; the oracle estimator the true rate only.
  const auto rate = config_.estimator.kind == EstimatorKind::ORACLE && !true_bps
                        ? std::optional<double>(access_.rate_at(now))
                        : true_bps;
  const auto& true_q = regime_.true_q[regime_.current][agent_->threshold_index()];
  const AgentDecision a =
      agent_->decide(rate, true_bps ? &true_q : nullptr, true_bps ? &regime_.variants[regime_.current] : nullptr);
  DecisionRecord rec;
  rec.time_s             = now;
  rec.device             = config_.index;
  rec.trigger            = trigger;
  rec.true_rate_bps      = access_.rate_at(now);
  rec.estimated_rate_bps = a.inputs.device.link.uplink_bps;
  rec.q                  = a.inputs.device.exit_probs;
  rec.split              = a.decision.split;
  rec.edge_split         = a.decision.edge_split;
  rec.expected_time_s    = a.decision.expected_time_s;
  rec.changed            = a.decision.changed;
  rec.threshold          = a.threshold;
  rec.expected_energy_j  = a.decision.expected_energy_j;
  rec.feasible           = a.decision.feasible;
  rec.variant            = agent_->believed_variant();
  split_          = rec.split;
  edge_split_     = rec.edge_split;
  decided_inputs_ = agent_->box().inputs();
  sink_.decision(rec);
}

} // namespace popex
