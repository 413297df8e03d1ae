#include "config/scenario.hpp"
#include "config/dnn_loader.hpp"
#include "config/overrides.hpp"
#include "config/platform_check.hpp"
#include "config/units.hpp"
#include "config/yaml_node.hpp"
#include "io/input_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace popex {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> TOP_KEYS{"description", "dnn",        "variant",       "platform",       "gamma",
                                        "uplink",      "downlink",   "latency_ms",    "threshold",      "policy",
                                        "arrival",     "images",     "duration_s",    "seed",           "update_period_s",
                                        "estimator",   "network_model", "cloud",      "exit_schedule",  "deadline_ms",
                                        "timeout_s",   "exit_prob",     "devices",    "bottleneck",     "edge_profile",
                                        "protocol_overhead", "offload_overhead_ms", "edge_server", "backhaul",
                                        "edge_servers", "device_power", "radio", "objective", "energy_weight_s_per_j",
                                        "energy_budget_j", "latency_max_ms", "accuracy_min"};

const std::vector<std::string> POLICIES{"static",     "dynamic",   "oracle",        "neurosurgeon",
                                        "load-aware", "cloud-only", "edge-only", "fixed:<layer>"};
const std::vector<std::string> POLICIES3{"static",     "dynamic",    "oracle",      "neurosurgeon",         "load-aware",
                                         "cloud-only", "device-only", "edge-only", "fixed:<layer>,<layer>"};

double positive(const YamlNode& parent, const std::string& key, bool allow_zero = false)
{
  const YamlNode n = parent.at(key);
  const double v   = n.as_finite(key);
  if (allow_zero ? !(v >= 0) : !(v > 0))
    n.fail(key, allow_zero ? "must be >= 0" : "must be > 0");
  return v;
}

/** Gamma beyond these bounds is a typo, and SimGrid cannot honour it (its solver's precision is lost). */
constexpr double MIN_GAMMA = 1e-3;
constexpr double MAX_GAMMA = 1e6;
/** A day: latencies and overheads beyond it are typos, and they would dwarf every other time. */
constexpr double MAX_MS = 86400e3;

double gamma_of(const YamlNode& parent)
{
  const YamlNode n = parent.at("gamma");
  const double v   = n.as_finite("gamma");
  if (!(v >= MIN_GAMMA && v <= MAX_GAMMA))
    n.fail("gamma", v > 0 ? "must be within [0.001, 1e6]" : "must be > 0");
  return v;
}

/** Milliseconds within [0, a day]. */
double milliseconds(const YamlNode& parent, const std::string& key)
{
  const double v = positive(parent, key, true);
  if (v > MAX_MS)
    parent.at(key).fail(key, "must be <= 86400000 (a day)");
  return v;
}

double rate_of(const YamlNode& n, std::string field)
{
  if (!n.path().empty())
    field = n.path(); // "uplink.rate", even when the user wrote the shorthand `uplink: 5g`
  if (!n.is_scalar())
    n.fail(field, "must be a rate such as 1.1Mbps or a preset (3g, 4g, wifi)");
  try {
    return parse_rate_bps(n.raw().Scalar(), field);
  } catch (const ConfigError& e) {
    fail_at(n.pos(), e.what());
  }
}

/** `key: scalar` becomes `key: {inner: scalar}` so that dotted overrides (uplink.trace) can reach inside. */
void normalize_shorthand(YAML::Node root, const char* key, const char* inner)
{
  if (root[key] && root[key].IsScalar()) {
    YAML::Node m;
    m[inner]  = root[key];
    root[key] = m;
  }
}

/**
 * A path written in the scenario file is relative to that file; one given by --set (or a campaign axis) is relative
 * to the current directory. Returns it absolute; the error shows the path as the user wrote it.
 */
std::string existing_file(const YamlNode& n, const std::string& field, const fs::path& base)
{
  fs::path p(n.as_string(field));
  if (p.is_relative())
    p = fs::absolute(n.override_origin() != nullptr ? fs::current_path() / p : base / p);
  p = p.lexically_normal();
  std::error_code ec; // a too-long name or a symlink loop is a bad name, not an internal error
  if (fs::exists(p, ec) && !fs::is_regular_file(p, ec))
    n.fail(field, fmt::format("must name a regular file, not {}", describe_file_type(p.string())));
  if (!fs::is_regular_file(p, ec))
    n.fail(field, "must name an existing file");
  return p.string();
}

