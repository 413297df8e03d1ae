#pragma once

#include "actors/device_state.hpp"
#include "actors/edge_model.hpp"
#include "actors/energy_ledger.hpp"
#include "config/scenario.hpp"
#include "core/agent.hpp"
#include "core/random.hpp"
#include "core/small_queues.hpp"

#include <simgrid/s4u/Activity.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>

namespace popex {

/** Typed configuration of a DeviceActor. */
struct DeviceActorConfig {
  int index = 0;                          //!< device number (images.csv `device`)
  ArrivalConfig arrival;                  //!< closed-loop, periodic or Poisson
  std::optional<std::uint64_t> images;    //!< stop after this many images
  std::optional<double> duration_s;       //!< or stop creating images after this simulated time
  std::uint64_t seed = 1;                 //!< master seed (arrival and exit streams derive from it)
  double flops_per_s = 1e9;               //!< a layer of time t is t x this many flops (the reference speed)
  simgrid::s4u::Mailbox* uplink = nullptr; //!< its tensors' mailbox to its server (the cloud or its edge server)
  simgrid::s4u::Mailbox* probes = nullptr; //!< ... and its probes' (uplink_mailbox(), actors/transfers.hpp)
  Receiver* receiver         = nullptr;   //!< ... and what takes the tensors there
  simgrid::s4u::Mailbox* results    = nullptr; //!< this device's result mailbox
  double protocol_overhead  = 1;          //!< wire bytes per payload byte
  double offload_overhead_s = 0;          //!< paid before each access transfer, s
  double access_latency_s   = 0;          //!< one-way access latency: a transfer's time minus it is its payload's
  double backhaul_latency_s = 0;          //!< three tiers: the same for the backhaul samples results report
  Policy policy;                          //!< who decides
  EstimatorConfig estimator;              //!< Update Box settings
  double update_period_s = 1;             //!< periodic policies decide this often, s
  double stop_at_s = std::numeric_limits<double>::infinity(); //!< timeout_s: the device stops itself then
  bool three_tier        = false;
  std::optional<EnergyParams> energy;     //!< its power model, when energy is on
};

/**
 * One edge device, as one actor driven by its own events: image arrivals (closed loop, periodic or Poisson), the
 * device's part of each image as one exec, the access uplink one tensor at a time, the result messages, and the
 * POPEX agent (its periodic decisions and probes). Each image's outcome is drawn when it is created, from its own
 * stream. Everything the agent knows comes from the device's own measurements and the reports result messages carry
 * (UpdateBox); the oracle policy is also told the true rate (on_rate_change).
 *
 * One actor per device, not five: what scales a run to thousands of devices is the number of actors, their stacks
 * and their context switches (docs/performance.md).
 */
class DeviceActor {
public:
  DeviceActor(DeviceActorConfig config, const EdgeModel& model, std::unique_ptr<Agent> agent, const UplinkState& access,
              ExitRegime& regime, MetricsSink& sink);
  /** Every joule its radio spent (probes and tails included), when energy is on. */
  double radio_total_j() const { return ledger_.radio_total_j(); }
  /** Writes the finished images still waiting for their radio tail (a run stopped by timeout_s). */
  void drain() { ledger_.drain(); }
  /** Whether it stopped at stop_at_s (timeout_s) with images still to create or to finish. */
  bool stopped() const { return stopped_; }
  /** Whether its loop ended (its images done, or stopped): false after a run only if SimGrid ended it (a deadlock). */
  bool ended() const { return ended_; }
  void operator()();
  /** Oracle only: the true access rate changed. */
  void on_rate_change(double bps);
  /** Oracle only: the exit regime changed. */
  void on_exit_change();

private:
  using ActivityPtr = simgrid::s4u::ActivityPtr;

  void create_image(double now);
  double next_arrival_after(double now);
  bool arrivals_done(double now) const;
  void start_work(double now);
  void start_exec(double now);
  void end_exec(double now);
  void start_send(double now);
  void put_tensor(double now);
  void end_send(double now);
  void end_probe(double now);
  void end_result(double now);
  void finish(Image* image, double now);
  void write(Image* image);
  void tick(double now);
  /** New input for the agent: a sleeping agent's next periodic decision is its grid's next tick. */
  void wake(double now);
  /** Whether its agent may sleep through periods with nothing new (periodic policies, estimates of its own). */
  bool may_sleep() const;
  /** `true_bps`: the oracle policy's true rate (and then the true exit probabilities). */
  void decide(const char* trigger, double now, std::optional<double> true_bps = std::nullopt);
  double next_timer(double now) const;
  const std::vector<ActivityPtr>& pending();

  DeviceActorConfig config_;
  const EdgeModel& model_;
  std::unique_ptr<Agent> agent_; //!< POPEX's Update Box and Decision Maker (boost graphs copy, never move: held by pointer)
  EnergyLedger ledger_;  //!< energy per image; holds finished images until their radio energy is final
  const UplinkState& access_;
  ExitRegime& regime_;
  MetricsSink& sink_;
  ImagePool pool_;
  Fifo<Image*> edge_queue_;
  Fifo<Image*> uplink_queue_;
  Image* computing_ = nullptr;  //!< the image of exec_
  std::size_t evaluated_ = 0;   //!< branches it evaluates on the device
  Image* sending_   = nullptr;  //!< the image of send_
  ActivityPtr exec_;            //!< the device's part of an image
  ActivityPtr send_;            //!< the access transfer
  ActivityPtr probe_;           //!< an active probe, after which the agent decides
  ActivityPtr result_;          //!< the pending receive on the result mailbox, while images are away
  ResultMsg* received_ = nullptr; //!< where result_ puts what it receives
  double probe_start_ = 0;
  double send_at_ = -1;         //!< when the pending send starts, after the offload overhead; -1: none
  double next_arrival_ = 0;     //!< next image creation (periodic, Poisson, or the first)
  double next_tick_    = -1;    //!< next periodic decision; -1: none
  double dormant_since_ = -1;   //!< the agent sleeps: the tick it skipped (nothing new), base of its period grid
  std::uint64_t decided_inputs_ = 0; //!< the Update Box's inputs() at the last decision
  double t0_ = 0;
  OffloadMsg probe_msg_;               //!< a probe's payload (its bytes are all that counts)
  std::vector<ActivityPtr> pending_;    //!< what pending() returns, reused
  std::uint64_t created_  = 0;
  std::uint64_t finished_ = 0;
  std::uint64_t away_     = 0; //!< images sent and not yet back: a result may come only then
  bool waiting_for_image_ = false; //!< closed loop: the next image waits for one to finish
  bool stopped_           = false; //!< stop_at_s came first
  bool ended_             = false; //!< its loop ended
  std::size_t split_ = 0, edge_split_ = 0; //!< the published splits
  SplitMix64 arrivals_;
};

} // namespace popex
