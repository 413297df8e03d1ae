#pragma once

#include "core/config_error.hpp"
#include "core/objective.hpp"
#include "core/policy.hpp"
#include "core/rate_estimator.hpp"
#include "core/workload.hpp"
#include "traces/rate_trace.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace popex {

enum class ArrivalProcess { CLOSED_LOOP, PERIODIC, POISSON };
enum class NetworkModel { ANALYTIC, REALISTIC };

/** How images arrive at an edge device. */
struct ArrivalConfig {
  ArrivalProcess process = ArrivalProcess::CLOSED_LOOP; //!< closed-loop | periodic | poisson; default closed-loop
  double rate_hz         = 0;                           //!< images per second (periodic: fps; poisson: lambda)
};

/** The uplink: a constant rate or a trace. */
struct LinkConfig {
  std::optional<double> rate_bps; //!< constant rate, bit/s (or the trace's start rate when absent)
  std::string preset;             //!< "3g", "4g" or "wifi" when the rate was written as a preset (the radio's default)
  std::string trace;              //!< trace file ("" = constant), resolved relative to the scenario file
  std::string format = "simgrid"; //!< simgrid | mahimahi | mbps | sabre
  std::optional<bool> loop;       //!< repeat the trace after its end; default: a SimGrid profile follows its own
                                  //!< LOOPAFTER, the other formats loop
  double scale       = 1.0;       //!< multiply the trace's rates; default 1
  double offset_s    = 0.0;       //!< start reading the trace at this time, s; default 0
  std::optional<double> latency_ms;   //!< backhaul only: one-way latency, ms (default 0)
  std::optional<double> downlink_bps; //!< backhaul only: the cloud -> edge server rate (default: this link's rate)
  std::shared_ptr<const RateTrace> loaded; //!< the trace, read and checked once by load_scenario() (shared by links)
};

/**
 * Energy (docs/model.md, "Energy"): on when the scenario gives `device_power` or `radio`, or an objective or a
 * constraint that needs energy.
 */
struct EnergyConfig {
  EnergyParams params;     //!< the device's compute power (device_power) and its radio (radio)
  DevicePower edge_server; //!< edge_server.power: per host, idle and at full load; for the run's totals
  DevicePower cloud;       //!< cloud.power: the same
};

/** The edge server of three-tier scenarios (device -> edge server -> cloud). */
struct EdgeServerConfig {
  double gamma = 1;                                //!< edge-server/cloud processing-time ratio, > 0; default 1
  int slots    = 1;                                //!< concurrent executions, >= 1; default 1
  std::string profile_file;                        //!< measured edge-server times ("" = gamma x cloud times)
  std::shared_ptr<const EdgeProfile> profile;      //!< loaded from profile_file, or nullptr
  SourcePos slots_pos;                             //!< where slots was written (checked against the platform)
};

/** One edge device: its own speed, arrivals and access-link rate. */
struct DeviceConfig {
  double gamma = 1;                 //!< edge/cloud processing-time ratio of this device
  /** Its measured edge times (device `edge_profile`, else the scenario's, else the DNN's edge_time_s), or nullptr:
   *  gamma x cloud times. */
  std::shared_ptr<const EdgeProfile> edge_profile;
  ArrivalConfig arrival;            //!< its image arrivals
  std::optional<double> uplink_bps; //!< its access uplink's constant rate (default: the scenario's uplink)
};

/** Exit-table variant in force from `at_s` on (image-quality drift). */
struct ExitScheduleEntry {
  double at_s = 0;     //!< simulated time, s
  std::string variant; //!< a variant of the DNN
};

