#include "metrics/metrics_sink.hpp"
#include "io/csv_field.hpp"
#include "core/config_error.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

namespace popex {

namespace {
/** Where an image ended, as images.csv says it: two tiers keep their historical "edge" for the device. */
std::string_view location_name_of(ExitLocation l, bool three_tier)
{
  switch (l) {
    case ExitLocation::DEVICE:
      return three_tier ? "device" : "edge";
    case ExitLocation::EDGE_SERVER:
      return "edge-server";
    case ExitLocation::CLOUD:
      break;
  }
  return "cloud";
}

/** Percentile by the nearest-rank method; reorders `v` (no copy: memory stays one value per image). */
template <typename T>
double percentile(std::vector<T>& v, double p)
{
  if (v.empty())
    return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  const std::size_t i = rank == 0 ? 0 : rank - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}
} // namespace

void write_summary_csv(const std::string& dir, const std::vector<std::pair<std::string, std::string>>& columns)
{
  std::string header;
  std::string row;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    header += (i == 0 ? "" : ",") + csv_field(columns[i].first);
    row += (i == 0 ? "" : ",") + csv_field(columns[i].second); // e.g. the policy fixed:conv1,fc1
  }
  write_file_atomically(std::filesystem::path(dir) / "summary.csv", header + "\n" + row + "\n");
  sync_directory(dir); // the renames of every result, summary last, survive a crash
}

MetricsSink::MetricsSink(const std::string& out_dir, const Dnn& dnn, std::optional<double> deadline_s,
                         std::size_t devices, SinkColumns columns)
    : dir_(out_dir)
    , dnn_(dnn)
    , three_tier_(columns.three_tier)
    , columns_(columns)
    , deadline_s_(deadline_s)
    , devices_(std::max<std::size_t>(devices, 1))
{
  std::filesystem::create_directories(dir_);
  // A summary left by an earlier run in this folder would vouch for files this run is about to replace.
  std::error_code ec;
  std::filesystem::remove(dir_ + "/summary.csv", ec);
  if (ec)
    throw OutputError(fmt::format("cannot remove {}/summary.csv ({})", dir_, ec.message()));
  images_    = std::make_unique<OutputFile>(dir_ + "/images.csv");
  decisions_ = std::make_unique<OutputFile>(dir_ + "/decisions.csv");
  // Three tiers add their columns at the end: two-tier files keep their exact layout.
  std::string images = "image_id,device,arrival_s,start_s,finish_s,latency_s,split_index,split_after,exit,"
                       "exit_location,edge_queue_s,edge_s,uplink_queue_s,transfer_s,cloud_queue_s,cloud_s,"
                       "downlink_s,bytes_up,correct";
  if (three_tier_)
    images += ",edge_split_index,edge_split_after,edge_server_queue_s,edge_server_s,backhaul_s";
  if (columns_.energy)
    images += ",energy_j,compute_energy_j,radio_energy_j";
  images_->write(images + "\n");
  std::string header = three_tier_ ? "time_s,device,trigger,true_rate_bps,estimated_rate_bps,split_index,split_after,"
                                     "edge_split_index,edge_split_after,expected_time_s,changed"
                                   : "time_s,device,trigger,true_rate_bps,estimated_rate_bps,split_index,split_after,"
                                     "expected_time_s,changed";
  if (columns_.energy)
    header += ",expected_energy_j";
  if (columns_.threshold)
    header += ",threshold,feasible,variant";
  for (const auto& b : dnn.branches())
    header += ",q_" + b.name;
  decisions_->write(header + "\n");
}

template <typename F>
void MetricsSink::guarded(F&& write)
{
  if (failed())
    return;
  try {
    write();
  } catch (const OutputError& e) {
    // Called from an actor, where an exception would abort SimGrid: keep it for finish(). The devices see failed()
    // and stop at their next wake.
    error_ = e.what();
  }
}

void MetricsSink::flush_images()
{
  guarded([this] { images_->write(std::string_view(image_buf_.data(), image_buf_.size())); });
  image_buf_.clear();
}

