#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace popex {

/** `popex-sim solve` options, as given on the command line (each sweepable value is still text). */
struct SolveOptions {
  std::string dnn_file;                 //!< --dnn
  std::string variant;                  //!< --variant: exit-table variant ("" = the file's default)
  std::string gamma      = "1";         //!< --gamma: list/range; edge/cloud time ratio
  std::string uplink     = "3g";        //!< --uplink: rate list
  std::string downlink;                 //!< --downlink: rate list ("" = same as uplink)
  std::string latency_ms = "0";         //!< --latency-ms: one-way latency of each direction, ms
  std::string threshold;                //!< --threshold: list/range ("" = the DNN's default_threshold)
  std::vector<std::string> exit_probs;  //!< --exit-prob BRANCH=Q(list/range), repeatable
  std::optional<double> accuracy_min;   //!< --accuracy-min: fastest (threshold, split) with E[acc] >= A
  std::string edge_profile;             //!< --edge-profile: measured edge times ("" = the DNN's, else gamma x cloud)
  std::optional<double> protocol_overhead;   //!< --protocol-overhead: wire bytes per payload byte, >= 1
  std::optional<double> offload_overhead_ms; //!< --offload-overhead-ms: fixed cost per offload, ms, >= 0
  // Three tiers (device -> edge server -> cloud), enabled by --edge-gamma.
  std::string edge_gamma;               //!< --edge-gamma: list/range; edge-server/cloud time ratio ("" = two tiers)
  std::string backhaul;                 //!< --backhaul: rate list of the edge server -> cloud link (three tiers)
  std::string backhaul_downlink;        //!< --backhaul-downlink: rate list ("" = the backhaul's)
  std::string backhaul_latency_ms = "0"; //!< --backhaul-latency-ms: one-way backhaul latency, ms
  std::string edge_server_profile;      //!< --edge-server-profile: measured edge-server times ("" = ge x cloud)
  // Energy and objectives (docs/model.md, "Energy" and "Objectives").
  std::string objective;                     //!< --objective: latency | energy | weighted ("" = latency)
  std::optional<double> energy_weight_s_per_j; //!< --energy-weight-s-per-j: weighted's w, s/J
  std::optional<double> energy_budget_j;     //!< --energy-budget-j: only choices with E[energy] <= this
  std::optional<double> latency_max_ms;      //!< --latency-max-ms: only choices with E[T] <= this (objective energy)
  std::optional<double> busy_w;              //!< --busy-w: the device's power while it computes, W
  std::string radio;                         //!< --radio: 3g | 4g | lte | wifi ("" = each --uplink's preset)
  std::vector<std::string> radio_sets;       //!< --radio-set KEY=VALUE: radio parameter overrides
  bool chosen_only = false;             //!< --chosen-only
  std::string format = "table";         //!< table | csv | json
};

/**
 * Runs the analytic sweep and streams the rows to `out`. Throws ConfigError on bad input, before writing
 * anything. Returns the number of combinations that had no feasible choice (their least-violating row is chosen and
 * flagged feasible=0).
 */
std::size_t run_solve(const SolveOptions& options, std::FILE* out);

} // namespace popex