/** `uplink`, `bottleneck` and `backhaul`: a constant rate or a trace; the backhaul also has a latency and a downlink. */
LinkConfig parse_link(const YamlNode& up, const fs::path& base, bool backhaul = false)
{
  LinkConfig link;
  if (backhaul)
    up.expect_map({"rate", "trace", "format", "loop", "scale", "offset_s", "latency_ms", "downlink"}, {});
  else
    up.expect_map({"rate", "trace", "format", "loop", "scale", "offset_s"}, {});
  if (auto r = up.find("rate")) {
    link.rate_bps = rate_of(*r, "rate");
    if (const std::string text = r->text(); text == "3g" || text == "4g" || text == "wifi")
      link.preset = text;
  }
  if (auto t = up.find("trace"))
    link.trace = existing_file(*t, "trace", base);
  if (auto f = up.find("format")) {
    link.format = f->as_string("format");
    if (link.format != "simgrid" && link.format != "mahimahi" && link.format != "mbps" && link.format != "sabre")
      f->fail("format", "must be one of simgrid, mahimahi, mbps, sabre");
  }
  if (auto l = up.find("loop"))
    link.loop = l->as_bool("loop");
  if (up.has("scale"))
    link.scale = positive(up, "scale");
  if (up.has("offset_s"))
    link.offset_s = positive(up, "offset_s", true);
  if (up.has("latency_ms"))
    link.latency_ms = milliseconds(up, "latency_ms");
  if (auto d = up.find("downlink"))
    link.downlink_bps = rate_of(*d, "downlink");
  if (!link.rate_bps && link.trace.empty())
    up.fail_message("give a rate or a trace");
  return link;
}

ArrivalConfig parse_arrival(const YamlNode& arr)
{
  ArrivalConfig a;
  arr.expect_map({"process", "rate_hz"}, {"process"});
  const YamlNode p     = arr.at("process");
  const std::string pr = p.as_string("process");
  if (pr == "closed-loop")
    a.process = ArrivalProcess::CLOSED_LOOP;
  else if (pr == "periodic")
    a.process = ArrivalProcess::PERIODIC;
  else if (pr == "poisson")
    a.process = ArrivalProcess::POISSON;
  else
    p.fail("process", "must be one of closed-loop, periodic, poisson");
  if (a.process == ArrivalProcess::CLOSED_LOOP) {
    if (arr.has("rate_hz"))
      arr.at("rate_hz").fail("rate_hz", "must not be given for closed-loop arrivals");
  } else {
    if (!arr.has("rate_hz"))
      p.fail_message(fmt::format("missing required key 'rate_hz' for {} arrivals", pr));
    a.rate_hz = positive(arr, "rate_hz");
  }
  return a;
}

/** A split's index from its name ("input" or a layer), or a failure listing the valid names. */
std::size_t split_named(const YamlNode& n, const Dnn& dnn, const std::string& name, const char* form)
{
  const int split = dnn.find_split(name);
  if (split < 0) {
    std::vector<std::string> names;
    for (std::size_t s = 0; s <= dnn.layer_count(); ++s)
      names.push_back(dnn.split_name(s));
    n.fail("policy",
           fmt::format("{} must name a split of DNN '{}' (valid: {})", form, dnn.name(), join_names(names)));
  }
  return static_cast<std::size_t>(split);
}