void MetricsSink::flush_decisions()
{
  guarded([this] { decisions_->write(std::string_view(decision_buf_.data(), decision_buf_.size())); });
  decision_buf_.clear();
}

void MetricsSink::image(const ImageRecord& r)
{
  const double latency = r.finish_s - r.arrival_s;
  // The hot path of every run: a compiled format into a memory buffer, names as views.
  const std::string_view exit_name =
      r.exit_branch >= 0 ? std::string_view(dnn_.branches()[static_cast<std::size_t>(r.exit_branch)].name) : "final";
  const std::string_view correct = r.correct < 0 ? "" : r.correct == 0 ? "0" : "1";
  fmt::format_to(fmt::appender(image_buf_), FMT_COMPILE("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}"),
                 r.id, r.device, r.arrival_s, r.start_s, r.finish_s, latency, r.split,
                 std::string_view(dnn_.split_name(r.split)), exit_name, location_name_of(r.location, three_tier_),
                 r.start_s - r.arrival_s, r.edge_s, r.uplink_queue_s, r.transfer_s, r.cloud_queue_s, r.cloud_s,
                 r.downlink_s, r.bytes_up, correct);
  if (three_tier_)
    fmt::format_to(fmt::appender(image_buf_), FMT_COMPILE(",{},{},{},{},{}"), r.edge_split,
                   std::string_view(dnn_.split_name(r.edge_split)), r.edge_server_queue_s, r.edge_server_s,
                   r.backhaul_s);
  if (columns_.energy)
    fmt::format_to(fmt::appender(image_buf_), FMT_COMPILE(",{},{},{}"), r.compute_energy_j + r.radio_energy_j,
                   r.compute_energy_j, r.radio_energy_j);
  image_buf_.push_back('\n');
  const double energy = r.compute_energy_j + r.radio_energy_j;
  sum_energy_ += energy;
  sum_energy_sq_ += energy * energy;
  sum_compute_energy_ += r.compute_energy_j;
  sum_radio_energy_ += r.radio_energy_j;
  if (image_buf_.size() > (1 << 16))
    flush_images();
  latencies_.push_back(latency);
  sum_ += latency;
  sum_sq_ += latency * latency;
  sum_edge_ += r.edge_s;
  sum_transfer_ += r.transfer_s;
  sum_uplink_queue_ += r.uplink_queue_s;
  sum_queue_ += r.cloud_queue_s;
  sum_cloud_ += r.cloud_s;
  bytes_up_ += r.bytes_up;
  edge_exits_ += r.exit_branch >= 0 ? 1 : 0;
  at_edge_ += r.location == ExitLocation::DEVICE ? 1 : 0;
  at_server_ += r.location == ExitLocation::EDGE_SERVER ? 1 : 0;
  sum_server_queue_ += r.edge_server_queue_s;
  sum_server_ += r.edge_server_s;
  sum_backhaul_ += r.backhaul_s;
  if (r.correct >= 0) {
    ++known_;
    correct_ += static_cast<std::uint64_t>(r.correct);
  }
  if (deadline_s_ && latency <= *deadline_s_)
    ++deadline_hits_;
  if (first_arrival_ < 0 || r.arrival_s < first_arrival_)
    first_arrival_ = r.arrival_s;
  last_finish_ = std::max(last_finish_, r.finish_s);
  const auto dev = static_cast<std::size_t>(r.device);
  if (devices_.size() <= dev)
    devices_.resize(dev + 1);
  DeviceStats& d = devices_[dev];
  ++d.images;
  d.latency_sum += latency;
  if (devices_.size() > 1)
    d.latencies.push_back(static_cast<float>(latency));
  if (d.first_arrival < 0 || r.arrival_s < d.first_arrival)
    d.first_arrival = r.arrival_s;
  d.last_finish = std::max(d.last_finish, r.finish_s);
  if (deadline_s_ && latency <= *deadline_s_)
    ++d.deadline_hits;
}

