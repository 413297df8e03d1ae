#include "actors/link_driver.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>

XBT_LOG_NEW_DEFAULT_CATEGORY(popex_link, "Link drivers");

namespace sg4 = simgrid::s4u;

namespace popex {

namespace {
/** Declared capacity; the callback, not this, bounds the transfers. */
constexpr double DECLARED_BPS = 1e12;
/** A zero rate stalls transfers without zero capacities in the solver: 1 byte per ~30 years. */
constexpr double STALLED_BYTES_PER_S = 1e-9;
} // namespace

LinkDriver::LinkDriver(sg4::Link* link, UplinkState& state, std::shared_ptr<const RateTrace> trace, double rate_bps)
    : link_(link), state_(state), trace_(std::move(trace))
{
  state_.set_rate(trace_ ? 8.0 * trace_->rate_at(0) : rate_bps);
  state_.follow(trace_.get());
  UplinkState* s = &state_;
  link_->set_sharing_policy(sg4::Link::SharingPolicy::NONLINEAR, [s](double /*capacity*/, int /*flows*/) {
    return std::max(s->rate_bps() / 8.0, STALLED_BYTES_PER_S);
  });
  link_->set_bandwidth(DECLARED_BPS);
}

void LinkDriver::operator()()
{
  if (!trace_)
    return;
  while (true) {
    const double next = trace_->next_change_s(sg4::Engine::get_clock());
    if (!std::isfinite(next))
      return;
    sg4::this_actor::sleep_until(next);
    const double bps = 8.0 * trace_->rate_at(next);
    if (bps == state_.rate_bps())
      continue;
    XBT_DEBUG("uplink rate -> %g bit/s", bps);
    state_.set_rate(bps);
    link_->set_bandwidth(DECLARED_BPS); // forces the solver to re-read the callback
  }
}

void ExitScheduler::operator()()
{
  for (std::size_t i = 1; i < at_s_.size(); ++i) { // entry 0 is in force from the start
    if (at_s_[i] > sg4::Engine::get_clock())
      sg4::this_actor::sleep_until(at_s_[i]);
    regime_.current = i;
    for (const auto& l : regime_.listeners)
      l();
  }
}

} // namespace popex
