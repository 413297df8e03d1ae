#pragma once

#include "actors/device_state.hpp"
#include "traces/rate_trace.hpp"

#include <memory>

#include <simgrid/s4u/Link.hpp>

#include <optional>

namespace popex {

/**
 * Applies the uplink's rate to a SimGrid link through the NONLINEAR workaround (docs/simgrid-notes.md, "NONLINEAR workaround"): the link is
 * declared at 1e12 B/s with a sharing callback that returns the current rate, and every change calls
 * set_bandwidth(1e12) so that the solver recomputes running transfers (a plain increase never reaches them).
 * Sharing between flows stays max-min fair. The true rate lives in UplinkState, since get_bandwidth() says 1e12.
 */
class LinkDriver {
public:
  /** Installs the callback and the initial rate; `trace` empty means a constant `rate_bps`. */
  LinkDriver(simgrid::s4u::Link* link, UplinkState& state, std::shared_ptr<const RateTrace> trace, double rate_bps);
  /** Follows the trace (daemon); returns at once for a constant rate. */
  void operator()();
  bool has_trace() const { return trace_ != nullptr; }

private:
  simgrid::s4u::Link* link_;
  UplinkState& state_;
  std::shared_ptr<const RateTrace> trace_; //!< shared by every link that follows it
};

/** Switches the exit regime at the scheduled times (image-quality drift), and tells its listeners. at_s[i] is when
 * regime entry i starts; entry 0 is in force from t = 0. */
class ExitScheduler {
public:
  ExitScheduler(std::vector<double> at_s, ExitRegime& regime) : at_s_(std::move(at_s)), regime_(regime) {}
  void operator()();

private:
  std::vector<double> at_s_;
  ExitRegime& regime_;
};

} // namespace popex