namespace {
/** Jain's fairness index (sum x)^2 / (n sum x^2): 1 when all equal, 1/n when one device gets everything. */
double jain(const std::vector<double>& x)
{
  double sum = 0, sq = 0;
  for (const double v : x) {
    sum += v;
    sq += v * v;
  }
  return sq > 0 ? sum * sum / (static_cast<double>(x.size()) * sq) : 1.0;
}
} // namespace

void MetricsSink::write_devices(const RunInfo& info)
{
  std::string text = "device,images,mean_latency_s,p95_latency_s,throughput_ips,deadline_hit_ratio";
  if (!info.device_columns.empty())
    for (const auto& [name, value] : info.device_columns.front())
      text += "," + name;
  text += '\n';
  for (std::size_t i = 0; i < devices_.size(); ++i) {
    DeviceStats& d    = devices_[i];
    const auto n      = static_cast<double>(d.images);
    const double span = d.last_finish - std::max(0.0, d.first_arrival);
    const double p95  = n == 0 ? 0 : devices_.size() > 1 ? percentile(d.latencies, 95) : percentile(latencies_, 95);
    fmt::format_to(std::back_inserter(text), "{},{},{},{},{},{}", i, d.images,
                   n > 0 ? fmt::format("{}", d.latency_sum / n) : "", n > 0 ? fmt::format("{}", p95) : "",
                   span > 0 ? fmt::format("{}", n / span) : "",
                   deadline_s_ && n > 0 ? fmt::format("{}", static_cast<double>(d.deadline_hits) / n) : "");
    if (i < info.device_columns.size())
      for (const auto& [name, value] : info.device_columns[i])
        text += "," + value;
    text += '\n';
  }
  write_file_atomically(dir_ + "/devices.csv", text);
}

void MetricsSink::decision(const DecisionRecord& r)
{
  ++decisions_n_;
  repartitions_ += r.changed ? 1 : 0;
  auto out = fmt::appender(decision_buf_);
  // Compiled formats, as for images: a decision every period at every device makes this a hot path too.
  fmt::format_to(out, FMT_COMPILE("{},{},{},{},{},{},{}"), r.time_s, r.device, r.trigger, r.true_rate_bps,
                 r.estimated_rate_bps, r.split, std::string_view(dnn_.split_name(r.split)));
  if (three_tier_)
    fmt::format_to(out, FMT_COMPILE(",{},{}"), r.edge_split, std::string_view(dnn_.split_name(r.edge_split)));
  fmt::format_to(out, FMT_COMPILE(",{},{}"), r.expected_time_s, r.changed ? 1 : 0);
  if (columns_.energy)
    fmt::format_to(out, FMT_COMPILE(",{}"), r.expected_energy_j);
  if (columns_.threshold)
    fmt::format_to(out, FMT_COMPILE(",{},{},{}"), r.threshold, r.feasible ? 1 : 0, csv_field(r.variant));
  for (const double q : r.q)
    fmt::format_to(out, FMT_COMPILE(",{}"), q);
  decision_buf_.push_back('\n');
  if (decision_buf_.size() > (1 << 16))
    flush_decisions();
}