/** fixed:<layer> with two tiers; fixed:<layer>,<layer> (s1 <= s2) with three. */
void parse_fixed(const YamlNode& n, const Dnn& dnn, bool tiers3, Policy& p)
{
  p.kind                 = PolicyKind::FIXED;
  const std::string spec = p.text.substr(6);
  const auto comma       = spec.find(',');
  if (!tiers3) {
    if (comma != std::string::npos)
      n.fail("policy", "fixed:<layer>,<layer> needs three tiers (an edge_server); with two give fixed:<layer>");
    p.fixed_split = p.fixed_edge_split = split_named(n, dnn, spec, "fixed:<layer>");
    return;
  }
  if (comma == std::string::npos)
    n.fail("policy", "with three tiers, fixed must give both splits: fixed:<device layer>,<edge-server layer>");
  p.fixed_split      = split_named(n, dnn, spec.substr(0, comma), "fixed:<layer>,<layer>");
  p.fixed_edge_split = split_named(n, dnn, spec.substr(comma + 1), "fixed:<layer>,<layer>");
  if (p.fixed_edge_split < p.fixed_split)
    n.fail("policy", "fixed:<layer>,<layer> must not put the edge server's split before the device's");
}

Policy parse_policy(const YamlNode& n, const Dnn& dnn, bool tiers3)
{
  static const std::vector<std::pair<std::string, PolicyKind>> kinds{
      {"static", PolicyKind::STATIC},           {"dynamic", PolicyKind::DYNAMIC},
      {"load-aware", PolicyKind::LOAD_AWARE},   {"oracle", PolicyKind::ORACLE},
      {"neurosurgeon", PolicyKind::NEUROSURGEON}, {"cloud-only", PolicyKind::CLOUD_ONLY},
      {"device-only", PolicyKind::DEVICE_ONLY}, {"edge-only", PolicyKind::EDGE_ONLY}};
  Policy p;
  p.text = n.as_string("policy");
  for (const auto& [name, kind] : kinds)
    if (p.text == name) {
      p.kind = kind;
      return p;
    }
  if (p.text.rfind("fixed:", 0) == 0) {
    parse_fixed(n, dnn, tiers3, p);
    return p;
  }
  n.fail("policy", fmt::format("must be one of {}", join_names(tiers3 ? POLICIES3 : POLICIES)));
}

EstimatorConfig parse_estimator(const YamlNode& est)
{
  EstimatorConfig c;
  est.expect_map({"kind", "alpha", "window", "probe_idle_s", "probe_bytes", "hysteresis_pct"}, {});
  if (auto k = est.find("kind")) {
    static const std::vector<std::pair<std::string, EstimatorKind>> kinds{{"oracle", EstimatorKind::ORACLE},
                                                                          {"last", EstimatorKind::LAST},
                                                                          {"ewma", EstimatorKind::EWMA},
                                                                          {"harmonic", EstimatorKind::HARMONIC}};
    const std::string kind = k->as_string("kind");
    const auto it = std::find_if(kinds.begin(), kinds.end(), [&](const auto& e) { return e.first == kind; });
    if (it == kinds.end())
      k->fail("kind", "must be one of oracle, last, ewma, harmonic");
    c.kind = it->second;
  }
  if (est.has("alpha")) {
    c.alpha = positive(est, "alpha");
    if (c.alpha > 1)
      est.at("alpha").fail("alpha", "must be within (0, 1]");
  }
  if (auto w = est.find("window")) {
    const long long v = w->as_integer("window");
    if (v < 1)
      w->fail("window", "must be >= 1");
    c.window = static_cast<std::size_t>(v);
  }
  if (est.has("probe_idle_s")) {
    c.probe_idle_s = positive(est, "probe_idle_s", true);
    if (c.probe_idle_s > 0 && c.probe_idle_s < 1e-3)
      est.at("probe_idle_s").fail("probe_idle_s", "must be 0 (never) or >= 0.001");
  }
  if (est.has("probe_bytes"))
    c.probe_bytes = positive(est, "probe_bytes");
  if (est.has("hysteresis_pct"))
    c.hysteresis_pct = positive(est, "hysteresis_pct", true);
  return c;
}

/** A count within [1, 100000] (devices, slots, edge servers). */
int count_of(const YamlNode& n, const std::string& field)
{
  const long long v = n.as_integer(field);
  if (v < 1 || v > 100000)
    n.fail(field, "must be within [1, 100000]");
  return static_cast<int>(v);
}

