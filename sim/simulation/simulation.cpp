#include "simulation/simulation.hpp"
#include "config/prediction.hpp"
#include "core/config_error.hpp"
#include "io/output_file.hpp"
#include "simulation/deployment.hpp"
#include "simulation/host_energy.hpp"
#include "simulation/machine_limits.hpp"
#include "simulation/platform_builder.hpp"
#include "simulation/sanitizers.hpp"
#include "simulation/simgrid_guard.hpp"
#include "simulation/topology.hpp"

#include <simgrid/s4u.hpp>
#include <xbt/config.hpp>
#include <simgrid/version.h>

#include <fmt/format.h>

#include <csignal>
#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>
#include <unistd.h>

XBT_LOG_NEW_DEFAULT_CATEGORY(popex_simulation, "Simulation set-up");

namespace sg4 = simgrid::s4u;

namespace popex {

namespace {

extern "C" void on_fatal_signal(int /*sig*/)
{
  // Once the set-up is over, SimGrid aborting is popex-sim's failure, never the user's: say so, never dump core.
  static const char run[] = "popex-sim: internal error: SimGrid stopped the simulation (its message is above)\n";
  (void)!write(STDERR_FILENO, run, sizeof run - 1);
  _exit(1);
}

void install_run_handlers()
{
  std::signal(SIGABRT, on_fatal_signal);
#if !defined(POPEX_ASAN)
  std::signal(SIGSEGV, on_fatal_signal); // under ASan, its own report is worth more
#endif
}

/** The engine, configured: popex-sim's quiet logs first (the user's --log wins), then the analytic network. */
std::unique_ptr<sg4::Engine> make_engine(const Scenario& sc, const std::vector<std::string>& simgrid_args)
{
  std::vector<std::string> args{"popex-sim", "--log=root.thres:warning", "--log=ker_engine.thres:error"};
#if defined(POPEX_ASAN)
  // ASan cannot follow the raw contexts' stack switches (false stack-buffer-overflows when actors are killed).
  args.emplace_back("--cfg=contexts/factory:thread");
#endif
  args.insert(args.end(), simgrid_args.begin(), simgrid_args.end());
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  std::unique_ptr<sg4::Engine> engine;
  try {
    engine = std::make_unique<sg4::Engine>(&argc, argv.data());
  } catch (const std::exception& ex) {
    throw ConfigError(fmt::format("SimGrid option: {}", first_line(ex.what())));
  }
  if (sc.network_model == NetworkModel::ANALYTIC) {
    // CM02 without cross-traffic nor TCP window bound: a transfer takes exactly L + S/B.
    sg4::Engine::set_config("network/model:CM02");
    sg4::Engine::set_config("network/crosstraffic:0");
    sg4::Engine::set_config("network/TCP-gamma:0");
  }
  return engine;
}

/**
 * After a run whose results are written: its engine and its actors' objects are left to the process's end, which
 * frees them at once, where destroying them one by one took 0.2 to 0.4 s for 10,000 devices (hosts, links,
 * actors, agents); the caller then ends the process with _exit() (SimGrid's own exit handler would
 * destroy the engine). Not when SimGrid still has work at its end (tracing: it closes its trace file when the
 * engine is destroyed), and not under AddressSanitizer, whose leak check must see every destructor run. Returns
 * whether it left them.
 */
bool leave_to_exit(std::unique_ptr<sg4::Engine>& engine, std::unique_ptr<const Deployment>& deployment)
{
#if !defined(POPEX_ASAN)
  if (!simgrid::config::get_value<bool>("tracing")) {
    (void)deployment.release();
    (void)engine.release();
    return true;
  }
#else
  (void)engine;
  (void)deployment;
#endif
  return false;
}

/** Loads the scenario's platform file, or builds the generated one. */
std::string load_platform(sg4::Engine& e, const Scenario& sc)
{
  if (sc.platform_file.empty())
    return build_platform(sc);
  // Checked by load_scenario() already (SimGrid aborts on bad values). Named as the user sees it.
  const std::string platform = std::filesystem::proximate(sc.platform_file).string();
  try {
    e.load_platform(platform);
  } catch (const std::exception& ex) {
    throw ConfigError(fmt::format("{}: platform: {}", platform, first_line(ex.what())));
  }
  return platform;
}

/** The exit regimes: the one in force at t = 0, then the schedule's (image-quality drift), at every threshold. */
void build_regime(const Scenario& sc, ExitRegime& regime)
{
  static const TableExitModel NO_BRANCHES({1.0}, {}, {std::numeric_limits<double>::quiet_NaN()});
  std::vector<std::string> variants{sc.variant};
  for (const auto& entry : sc.exit_schedule) {
    if (entry.at_s == 0)
      variants.front() = entry.variant;
    else
      variants.push_back(entry.variant);
  }
  regime.thresholds = scenario_thresholds(sc);
  for (const auto& v : variants) {
    const ExitModel* m = sc.workload.variant(v);
    auto& samplers     = regime.samplers.emplace_back();
    auto& true_q       = regime.true_q.emplace_back();
    regime.variants.push_back(v.empty() ? sc.workload.default_variant() : v);
    for (const double t : regime.thresholds) {
      true_q.push_back(scenario_exit_probs(sc, v, t));
      samplers.push_back(
          std::make_unique<OutcomeSampler>(m != nullptr ? *m : NO_BRANCHES, m != nullptr ? t : 1.0, true_q.back()));
    }
  }
}

std::string yaml_quote(const std::string& s)
{
  std::string out = "'";
  for (const char c : s)
    out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

void write_run_files(const Scenario& sc, const std::string& out_dir, const std::string& platform,
                     const std::vector<std::string>& simgrid_args)
{
  write_file_atomically(out_dir + "/scenario.resolved.yaml",
                        "# " + sc.file + " after --set overrides\n" + sc.resolved_yaml + "\n");
  std::string meta = fmt::format("popex_sim_version: {}\nsimgrid_version: {}.{}\nscenario: {}\nplatform: {}\n"
                                 "seed: {}\nsimgrid_args: [",
                                 POPEX_VERSION, SIMGRID_VERSION_MAJOR, SIMGRID_VERSION_MINOR, yaml_quote(sc.file),
                                 yaml_quote(platform), sc.seed);
  for (std::size_t i = 0; i < simgrid_args.size(); ++i)
    meta += (i ? ", " : "") + yaml_quote(simgrid_args[i]);
  write_file_atomically(out_dir + "/run.yaml", meta + "]\n");
}

/** summary.csv (device 0's parameters and prediction) and devices.csv (every device's), written last. */
void write_summary(const Scenario& sc, const Deployment& deployment, const Topology& topology, MetricsSink& sink,
                   bool timed_out)
{
  const ResolvedRun& run = deployment.resolved();
  const bool energy            = sc.energy.has_value();
  const HostEnergyTotals hosts = energy ? host_energy_totals(topology, *sc.energy) : HostEnergyTotals{};
  double radio_j = 0;
  RunInfo info;
  info.columns = scenario_columns(sc, run, 0);
  // A device like the one before it (a generated platform's are all alike) shares its prediction: one solve, not
  // one per device (10,000 of them took 106 M instructions).
  std::optional<Prediction> first, last;
  std::size_t last_d = 0;
  for (std::size_t d = 0; d < run.devices.size(); ++d) {
    if (!last || !same_initial_params(run, last_d, d)) {
      last   = predict(sc, run, d, deployment.graphs());
      last_d = d;
    }
    if (d == 0)
      first = last;
    const Prediction& p = *last;
    auto& cols         = info.device_columns.emplace_back(std::vector<std::pair<std::string, std::string>>{
        {"gamma", fmt::format("{}", run.devices[d].gamma)},
        {"uplink_bps", fmt::format("{}", run.devices[d].uplink_bps)},
        {"analytic_split_after", sc.workload.dnn.split_name(p.choice.device_split)},
        {"analytic_expected_time_s", fmt::format("{}", p.choice.expected_time_s)}});
    if (energy) {
      radio_j += deployment.radio_energy_j(d);
      cols.emplace_back("compute_energy_total_j", fmt::format("{}", host_energy_j(topology.devices[d].host)));
      cols.emplace_back("radio_energy_total_j", fmt::format("{}", deployment.radio_energy_j(d)));
    }
  }
  auto extra = prediction_columns(sc, first ? *first : predict(sc, run, 0, deployment.graphs()));
  if (energy) {
    extra.emplace_back("device_energy_total_j", fmt::format("{}", hosts.devices_j + radio_j));
    extra.emplace_back("device_compute_energy_total_j", fmt::format("{}", hosts.devices_j));
    extra.emplace_back("device_radio_energy_total_j", fmt::format("{}", radio_j));
    extra.emplace_back("edge_server_energy_j", fmt::format("{}", hosts.edge_servers_j));
    extra.emplace_back("cloud_energy_j", fmt::format("{}", hosts.cloud_j));
  }
  extra.emplace_back("sim_time_s", fmt::format("{}", sg4::Engine::get_clock()));
  extra.emplace_back("timed_out", timed_out ? "1" : "0");
  sink.finish(info, extra);
}

} // namespace

bool run_simulation(const Scenario& sc, const std::string& out_dir, const std::vector<std::string>& simgrid_args)
{
  make_output_dir(out_dir, "--out");
  SimgridSetupGuard guard; // until run(): what SimGrid still rejects becomes one line
  // Before the engine: its --cfg=plugin:host_energy would connect the plugin first, and the plugin reads the hosts'
  // power when they are created, so popex-sim's must be set before.
  enable_host_energy(sc);
  auto engine = make_engine(sc, simgrid_args);
  std::string platform;
  std::optional<Topology> found;
  try {
    platform = load_platform(*engine, sc);
    found    = find_topology(*engine, sc, platform);
    // Before any actor: past vm.max_map_count, `ulimit -v` or the memory there is, SimGrid would die in the middle
    // of creating them, or the kernel would kill the run without a word.
    const int guard_pages    = simgrid::config::get_value<int>("contexts/guard-size");
    const auto stack_bytes   = static_cast<std::size_t>(simgrid::config::get_value<int>("contexts/stack-size")) * 1024;
    const auto guard_bytes   = static_cast<std::size_t>(guard_pages) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t devices = found->devices.size();
    const std::size_t actors  = actors_needed(sc, devices, found->servers.size());
    for (auto problem : {mapping_problem(actors, guard_pages),
                         address_space_problem(actors, stack_bytes, guard_bytes),
                         memory_problem(devices, memory_room())})
      if (problem)
        throw ConfigError(fmt::format("{}: {} devices: {}", sc.file, devices, *problem));
  } catch (...) {
    // A half-built engine may crash in its destructor, under the guard: its message would hide ours.
    (void)engine.release();
    throw;
  }
  const Topology& topology = *found;
  ExitRegime regime;
  build_regime(sc, regime);
  MetricsSink sink(out_dir, sc.workload.dnn,
                   sc.deadline_ms ? std::optional<double>(*sc.deadline_ms / 1e3) : std::nullopt, sc.devices.size(),
                   SinkColumns{three_tier(sc), sc.energy.has_value(),
                               sc.objective.accuracy_min.has_value() || sc.objective.constrained()});
  write_run_files(sc, out_dir, platform, simgrid_args);
  auto owned = std::make_unique<const Deployment>(*engine, sc, topology, regime, sink);
  const Deployment& deployment = *owned;
  guard.end();
  install_run_handlers();

  // To the end, or to timeout_s, or to a write error (a full disk): in the last two each device stops itself, and
  // the servers, uplink receivers and drivers (daemons) end with the last device.
  engine->run();
  // SimGrid ends a run whose actors all wait for something that cannot come ("Deadlock detected") as if it were
  // over: results written then would be silently short.
  if (const auto d = deployment.unended_device())
    throw std::runtime_error(fmt::format("SimGrid found a deadlock at {} s: device {} never finished (a popex-sim bug; "
                                         "please report it with this run's scenario.resolved.yaml)",
                                         sg4::Engine::get_clock(), *d));
  const bool timed_out = deployment.stopped();
  deployment.drain(); // finished images whose radio tail a stopped run cut: written with what they spent
  if (timed_out)
    fmt::print(stderr, "popex-sim: warning: timeout_s stopped the run at {} s with images unfinished ({} done)\n",
               sg4::Engine::get_clock(), sink.images());
  write_summary(sc, deployment, topology, sink, timed_out); // throws a write error kept by the sink
  return leave_to_exit(engine, owned);
}

} // namespace popex