std::vector<std::pair<std::string, std::string>> MetricsSink::metrics()
{
  const auto n    = static_cast<double>(latencies_.size());
  auto ratio      = [&](double x) { return n > 0 ? fmt::format("{}", x / n) : std::string(); };
  std::vector<double>& lat = latencies_;
  const double mean       = n > 0 ? sum_ / n : 0;
  const double var        = n > 1 ? std::max(0.0, (sum_sq_ - n * mean * mean) / (n - 1)) : 0;
  const double span       = last_finish_ - std::max(0.0, first_arrival_);
  std::vector<std::pair<std::string, std::string>> m{
      {"images", fmt::format("{}", latencies_.size())},
      {"mean_latency_s", ratio(sum_)},
      {"latency_stderr_s", n > 1 ? fmt::format("{}", std::sqrt(var / n)) : std::string()},
      {"p50_latency_s", n > 0 ? fmt::format("{}", percentile(lat, 50)) : std::string()},
      {"p95_latency_s", n > 0 ? fmt::format("{}", percentile(lat, 95)) : std::string()},
      {"p99_latency_s", n > 0 ? fmt::format("{}", percentile(lat, 99)) : std::string()},
      {"max_latency_s", n > 0 ? fmt::format("{}", *std::max_element(lat.begin(), lat.end())) : std::string()},
      {"throughput_ips", span > 0 ? fmt::format("{}", n / span) : std::string()},
      {"edge_exit_fraction", ratio(static_cast<double>(edge_exits_))},
      {"offload_fraction", ratio(n - static_cast<double>(at_edge_))},
      {"accuracy", known_ > 0 ? fmt::format("{}", static_cast<double>(correct_) / static_cast<double>(known_))
                              : std::string()},
      {"deadline_hit_ratio", deadline_s_ ? ratio(static_cast<double>(deadline_hits_)) : std::string()},
      {"mean_edge_s", ratio(sum_edge_)},
      {"mean_uplink_queue_s", ratio(sum_uplink_queue_)},
      {"mean_transfer_s", ratio(sum_transfer_)},
      {"mean_cloud_queue_s", ratio(sum_queue_)},
      {"mean_cloud_s", ratio(sum_cloud_)},
      {"bytes_up", fmt::format("{}", bytes_up_)},
      {"decisions", fmt::format("{}", decisions_n_)},
      {"repartitions", fmt::format("{}", repartitions_)},
      {"probes", fmt::format("{}", probes_)},
      {"probe_bytes", fmt::format("{}", probe_bytes_)},
  };
  if (columns_.energy) {
    const double emean = n > 0 ? sum_energy_ / n : 0;
    const double evar  = n > 1 ? std::max(0.0, (sum_energy_sq_ - n * emean * emean) / (n - 1)) : 0;
    m.emplace_back("mean_energy_j", ratio(sum_energy_));
    m.emplace_back("energy_stderr_j", n > 1 ? fmt::format("{}", std::sqrt(evar / n)) : std::string());
    m.emplace_back("mean_compute_energy_j", ratio(sum_compute_energy_));
    m.emplace_back("mean_radio_energy_j", ratio(sum_radio_energy_));
  }
  if (three_tier_) {
    m.emplace_back("edge_server_exit_fraction", ratio(static_cast<double>(at_server_)));
    m.emplace_back("cloud_fraction", ratio(n - static_cast<double>(at_edge_ + at_server_)));
    m.emplace_back("mean_edge_server_queue_s", ratio(sum_server_queue_));
    m.emplace_back("mean_edge_server_s", ratio(sum_server_));
    m.emplace_back("mean_backhaul_s", ratio(sum_backhaul_));
  }
  // Fairness across devices: of their throughputs and of their mean latencies.
  std::vector<double> thr;
  std::vector<double> mean_lat;
  for (const auto& d : devices_) {
    const auto k       = static_cast<double>(d.images);
    const double dspan = d.last_finish - std::max(0.0, d.first_arrival);
    thr.push_back(dspan > 0 ? k / dspan : 0);
    mean_lat.push_back(k > 0 ? d.latency_sum / k : 0);
  }
  m.emplace_back("devices", fmt::format("{}", devices_.size()));
  m.emplace_back("jain_throughput", devices_.empty() ? "" : fmt::format("{}", jain(thr)));
  m.emplace_back("jain_latency", devices_.empty() ? "" : fmt::format("{}", jain(mean_lat)));
  return m;
}

void MetricsSink::finish(const RunInfo& info, const std::vector<std::pair<std::string, std::string>>& extra)
{
  auto cols = info.columns;
  for (auto& m : metrics())
    cols.push_back(std::move(m));
  for (const auto& e : extra)
    cols.push_back(e);
  if (failed())
    throw OutputError(error_); // the .tmp files go with images_ and decisions_
  // Every other result first, each complete; the summary last, as the mark that the run's results are whole.
  flush_images();
  if (failed())
    throw OutputError(error_);
  images_->commit();
  flush_decisions();
  if (failed())
    throw OutputError(error_);
  decisions_->commit();
  write_devices(info);
  write_summary_csv(dir_, cols);
}

} // namespace popex
