#pragma once

#include "core/dnn.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace popex {

/** One finished image (docs/outputs.md, images.csv). Times are simulated seconds. */
struct ImageRecord {
  std::uint64_t id     = 0;
  int device           = 0;
  double arrival_s     = 0; //!< created by the source
  double start_s       = 0; //!< the edge started it
  double finish_s      = 0; //!< classified (edge exit, or result back from the cloud)
  std::size_t split    = 0; //!< split used
  int exit_branch      = -1; //!< branch index that classified it, or -1 for the final exit
  bool at_edge         = true; //!< classified on the edge (no offload)
  double edge_s        = 0; //!< edge computation
  double uplink_queue_s = 0; //!< waiting for the device's uplink (one tensor at a time)
  double transfer_s    = 0; //!< uplink transfer of the split tensor
  double cloud_queue_s = 0; //!< waiting for a cloud slot
  double cloud_s       = 0; //!< cloud computation
  double downlink_s    = 0; //!< result transfer back
  double bytes_up      = 0; //!< bytes sent on the uplink
  int correct          = -1; //!< 1/0, or -1 when unknown
};

/** One decision of a device's agent (docs/outputs.md, decisions.csv). */
struct DecisionRecord {
  double time_s = 0;
  int device    = 0;
  std::string trigger;         //!< start | period | rate-change | exit-change
  double true_rate_bps      = 0;
  double estimated_rate_bps = 0;
  std::size_t split         = 0;
  double expected_time_s    = 0; //!< E[T] of the chosen split under the agent's estimates
  bool changed              = false;
  std::vector<double> q;       //!< the agent's exit-probability estimates
};

/** Run-level facts written into summary.csv beside the metrics. */
struct RunInfo {
  std::vector<std::pair<std::string, std::string>> columns; //!< name, value (scenario parameters)
};

/** Writes `dir`/summary.csv (a header line and one row) atomically: a temporary file, then a rename. */
void write_summary_csv(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& columns);

/**
 * Streams images.csv and decisions.csv as the simulation runs, and writes summary.csv at the end. Memory: one
 * double per image (exact percentiles); everything else streams.
 */
class MetricsSink {
public:
  /** `devices`: how many edge devices report images (per-device latencies are kept only when there are several). */
  MetricsSink(const std::string& out_dir, const Dnn& dnn, std::optional<double> deadline_s, std::size_t devices = 1);
  ~MetricsSink();
  MetricsSink(const MetricsSink&)            = delete;
  MetricsSink& operator=(const MetricsSink&) = delete;

  void image(const ImageRecord& r);
  void decision(const DecisionRecord& r);
  void probe(double bytes) { probes_++, probe_bytes_ += bytes; }
  std::uint64_t images() const { return latencies_.size(); }

  /** Writes summary.csv (info columns, then metrics) and closes the streams. */
  void finish(const RunInfo& info, const std::vector<std::pair<std::string, std::string>>& extra);

  /** The summary's metric names and values (for tests and the campaign); reorders the stored latencies. */
  std::vector<std::pair<std::string, std::string>> metrics();

private:
  void flush_images();
  /** Per-device latencies, for devices.csv and Jain's fairness index. */
  struct DeviceStats {
    std::uint64_t images        = 0;
    double latency_sum          = 0;
    double first_arrival        = -1;
    double last_finish          = 0;
    std::uint64_t deadline_hits = 0;
    std::vector<float> latencies; //!< only with several devices (one device: the run-wide vector serves)
  };
  void write_devices();

  std::string dir_;
  const Dnn& dnn_;
  std::optional<double> deadline_s_;
  std::FILE* images_    = nullptr;
  std::FILE* decisions_ = nullptr;
  fmt::memory_buffer image_buf_;
  std::vector<double> latencies_;
  std::vector<DeviceStats> devices_;
  double sum_ = 0, sum_sq_ = 0, sum_edge_ = 0, sum_transfer_ = 0, sum_uplink_queue_ = 0, sum_queue_ = 0, sum_cloud_ = 0;
  double bytes_up_ = 0, probe_bytes_ = 0, first_arrival_ = -1, last_finish_ = 0;
  std::uint64_t edge_exits_ = 0, at_edge_ = 0, known_ = 0, correct_ = 0, deadline_hits_ = 0, decisions_n_ = 0,
                repartitions_ = 0, probes_ = 0;
};

} // namespace popex