EdgeServerConfig parse_edge_server(const YamlNode& es, const fs::path& base, const Dnn& dnn, YAML::Node raw)
{
  EdgeServerConfig c;
  es.expect_map({"gamma", "slots", "profile", "power"}, {});
  if (es.has("gamma"))
    c.gamma = gamma_of(es);
  if (auto sl = es.find("slots")) {
    c.slots     = count_of(*sl, "slots");
    c.slots_pos = sl->pos();
  }
  if (auto pr = es.find("profile")) {
    c.profile_file = existing_file(*pr, "profile", base);
    c.profile      = load_edge_profile(c.profile_file, dnn);
    raw["profile"] = c.profile_file; // the resolved scenario runs again from anywhere
  }
  return c;
}

/** A host's power: `{busy_w, idle_w}`, 0 <= idle_w <= busy_w <= 100 kW. */
DevicePower parse_power(const YamlNode& n, DevicePower defaults)
{
  n.expect_map({"busy_w", "idle_w"}, {});
  DevicePower p = defaults;
  if (n.has("busy_w"))
    p.busy_w = positive(n, "busy_w", true);
  if (n.has("idle_w"))
    p.idle_w = positive(n, "idle_w", true);
  if (p.busy_w > 1e5)
    n.at("busy_w").fail("busy_w", "must be <= 100000 (W)");
  if (p.idle_w > p.busy_w)
    n.fail_message(fmt::format("idle_w must be <= busy_w (got idle_w {}, busy_w {})", p.idle_w, p.busy_w));
  return p;
}

/** `radio: 4g` or `{technology, ...overrides}`: a preset of Huang et al., or every parameter given. */
RadioPower parse_radio(const YamlNode& n)
{
  n.expect_map({"technology", "alpha_up_w_per_mbps", "alpha_down_w_per_mbps", "beta_w", "tail_w", "tail_s",
                "promotion_w", "promotion_s"},
               {"technology"});
  const YamlNode t       = n.at("technology");
  const std::string tech = t.as_string("technology");
  RadioPower r;
  if (const auto preset = radio_preset(tech)) {
    r = *preset;
  } else {
    r.technology = tech;
    for (const auto& [key, member] : radio_fields())
      if (!n.has(key))
        t.fail("technology", fmt::format("must be a preset (3g, 4g, lte, wifi), or give every parameter (missing {})",
                                          key));
  }
  for (const auto& [key, member] : radio_fields())
    if (n.has(key)) {
      r.*member = positive(n, key, true);
      if (r.*member > 1e5)
        n.at(key).fail(key, "must be <= 100000");
    }
  return r;
}

/** The sections of a scenario, each checked where it is read. */
class ScenarioReader {
public:
  ScenarioReader(const YamlNode& root, const fs::path& base, Scenario& s) : root_(root), base_(base), s_(s) {}

  void read()
  {
    workload();
    s_.gamma = root_.has("gamma") ? gamma_of(root_) : 1.0;
    measured_costs();
    links();
    tiers();
    s_.policy = parse_policy(root_.at("policy"), s_.workload.dnn, three_tier(s_));
    exits();
    if (auto a = root_.find("arrival"))
      s_.arrival = parse_arrival(a->with_context("arrival"));
    devices();
    run_length();
    if (auto e = root_.find("estimator"))
      s_.estimator = parse_estimator(e->with_context("estimator"));
    engine();
    exit_schedule();
    check_threshold_in_every_table();
    objective();
    energy();
  }

private:
  void workload()
  {
    s_.dnn_file = existing_file(root_.at("dnn"), "dnn", base_);
    s_.workload = load_workload(s_.dnn_file);
    if (root_.has("platform")) {
      s_.platform_file = existing_file(root_.at("platform"), "platform", base_);
      // Here, not at set-up: a campaign's --dry-run (and its preflight) check the platform too.
      check_platform_file(fs::proximate(s_.platform_file).string());
    }
    if (auto v = root_.find("variant")) {
      s_.variant = v->as_string("variant");
      try {
        s_.workload.variant(s_.variant);
      } catch (const ConfigError& e) {
        fail_at(v->pos(), e.what());
      }
    }
  }