/** A validated scenario: everything a run needs, with paths resolved. */
struct Scenario {
  std::string file;                 //!< the scenario file as given
  std::string dnn_file;             //!< resolved path of the DNN workload
  Workload workload;                //!< loaded and validated
  std::string variant;              //!< exit-table variant at t = 0 ("" = default)
  std::string platform_file;        //!< resolved path of the SimGrid platform XML ("" = generated from `devices`)
  std::vector<DeviceConfig> devices; //!< one entry per edge device (>= 1); `devices: N` gives N copies
  SourcePos devices_pos;             //!< where `devices` was written (checked against the platform later)
  double gamma = 1;                 //!< edge/cloud processing-time ratio, > 0
  std::string edge_profile_file;    //!< resolved path of `edge_profile` ("" = none)
  double protocol_overhead   = 1;   //!< wire bytes per payload byte of every transfer, >= 1; default 1
  double offload_overhead_ms = 0;   //!< fixed cost of every offload before its transfer, ms, >= 0; default 0
  LinkConfig uplink;                //!< uplink rate or trace (each device's access link)
  std::optional<LinkConfig> bottleneck; //!< shared link on the way out of the devices (AP, cell): rate or trace
  std::optional<EdgeServerConfig> edge_server; //!< three tiers when given
  std::optional<LinkConfig> backhaul;   //!< three tiers: each edge server's link to the cloud (required with it)
  int edge_servers = 1;                 //!< three tiers, generated platform: edge servers (devices round-robin)
  SourcePos edge_servers_pos;           //!< where edge_servers was written (checked against the platform)
  std::optional<double> downlink_bps; //!< downlink rate, bit/s (default: the uplink's initial rate)
  std::optional<double> latency_ms;   //!< one-way latency of each direction, ms (default: the platform's)
  std::optional<double> threshold;    //!< confidence threshold (default: the DNN's default_threshold)
  /** exit_prob: {branch: q}: fixes a branch's conditional exit probability, overriding the table (SBRC Fig. 3's p);
   *  accuracies still come from the table at `threshold`. One entry per branch, nullopt = from the table. */
  std::vector<std::optional<double>> exit_prob;
  Policy policy;
  ArrivalConfig arrival;
  std::optional<std::uint64_t> images; //!< number of images per device
  std::optional<double> duration_s;    //!< or: stop creating images after this simulated time, s
  std::uint64_t seed     = 1;          //!< master seed
  double update_period_s = 1.0;        //!< agent period, s
  EstimatorConfig estimator;
  NetworkModel network_model = NetworkModel::ANALYTIC;
  int cloud_slots            = 1;     //!< concurrent cloud executions, >= 1
  SourcePos cloud_slots_pos;          //!< where cloud.slots was written (checked against the platform later)
  std::vector<ExitScheduleEntry> exit_schedule;
  std::optional<double> deadline_ms;  //!< latency deadline for the hit ratio, ms
  double timeout_s = 0;               //!< stop the simulation at this simulated time if > 0 (a hung trace)
  std::optional<EnergyConfig> energy; //!< device, radio, edge-server and cloud power; nullopt: energy is off
  Objective objective;                //!< what the agent minimises, under which constraints (accuracy_min too)
  SourcePos accuracy_min_pos;         //!< where accuracy_min was written
  std::string resolved_yaml;          //!< the scenario after overrides, as YAML text
};

/**
 * Loads a scenario file, applies `overrides` (dotted key, YAML value text) in order, and validates everything,
 * including the DNN file and the uplink trace's existence. Throws ConfigError naming file:line:col, the field, the
 * rule and the value.
 */
Scenario load_scenario(const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides);

/** The policy's name as written in scenarios ("static", "fixed:conv2"...). */
std::string policy_name(const Policy& policy);

/** The trace of a link (uplink, bottleneck, backhaul) as the scenario reads it, or nullopt for a constant rate. */
std::shared_ptr<const RateTrace> link_trace(const LinkConfig& link, const std::string& field);

/** True for a three-tier scenario (it has an `edge_server`). */
inline bool three_tier(const Scenario& sc)
{
  return sc.edge_server.has_value();
}

} // namespace popex
