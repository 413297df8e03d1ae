#pragma once

#include "core/dnn.hpp"
#include "io/output_file.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace popex {

/** Where an image was classified. */
enum class ExitLocation { DEVICE, EDGE_SERVER, CLOUD };

/** One finished image (docs/outputs.md, images.csv). Times are simulated seconds. */
struct ImageRecord {
  std::uint64_t id     = 0;
  int device           = 0;
  double arrival_s     = 0; //!< created by the source
  double start_s       = 0; //!< the device started it
  double finish_s      = 0; //!< classified (a device exit, or the result back on the device)
  std::size_t split    = 0; //!< split used (s1 with three tiers)
  std::size_t edge_split = 0; //!< three tiers: s2 (= split with two)
  int exit_branch      = -1; //!< branch index that classified it, or -1 for the final exit
  ExitLocation location = ExitLocation::DEVICE; //!< where it was classified
  double edge_s        = 0; //!< device computation
  double uplink_queue_s = 0; //!< waiting for the device's uplink (one tensor at a time)
  double transfer_s    = 0; //!< access uplink transfer of the split tensor (latency and offload overhead included)
  double edge_server_queue_s = 0; //!< three tiers: waiting for an edge-server slot
  double edge_server_s = 0; //!< three tiers: edge-server computation
  double backhaul_s    = 0; //!< three tiers: backhaul transfer of the tensor to the cloud, latency included
  double cloud_queue_s = 0; //!< waiting for a cloud slot
  double cloud_s       = 0; //!< cloud computation
  double downlink_s    = 0; //!< result transfer back (both hops with three tiers)
  double bytes_up      = 0; //!< payload bytes sent on the access uplink
  int correct          = -1; //!< 1/0, or -1 when unknown
  double compute_energy_j = 0; //!< with energy: busy_w x edge_s
  double radio_energy_j   = 0; //!< with energy: its transfers, its promotion, and the tail it started
};

/** One decision of a device's agent (docs/outputs.md, decisions.csv). */
struct DecisionRecord {
  double time_s = 0;
  int device    = 0;
  std::string trigger;         //!< start | period | rate-change | exit-change
  double true_rate_bps      = 0;
  double estimated_rate_bps = 0;
  std::size_t split         = 0;
  std::size_t edge_split    = 0; //!< three tiers: s2
  double expected_time_s    = 0; //!< E[T] of the chosen split under the agent's estimates
  bool changed              = false;
  std::vector<double> q;       //!< the agent's exit-probability estimates
  double threshold = 0;        //!< with accuracy_min: the threshold in force after it
  double expected_energy_j = 0; //!< with energy: E[energy] of the choice under the agent's estimates
  bool feasible = true;         //!< with constraints: false when nothing met them (the least-violating choice)
  std::string variant;          //!< the exit model the agent believes describes the images (accuracy targets)
};

/** What a sink records, beyond the two-tier columns. */
struct SinkColumns {
  bool three_tier = false; //!< the edge server's columns
  bool energy     = false; //!< images.csv energy_j, compute_energy_j, radio_energy_j; decisions.csv expected_energy_j
  bool threshold  = false; //!< decisions.csv threshold, feasible and variant (an accuracy target, or constraints)
};

/** Run-level facts written into summary.csv beside the metrics. */
struct RunInfo {
  std::vector<std::pair<std::string, std::string>> columns; //!< name, value (scenario parameters)
  /** Per device, columns appended to its devices.csv row (its parameters and prediction); all the same names. */
  std::vector<std::vector<std::pair<std::string, std::string>>> device_columns;
};

/**
 * Writes `dir`/summary.csv (a header line and one row) atomically: a temporary file, synced, then a rename. A run's
 * summary is the last result it makes visible: its presence means every other result file is complete.
 */
void write_summary_csv(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& columns);

/**
 * Streams images.csv and decisions.csv as the simulation runs, and writes summary.csv at the end. Memory: one
 * double per image (exact percentiles); everything else streams.
 *
 * Results are complete or absent: a stale summary.csv is removed first; each file is written as NAME.tmp and renamed
 * into place by finish() once flushed, synced and checked, and summary.csv comes last. A run that stops early (an
 * error, a signal) leaves no file that looks complete. Write errors throw OutputError.
 */
class MetricsSink {
public:
  /**
   * `devices`: how many edge devices report images (per-device latencies are kept only when there are several).
   * `columns`: the columns beyond the two-tier ones (three tiers, energy, thresholds), in every file.
   */
  MetricsSink(const std::string& out_dir, const Dnn& dnn, std::optional<double> deadline_s, std::size_t devices = 1,
              SinkColumns columns = {});
  MetricsSink(const MetricsSink&)            = delete;
  MetricsSink& operator=(const MetricsSink&) = delete;

  /** After a write error (a full disk): nothing more is recorded, devices stop, and finish() throws the OutputError. */
  bool failed() const { return !error_.empty(); }

  void image(const ImageRecord& r);
  void decision(const DecisionRecord& r);
  void probe(double bytes) { probes_++, probe_bytes_ += bytes; }
  std::uint64_t images() const { return latencies_.size(); }

  /** Commits images.csv, decisions.csv and devices.csv, then writes summary.csv (info columns, then metrics). */
  void finish(const RunInfo& info, const std::vector<std::pair<std::string, std::string>>& extra);

  /** The summary's metric names and values (for tests and the campaign); reorders the stored latencies. */
  std::vector<std::pair<std::string, std::string>> metrics();

private:
  void flush_images();
  void flush_decisions();
  /** Per-device latencies, for devices.csv and Jain's fairness index. */
  struct DeviceStats {
    std::uint64_t images        = 0;
    double latency_sum          = 0;
    double first_arrival        = -1;
    double last_finish          = 0;
    std::uint64_t deadline_hits = 0;
    std::vector<float> latencies; //!< only with several devices (one device: the run-wide vector serves)
  };
  void write_devices(const RunInfo& info);

  /** Runs a write; the first OutputError is kept (and reported by finish()), and later writes are skipped. */
  template <typename F>
  void guarded(F&& write);

  std::string dir_;
  const Dnn& dnn_;
  bool three_tier_ = false;
  SinkColumns columns_;
  std::string error_;                //!< the first write error, or ""
  std::optional<double> deadline_s_;
  std::unique_ptr<OutputFile> images_;
  std::unique_ptr<OutputFile> decisions_;
  fmt::memory_buffer image_buf_;
  fmt::memory_buffer decision_buf_;
  std::vector<double> latencies_;
  std::vector<DeviceStats> devices_;
  double sum_ = 0, sum_sq_ = 0, sum_edge_ = 0, sum_transfer_ = 0, sum_uplink_queue_ = 0, sum_queue_ = 0, sum_cloud_ = 0;
  double sum_server_queue_ = 0, sum_server_ = 0, sum_backhaul_ = 0;
  double sum_energy_ = 0, sum_energy_sq_ = 0, sum_compute_energy_ = 0, sum_radio_energy_ = 0;
  std::uint64_t at_server_ = 0;
  double bytes_up_ = 0, probe_bytes_ = 0, first_arrival_ = -1, last_finish_ = 0;
  std::uint64_t edge_exits_ = 0, at_edge_ = 0, known_ = 0, correct_ = 0, deadline_hits_ = 0, decisions_n_ = 0,
                repartitions_ = 0, probes_ = 0;
};

} // namespace popex