  void measured_costs()
  {
    profile_ = s_.workload.edge_profile;
    if (auto ep = root_.find("edge_profile")) {
      s_.edge_profile_file = existing_file(*ep, "edge_profile", base_);
      profile_             = load_edge_profile(s_.edge_profile_file, s_.workload.dnn);
    }
    if (auto po = root_.find("protocol_overhead")) {
      s_.protocol_overhead = po->as_finite("protocol_overhead");
      if (!(s_.protocol_overhead >= 1 && s_.protocol_overhead <= 10))
        po->fail("protocol_overhead", "must be within [1, 10] (wire bytes per payload byte)");
    }
    if (root_.has("offload_overhead_ms"))
      s_.offload_overhead_ms = milliseconds(root_, "offload_overhead_ms");
  }

  void links()
  {
    if (auto u = root_.find("uplink"))
      s_.uplink = parse_link(u->with_context("uplink"), base_);
    if (auto b = root_.find("bottleneck"))
      s_.bottleneck = parse_link(b->with_context("bottleneck"), base_);
    if (auto d = root_.find("downlink"))
      s_.downlink_bps = rate_of(*d, "downlink");
    if (root_.has("latency_ms"))
      s_.latency_ms = milliseconds(root_, "latency_ms");
  }

  /** Three tiers: an edge_server needs a backhaul, and the backhaul and edge_servers need an edge_server. */
  void tiers()
  {
    if (auto es = root_.find("edge_server"))
      s_.edge_server = parse_edge_server(es->with_context("edge_server"), base_, s_.workload.dnn, es->raw());
    if (auto b = root_.find("backhaul")) {
      if (!s_.edge_server)
        b->fail_message("backhaul needs an edge_server (three tiers: device -> edge server -> cloud)");
      s_.backhaul = parse_link(b->with_context("backhaul"), base_, true);
    } else if (s_.edge_server) {
      root_.at("edge_server").fail_message("an edge_server needs a backhaul: give backhaul: RATE (its link to the "
                                           "cloud)");
    }
    if (auto n = root_.find("edge_servers")) {
      if (!s_.edge_server)
        n->fail_message("edge_servers needs an edge_server (three tiers)");
      if (root_.has("platform"))
        n->fail_message("edge_servers builds a platform: give it without platform (or put the edge servers in "
                        "the platform file)");
      s_.edge_servers     = count_of(*n, "edge_servers");
      s_.edge_servers_pos = n->pos();
    }
  }

  void exits()
  {
    const Dnn& dnn         = s_.workload.dnn;
    const ExitModel* model = s_.workload.variant(s_.variant);
    if (auto t = root_.find("threshold")) {
      const double v = t->as_finite("threshold");
      if (!(v > 0 && v <= 1))
        t->fail("threshold", "must be within (0, 1]");
      s_.threshold = v;
    } else if (model) {
      if (!s_.workload.default_threshold)
        root_.fail_message(fmt::format("missing required key 'threshold' (DNN '{}' has no default_threshold)",
                                       dnn.name()));
      s_.threshold = s_.workload.default_threshold;
    }
    s_.exit_prob.assign(dnn.branch_count(), std::nullopt);
    auto ep = root_.find("exit_prob");
    if (!ep)
      return;
    std::vector<std::string> names;
    for (const auto& b : dnn.branches())
      names.push_back(b.name);
    if (!ep->is_map())
      ep->fail("exit_prob", "must be a mapping {branch: probability}");
    if (model != nullptr && dynamic_cast<const PerSampleExitModel*>(model) != nullptr)
      ep->fail_message("exit_prob cannot override per-sample data (use an exit table)");
    const YamlNode e = ep->with_context("exit_prob");
    e.expect_map(names, {});
    for (const auto& key : e.keys()) {
      const YamlNode v = e.at(key);
      const double q   = v.as_finite(key);
      if (!(q >= 0 && q <= 1))
        v.fail(key, "must be within [0, 1]");
      s_.exit_prob[static_cast<std::size_t>(dnn.find_branch(key))] = q;
    }
  }

