#include "simulation/simulation.hpp"
#include "actors/cloud_server.hpp"
#include "actors/edge_device.hpp"
#include "actors/image_source.hpp"
#include "actors/link_driver.hpp"
#include "actors/popex_agent.hpp"
#include "config/prediction.hpp"
#include "config/units.hpp"
#include "core/config_error.hpp"
#include "traces/rate_trace.hpp"

#include <simgrid/kernel/ProfileBuilder.hpp>
#include <simgrid/s4u.hpp>
#include <simgrid/version.h>

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

XBT_LOG_NEW_DEFAULT_CATEGORY(popex_simulation, "Simulation set-up");

namespace sg4 = simgrid::s4u;

namespace popex {

namespace {

/** Hosts of a role (host property role=edge|cloud), in the platform's order. */
std::vector<sg4::Host*> hosts_with_role(const sg4::Engine& e, const std::string& role)
{
  std::vector<sg4::Host*> out;
  for (sg4::Host* h : e.get_all_hosts())
    if (const char* r = h->get_property("role"); r != nullptr && role == r)
      out.push_back(h);
  return out;
}

std::string host_names(const sg4::Engine& e)
{
  std::string out;
  for (const sg4::Host* h : e.get_all_hosts())
    out += (out.empty() ? "" : ", ") + h->get_name();
  return out;
}

/** The link of a route that carries `role` (link property role=uplink|downlink), or its only link. */
sg4::Link* role_link(const std::vector<sg4::Link*>& route, const std::string& role, const std::string& platform,
                     const std::string& from, const std::string& to)
{
  for (sg4::Link* l : route)
    if (const char* r = l->get_property("role"); r != nullptr && role == r)
      return l;
  if (route.size() == 1)
    return route.front();
  throw ConfigError(fmt::format("{}: platform: the route {} -> {} must have one link with property role={} or "
                                "exactly one link (got {} links)",
                                platform, from, to, role, route.size()));
}

std::string yaml_quote(const std::string& s)
{
  std::string out = "'";
  for (const char c : s)
    out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

} // namespace

void run_simulation(const Scenario& sc, const std::string& out_dir, const std::vector<std::string>& simgrid_args)
{
  std::filesystem::create_directories(out_dir);
  // --- Engine: our quiet default first, so the user's --log wins.
  std::vector<std::string> args{"popex-sim", "--log=root.thres:warning"};
  args.insert(args.end(), simgrid_args.begin(), simgrid_args.end());
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  sg4::Engine e(&argc, argv.data());
  if (sc.network_model == NetworkModel::ANALYTIC) {
    // CM02 without cross-traffic nor TCP window bound: a transfer takes exactly L + S/B.
    sg4::Engine::set_config("network/model:CM02");
    sg4::Engine::set_config("network/crosstraffic:0");
    sg4::Engine::set_config("network/TCP-gamma:0");
  }
  try {
    e.load_platform(sc.platform_file);
  } catch (const std::exception& ex) {
    throw ConfigError(fmt::format("{}: platform: {}", sc.platform_file, ex.what()));
  }

  // --- Platform roles.
  const auto edges  = hosts_with_role(e, "edge");
  const auto clouds = hosts_with_role(e, "cloud");
  if (edges.empty() || clouds.size() != 1)
    throw ConfigError(fmt::format("{}: platform: must have at least one host with property role=edge and exactly one "
                                  "with role=cloud (got {} edge, {} cloud; hosts: {})",
                                  sc.platform_file, edges.size(), clouds.size(), host_names(e)));
  sg4::Host* edge  = edges.front();
  sg4::Host* cloud = clouds.front();
  if (cloud->get_core_count() < sc.cloud_slots)
    throw ConfigError(fmt::format("{}: cloud.slots must be <= the cores of cloud host '{}' ({}) (got {})", sc.file,
                                  cloud->get_name(), cloud->get_core_count(), sc.cloud_slots));
  std::vector<sg4::Link*> up_route;
  std::vector<sg4::Link*> down_route;
  double up_latency   = 0;
  double down_latency = 0;
  edge->route_to(cloud, up_route, &up_latency);
  cloud->route_to(edge, down_route, &down_latency);
  sg4::Link* uplink   = role_link(up_route, "uplink", sc.platform_file, edge->get_name(), cloud->get_name());
  sg4::Link* downlink = role_link(down_route, "downlink", sc.platform_file, cloud->get_name(), edge->get_name());
  if (sc.latency_ms) {
    // The scenario's latency is end-to-end one-way: put it on the role links, zero the others.
    for (auto* l : up_route)
      l->set_latency(l == uplink ? *sc.latency_ms / 1e3 : 0.0);
    for (auto* l : down_route)
      l->set_latency(l == downlink ? *sc.latency_ms / 1e3 : 0.0);
    up_latency = down_latency = *sc.latency_ms / 1e3;
  }

  // --- Gamma: the edge runs at cloud_speed / gamma, through a constant availability profile.
  const double cloud_speed = cloud->get_speed();
  const double avail       = cloud_speed / (sc.gamma * edge->get_speed());
  edge->set_speed_profile(
      simgrid::kernel::profile::ProfileBuilder::from_string("gamma-" + edge->get_name(), fmt::format("0 {}\n", avail), -1));

  // --- Uplink rate or trace.
  std::optional<RateTrace> trace;
  if (!sc.uplink.trace.empty()) {
    TraceOptions opt;
    opt.loop     = sc.uplink.loop;
    opt.scale    = sc.uplink.scale;
    opt.offset_s = sc.uplink.offset_s;
    trace        = load_trace(sc.uplink.trace, parse_trace_format(sc.uplink.format, "uplink.format"), opt);
  }
  const double nominal_up = trace ? 8.0 * trace->rate_at(0) : *sc.uplink.rate_bps;
  const double down_bps   = sc.downlink_bps.value_or(sc.uplink.rate_bps.value_or(nominal_up));
  downlink->set_bandwidth(down_bps / 8.0);
  UplinkState uplink_state;
  auto driver = std::make_shared<LinkDriver>(uplink, uplink_state, trace, nominal_up);

  // --- Exit regimes: the initial variant, then the schedule.
  const Workload& w = sc.workload;
  const Dnn& dnn    = w.dnn;
  const double threshold = sc.threshold.value_or(1.0);
  static const TableExitModel NO_BRANCHES({1.0}, {}, {std::numeric_limits<double>::quiet_NaN()});
  ExitRegime regime;
  std::vector<double> regime_at{0.0};
  std::vector<std::string> regime_variant{sc.variant};
  for (const auto& entry : sc.exit_schedule) {
    if (entry.at_s == 0) {
      regime_variant.front() = entry.variant;
      continue;
    }
    regime_at.push_back(entry.at_s);
    regime_variant.push_back(entry.variant);
  }
  for (const auto& v : regime_variant) {
    const ExitModel* m = w.variant(v);
    const ExitModel& model = m != nullptr ? *m : NO_BRANCHES;
    regime.true_q.push_back(scenario_exit_probs(sc, v));
    regime.samplers.push_back(
        std::make_unique<OutcomeSampler>(model, m != nullptr ? threshold : 1.0, regime.true_q.back()));
  }

  // --- Outputs.
  MetricsSink sink(out_dir, dnn, sc.deadline_ms ? std::optional<double>(*sc.deadline_ms / 1e3) : std::nullopt);
  {
    std::ofstream(out_dir + "/scenario.resolved.yaml") << "# " << sc.file << " after --set overrides\n"
                                                       << sc.resolved_yaml << "\n";
    std::ofstream meta(out_dir + "/run.yaml");
    meta << "popex_sim_version: " << POPEX_VERSION << "\nsimgrid_version: " << SIMGRID_VERSION_MAJOR << "." << SIMGRID_VERSION_MINOR
         << "\nscenario: " << yaml_quote(sc.file) << "\nseed: " << sc.seed << "\nsimgrid_args: [";
    for (std::size_t i = 0; i < simgrid_args.size(); ++i)
      meta << (i ? ", " : "") << yaml_quote(simgrid_args[i]);
    meta << "]\n";
  }

  // --- Actors.
  DeviceState device;
  device.index = 0;
  switch (sc.estimator.kind) {
    case EstimatorKind::LAST:
      device.rate_estimator = std::make_unique<LastEstimator>();
      break;
    case EstimatorKind::HARMONIC:
      device.rate_estimator = std::make_unique<HarmonicEstimator>(sc.estimator.window);
      break;
    case EstimatorKind::EWMA:
    case EstimatorKind::ORACLE: // oracle reads the link; the passive samples are kept for the record
      device.rate_estimator = std::make_unique<EwmaEstimator>(sc.estimator.alpha);
      break;
  }
  device.exit_estimator = std::make_unique<ExitProbEstimator>(regime.true_q.front());

  sg4::Mailbox* inbox   = e.mailbox_by_name_or_create("cloud");
  sg4::Mailbox* probes  = e.mailbox_by_name_or_create("cloud-probes");
  const bool results_back = dnn.result_bytes() > 0 || down_latency > 0;
  sg4::Mailbox* results = results_back ? e.mailbox_by_name_or_create("results-0") : nullptr;

  EdgeModel edge_model(dnn);
  ModelParams initial;
  initial.gamma      = sc.gamma;
  initial.link       = {nominal_up, down_bps, up_latency, down_latency};
  initial.exit_probs = regime.true_q.front();

  auto cloud_server = std::make_shared<CloudServer>(
      CloudServerConfig{sc.cloud_slots, cloud_speed, dnn.result_bytes(), inbox}, dnn,
      std::vector<CloudDeviceLink>{{&device, results, up_latency}}, sink);
  sg4::Actor::create("cloud", cloud, [cloud_server] { (*cloud_server)(); })->daemonize();
  sg4::Actor::create("cloud-probes", cloud, [probes] {
    probes->set_receiver(sg4::Actor::self());
    while (true)
      probes->get_unique<ProbeMsg>();
  })->daemonize();
  if (driver->has_trace())
    sg4::Actor::create("link-driver", edge, [driver] { (*driver)(); })->daemonize();
  if (regime.samplers.size() > 1)
    sg4::Actor::create("exit-schedule", edge, ExitScheduler(regime_at, regime))->daemonize();

  auto agent = std::make_shared<PopexAgent>(
      PopexAgentConfig{sc.policy, sc.estimator, sc.update_period_s, initial, up_latency, probes}, dnn, device,
      uplink_state, regime, sink);
  uplink_state.on_change([agent](double bps) { agent->on_rate_change(bps); });
  sg4::Actor::create("agent-0", edge, [agent] { (*agent)(); })->daemonize();
  if (results != nullptr) {
    auto collector = std::make_shared<ResultCollector>(results, device, sink);
    sg4::Actor::create("results-0", edge, [collector] { (*collector)(); })->daemonize();
  }
  auto edge_device = std::make_shared<EdgeDevice>(EdgeDeviceConfig{cloud_speed}, edge_model, device, sink);
  sg4::Actor::create("edge-0", edge, [edge_device] { (*edge_device)(); });
  sg4::Actor::create("uplink-0", edge, UplinkSender(inbox, device));
  sg4::Actor::create("source-0", edge,
                     ImageSource(ImageSourceConfig{sc.arrival, sc.images, sc.duration_s, sc.seed}, device, regime));

  // --- Run.
  if (sc.timeout_s > 0)
    e.run_until(sc.timeout_s);
  else
    e.run();
  const double end = sg4::Engine::get_clock();

  // --- Summary: parameters, metrics, and what the core predicts for the policy at the initial conditions.
  const Prediction p = predict(sc, nominal_up, down_bps, up_latency, down_latency);
  RunInfo info;
  info.columns = scenario_columns(sc, nominal_up, up_latency);
  auto extra   = prediction_columns(sc, p);
  extra.emplace_back("sim_time_s", fmt::format("{}", end));
  extra.emplace_back("timed_out", sc.timeout_s > 0 && end >= sc.timeout_s ? "1" : "0");
  sink.finish(info, extra);
}

} // namespace popex