  /** One device by default; `devices: N` copies the scenario's device N times; a list refines each one. */
  void devices()
  {
    const DeviceConfig device0{s_.gamma, profile_, s_.arrival, std::nullopt};
    auto dv = root_.find("devices");
    if (!dv) {
      s_.devices.push_back(device0);
      return;
    }
    s_.devices_pos = dv->pos();
    if (dv->is_scalar()) {
      s_.devices.assign(static_cast<std::size_t>(count_of(*dv, "devices")), device0);
      return;
    }
    dv->expect_sequence("devices");
    if (dv->raw().size() == 0)
      dv->fail("devices", "must have at least one device");
    for (const YamlNode& d : dv->elements("device")) {
      d.expect_map({"gamma", "arrival", "uplink", "edge_profile"}, {});
      DeviceConfig c = device0;
      if (d.has("gamma"))
        c.gamma = gamma_of(d);
      if (auto ep = d.find("edge_profile")) {
        const std::string file              = existing_file(*ep, "edge_profile", base_);
        c.edge_profile                      = load_edge_profile(file, s_.workload.dnn);
        YAML::Node(d.raw())["edge_profile"] = file; // the resolved scenario runs again from anywhere
      }
      if (auto a = d.find("arrival"))
        c.arrival = parse_arrival(a->with_context(d.context() + " arrival"));
      if (auto u = d.find("uplink"))
        c.uplink_bps = rate_of(*u, "uplink");
      s_.devices.push_back(c);
    }
  }

  void run_length()
  {
    if (auto im = root_.find("images")) {
      const long long n = im->as_integer("images");
      if (n < 1)
        im->fail("images", "must be >= 1");
      s_.images = static_cast<std::uint64_t>(n);
    }
    if (root_.has("duration_s"))
      s_.duration_s = positive(root_, "duration_s");
    if (!s_.images && !s_.duration_s)
      root_.fail_message("give 'images' or 'duration_s' (or both: the first reached ends the run)");
    if (auto sd = root_.find("seed")) {
      const long long v = sd->as_integer("seed");
      if (v < 0)
        sd->fail("seed", "must be >= 0");
      s_.seed = static_cast<std::uint64_t>(v);
    }
    if (root_.has("update_period_s")) {
      s_.update_period_s = positive(root_, "update_period_s");
      if (s_.update_period_s < 1e-3)
        root_.at("update_period_s").fail("update_period_s", "must be >= 0.001 (one decision per millisecond at most)");
    }
    if (root_.has("deadline_ms")) {
      s_.deadline_ms = positive(root_, "deadline_ms");
      if (*s_.deadline_ms > MAX_MS)
        root_.at("deadline_ms").fail("deadline_ms", "must be <= 86400000 (a day)");
    }
    if (root_.has("timeout_s"))
      s_.timeout_s = positive(root_, "timeout_s");
  }

  void engine()
  {
    if (auto nm = root_.find("network_model")) {
      const std::string m = nm->as_string("network_model");
      if (m == "analytic")
        s_.network_model = NetworkModel::ANALYTIC;
      else if (m == "realistic")
        s_.network_model = NetworkModel::REALISTIC;
      else
        nm->fail("network_model", "must be one of analytic, realistic");
    }
    if (auto c = root_.find("cloud")) {
      const YamlNode cl = c->with_context("cloud");
      cl.expect_map({"slots", "power"}, {});
      if (auto sl = cl.find("slots")) {
        s_.cloud_slots     = count_of(*sl, "slots");
        s_.cloud_slots_pos = sl->pos();
      }
    }
  }

  void exit_schedule()
  {
    auto es = root_.find("exit_schedule");
    if (!es)
      return;
    es->expect_sequence("exit_schedule");
    double last = -1;
    for (const YamlNode& e : es->elements("exit_schedule entry")) {
      e.expect_map({"at_s", "variant"}, {"at_s", "variant"});
      ExitScheduleEntry entry;
      entry.at_s = positive(e, "at_s", true);
      if (!(entry.at_s > last))
        e.at("at_s").fail("at_s", "must be strictly ascending");
      last                 = entry.at_s;
      const YamlNode vname = e.at("variant");
      entry.variant        = vname.as_string("variant");
      try {
        s_.workload.variant(entry.variant);
      } catch (const ConfigError& err) {
        fail_at(vname.pos(), err.what());
      }
      s_.exit_schedule.push_back(entry);
    }
  }

  void objective()
  {
    Objective& o = s_.objective;
    if (auto k = root_.find("objective")) {
      const auto kind = objective_kind(k->as_string("objective"));
      if (!kind)
        k->fail("objective", "must be one of latency, energy, weighted");
      o.kind = *kind;
    } else if (root_.has("latency_max_ms")) {
      o.kind = ObjectiveKind::ENERGY; // "minimise energy subject to E[T] <= bound"
    }
    if (root_.has("energy_weight_s_per_j")) {
      if (o.kind != ObjectiveKind::WEIGHTED)
        root_.at("energy_weight_s_per_j").fail_message("energy_weight_s_per_j needs objective: weighted");
      o.energy_weight_s_per_j = positive(root_, "energy_weight_s_per_j");
    } else if (o.kind == ObjectiveKind::WEIGHTED) {
      root_.at("objective").fail_message("objective: weighted needs energy_weight_s_per_j (seconds per joule)");
    }
    if (root_.has("energy_budget_j"))
      o.energy_budget_j = positive(root_, "energy_budget_j");
    if (root_.has("latency_max_ms")) {
      o.latency_max_s = milliseconds(root_, "latency_max_ms") / 1e3;
      if (*o.latency_max_s == 0)
        root_.at("latency_max_ms").fail("latency_max_ms", "must be > 0");
    }
    if (auto a = root_.find("accuracy_min")) {
      const double v = a->as_finite("accuracy_min");
      if (!(v >= 0 && v <= 1))
        a->fail("accuracy_min", "must be within [0, 1]");
      if (s_.workload.variant(s_.variant) == nullptr)
        a->fail_message("accuracy_min needs a DNN with exit tables or per-sample data (it chooses the threshold)");
      if (std::any_of(s_.exit_prob.begin(), s_.exit_prob.end(), [](const auto& q) { return q.has_value(); }))
        a->fail_message("accuracy_min cannot be combined with exit_prob (it chooses the threshold, and with it q)");
      o.accuracy_min       = v;
      s_.accuracy_min_pos = a->pos();
    }
  }

  /** Energy is on with device_power, radio, or an objective that needs it; the radio defaults to the uplink's preset. */
  void energy()
  {
    const auto dp = root_.find("device_power");
    const auto rd = root_.find("radio");
    if (!dp && !rd && !s_.objective.needs_energy())
      return;
    EnergyConfig e;
    // Assumptions (docs/model.md): an embedded board, a small edge server, a cloud server; give your own.
    e.params.device = dp ? parse_power(dp->with_context("device_power"), {5.0, 2.0}) : DevicePower{5.0, 2.0};
    if (rd) {
      e.params.radio = parse_radio(rd->with_context("radio"));
    } else if (const auto preset = radio_preset(s_.uplink.preset)) {
      e.params.radio = *preset;
    } else {
      root_.fail_message("energy needs the device's radio: give radio: 3g|4g|wifi (or its parameters), or an uplink "
                         "preset (uplink: 3g|4g|wifi)");
    }
    e.edge_server = DevicePower{150.0, 60.0};
    if (auto es = root_.find("edge_server"); es && es->has("power"))
      e.edge_server = parse_power(es->at("power").with_context("edge_server power"), e.edge_server);
    e.cloud = DevicePower{300.0, 100.0};
    if (auto c = root_.find("cloud"); c && c->has("power"))
      e.cloud = parse_power(c->at("power").with_context("cloud power"), e.cloud);
    s_.energy = e;
  }

  /** The threshold must be inside every table the run will use. */
  void check_threshold_in_every_table()
  {
    if (!s_.threshold)
      return;
    std::vector<std::string> variants{s_.variant};
    for (const auto& e : s_.exit_schedule)
      variants.push_back(e.variant);
    for (const auto& v : variants) {
      try {
        s_.workload.variant(v)->at(*s_.threshold);
      } catch (const ConfigError& e) {
        const auto t = root_.find("threshold");
        fail_at(t ? t->pos() : root_.pos(), fmt::format("scenario: threshold: {} of variant '{}'", e.what(),
                                                        v.empty() ? s_.workload.default_variant() : v));
      }
    }
  }

  const YamlNode& root_;
  const fs::path& base_;
  Scenario& s_;
  std::shared_ptr<const EdgeProfile> profile_; //!< the devices' default edge profile
};

/** Applies the overrides in order to the tree, with the shorthands (`uplink: 4g`) made mappings before and after. */
void apply_set_arguments(YAML::Node raw, const std::vector<std::pair<std::string, std::string>>& overrides)
{
  const auto normalize = [&raw] {
    normalize_shorthand(raw, "uplink", "rate");
    normalize_shorthand(raw, "arrival", "process");
    normalize_shorthand(raw, "bottleneck", "rate");
    normalize_shorthand(raw, "backhaul", "rate");
    normalize_shorthand(raw, "radio", "technology");
  };
  normalize();
  for (const auto& [key, value] : overrides) {
    try {
      apply_override(raw, key, value);
    } catch (const ConfigError& e) {
      throw ConfigError(fmt::format("--set {}={}: {}", key, value, e.what()));
    }
    normalize(); // an override may set a shorthand again (--set radio=4g --set radio.tail_s=5)
  }
  if (raw["devices"] && raw["devices"].IsSequence())
    for (YAML::Node d : raw["devices"])
      if (d.IsMap())
        normalize_shorthand(d, "arrival", "process");
}

/** The resolved scenario runs again from anywhere: absolute paths. */
std::string resolved_yaml(YAML::Node raw, const Scenario& s)
{
  raw["dnn"] = s.dnn_file;
  if (!s.platform_file.empty())
    raw["platform"] = s.platform_file;
  if (!s.uplink.trace.empty())
    raw["uplink"]["trace"] = s.uplink.trace;
  if (!s.edge_profile_file.empty())
    raw["edge_profile"] = s.edge_profile_file;
  if (s.bottleneck && !s.bottleneck->trace.empty())
    raw["bottleneck"]["trace"] = s.bottleneck->trace;
  if (s.backhaul && !s.backhaul->trace.empty())
    raw["backhaul"]["trace"] = s.backhaul->trace;
  return to_block_yaml(raw);
}

} // namespace

std::shared_ptr<const RateTrace> link_trace(const LinkConfig& link, const std::string& field)
{
  if (link.loaded || link.trace.empty())
    return link.loaded;
  TraceOptions opt;
  opt.loop     = link.loop.value_or(link.format != "simgrid");
  opt.scale    = link.scale;
  opt.offset_s = link.offset_s;
  return std::make_shared<const RateTrace>(
      load_trace(link.trace, parse_trace_format(link.format, field + ".format"), opt));
}

std::string policy_name(const Policy& policy)
{
  return policy.text;
}

Scenario load_scenario(const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides)
{
  // The tree is edited in place (not cloned): yaml-cpp's clones lose the line:col of every value.
  const YamlNode file_root = YamlNode::load_file(path, "scenario");
  YAML::Node raw           = file_root.raw();
  apply_set_arguments(raw, overrides);
  YamlNode root(path, raw, "scenario");
  root.set_overrides(std::make_shared<const std::vector<std::pair<std::string, std::string>>>(overrides));
  root.expect_map(TOP_KEYS, {"dnn", "policy"});
  if (!root.has("platform") && !root.has("devices"))
    root.fail_message("missing required key 'platform' (or give 'devices: N' to build an N-device platform)");
  Scenario s;
  s.file = path;
  ScenarioReader(root, fs::path(path).parent_path(), s).read();
  // The traces are read here, once: a bad one is an input error before anything runs or is written.
  s.uplink.loaded = link_trace(s.uplink, "uplink");
  if (s.backhaul)
    s.backhaul->loaded = link_trace(*s.backhaul, "backhaul");
  if (s.bottleneck)
    s.bottleneck->loaded = link_trace(*s.bottleneck, "bottleneck");
  s.resolved_yaml = resolved_yaml(raw, s);
  return s;
}

} // namespace popex
