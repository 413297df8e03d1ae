#include "config/scenario.hpp"
#include "config/dnn_loader.hpp"
#include "config/overrides.hpp"
#include "config/units.hpp"
#include "config/yaml_node.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace popex {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> TOP_KEYS{"description", "dnn",        "variant",       "platform",       "gamma",
                                        "uplink",      "downlink",   "latency_ms",    "threshold",      "policy",
                                        "arrival",     "images",     "duration_s",    "seed",           "update_period_s",
                                        "estimator",   "network_model", "cloud",      "exit_schedule",  "deadline_ms",
                                        "timeout_s",   "exit_prob",     "devices",    "bottleneck",     "edge_profile",
                                        "protocol_overhead", "offload_overhead_ms"};

const std::vector<std::string> POLICIES{"static",     "dynamic",   "oracle",        "neurosurgeon",
                                        "load-aware", "cloud-only", "edge-only", "fixed:<layer>"};

double positive(const YamlNode& parent, const std::string& key, bool allow_zero = false)
{
  const YamlNode n = parent.at(key);
  const double v   = n.as_finite(key);
  if (allow_zero ? !(v >= 0) : !(v > 0))
    n.fail(key, allow_zero ? "must be >= 0" : "must be > 0");
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
  if (!fs::is_regular_file(p, ec))
    n.fail(field, "must name an existing file");
  return p.string();
}

LinkConfig parse_link(const YamlNode& up, const fs::path& base)
{
  LinkConfig link;
  up.expect_map({"rate", "trace", "format", "loop", "scale", "offset_s"}, {});
  if (auto r = up.find("rate"))
    link.rate_bps = rate_of(*r, "rate");
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

PolicyConfig parse_policy(const YamlNode& n, const Dnn& dnn)
{
  PolicyConfig p;
  p.text = n.as_string("policy");
  if (p.text == "static")
    p.kind = PolicyKind::STATIC;
  else if (p.text == "dynamic")
    p.kind = PolicyKind::DYNAMIC;
  else if (p.text == "load-aware")
    p.kind = PolicyKind::LOAD_AWARE;
  else if (p.text == "oracle")
    p.kind = PolicyKind::ORACLE;
  else if (p.text == "neurosurgeon")
    p.kind = PolicyKind::NEUROSURGEON;
  else if (p.text == "cloud-only")
    p.kind = PolicyKind::CLOUD_ONLY;
  else if (p.text == "edge-only")
    p.kind = PolicyKind::EDGE_ONLY;
  else if (p.text.rfind("fixed:", 0) == 0) {
    p.kind          = PolicyKind::FIXED;
    const int split = dnn.find_split(p.text.substr(6));
    if (split < 0) {
      std::vector<std::string> names;
      for (std::size_t s = 0; s <= dnn.layer_count(); ++s)
        names.push_back(dnn.split_name(s));
      n.fail("policy", fmt::format("fixed:<layer> must name a split of DNN '{}' (valid: {})", dnn.name(),
                                   join_names(names)));
    }
    p.fixed_split = static_cast<std::size_t>(split);
  } else {
    n.fail("policy", fmt::format("must be one of {}", join_names(POLICIES)));
  }
  return p;
}

} // namespace

std::string policy_name(const PolicyConfig& policy)
{
  return policy.text;
}

Scenario load_scenario(const std::string& path, const std::vector<std::pair<std::string, std::string>>& overrides)
{
  // The tree is edited in place (not cloned): yaml-cpp's clones lose the line:col of every value.
  const YamlNode file_root = YamlNode::load_file(path, "scenario");
  YAML::Node raw           = file_root.raw();
  const fs::path base      = fs::path(path).parent_path();
  normalize_shorthand(raw, "uplink", "rate");
  normalize_shorthand(raw, "arrival", "process");
  normalize_shorthand(raw, "bottleneck", "rate");
  for (const auto& [key, value] : overrides) {
    try {
      apply_override(raw, key, value);
    } catch (const ConfigError& e) {
      throw ConfigError(fmt::format("--set {}={}: {}", key, value, e.what()));
    }
  }
  // An override may set the shorthand again (--set uplink=4g).
  normalize_shorthand(raw, "uplink", "rate");
  normalize_shorthand(raw, "arrival", "process");
  normalize_shorthand(raw, "bottleneck", "rate");
  if (raw["devices"] && raw["devices"].IsSequence())
    for (YAML::Node d : raw["devices"])
      if (d.IsMap())
        normalize_shorthand(d, "arrival", "process");
  YamlNode root(path, raw, "scenario");
  root.set_overrides(std::make_shared<const std::vector<std::pair<std::string, std::string>>>(overrides));
  root.expect_map(TOP_KEYS, {"dnn", "policy"});
  if (!root.has("platform") && !root.has("devices"))
    root.fail_message("missing required key 'platform' (or give 'devices: N' to build an N-device platform)");

  Scenario s;
  s.file     = path;
  s.dnn_file = existing_file(root.at("dnn"), "dnn", base);
  s.workload = load_workload(s.dnn_file);
  const Dnn& dnn = s.workload.dnn;
  if (root.has("platform"))
    s.platform_file = existing_file(root.at("platform"), "platform", base);

  if (auto v = root.find("variant")) {
    s.variant = v->as_string("variant");
    try {
      s.workload.variant(s.variant);
    } catch (const ConfigError& e) {
      fail_at(v->pos(), e.what());
    }
  }
  s.gamma = root.has("gamma") ? positive(root, "gamma") : 1.0;
  std::shared_ptr<const EdgeProfile> profile = s.workload.edge_profile;
  if (auto ep = root.find("edge_profile")) {
    s.edge_profile_file = existing_file(*ep, "edge_profile", base);
    profile             = load_edge_profile(s.edge_profile_file, dnn);
  }
  if (auto po = root.find("protocol_overhead")) {
    s.protocol_overhead = po->as_finite("protocol_overhead");
    if (!(s.protocol_overhead >= 1 && s.protocol_overhead <= 10))
      po->fail("protocol_overhead", "must be within [1, 10] (wire bytes per payload byte)");
  }
  if (root.has("offload_overhead_ms")) {
    s.offload_overhead_ms = positive(root, "offload_overhead_ms", true);
    if (s.offload_overhead_ms > 86400e3)
      root.at("offload_overhead_ms").fail("offload_overhead_ms", "must be <= 86400000 (a day)");
  }

  if (auto u = root.find("uplink"))
    s.uplink = parse_link(u->with_context("uplink"), base);
  if (auto b = root.find("bottleneck"))
    s.bottleneck = parse_link(b->with_context("bottleneck"), base);
  if (auto d = root.find("downlink"))
    s.downlink_bps = rate_of(*d, "downlink");
  if (root.has("latency_ms"))
    s.latency_ms = positive(root, "latency_ms", true);

  s.policy = parse_policy(root.at("policy"), dnn);
  const ExitModel* model = s.workload.variant(s.variant);
  if (auto t = root.find("threshold")) {
    const double v = t->as_finite("threshold");
    if (!(v > 0 && v <= 1))
      t->fail("threshold", "must be within (0, 1]");
    s.threshold = v;
  } else if (model) {
    if (!s.workload.default_threshold)
      root.fail_message(fmt::format("missing required key 'threshold' (DNN '{}' has no default_threshold)",
                                    dnn.name()));
    s.threshold = s.workload.default_threshold;
  }

  s.exit_prob.assign(dnn.branch_count(), std::nullopt);
  if (auto ep = root.find("exit_prob")) {
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
      s.exit_prob[static_cast<std::size_t>(dnn.find_branch(key))] = q;
    }
  }

  if (auto a = root.find("arrival"))
    s.arrival = parse_arrival(a->with_context("arrival"));

  // Devices: one by default; `devices: N` copies the scenario's device N times; a list refines each one.
  const DeviceConfig device0{s.gamma, profile, s.arrival, std::nullopt};
  if (auto dv = root.find("devices")) {
    s.devices_pos = dv->pos();
    if (dv->is_scalar()) {
      const long long n = dv->as_integer("devices");
      if (n < 1 || n > 100000)
        dv->fail("devices", "must be within [1, 100000]");
      s.devices.assign(static_cast<std::size_t>(n), device0);
    } else {
      dv->expect_sequence("devices");
      if (dv->raw().size() == 0)
        dv->fail("devices", "must have at least one device");
      for (const YamlNode& d : dv->elements("device")) {
        d.expect_map({"gamma", "arrival", "uplink", "edge_profile"}, {});
        DeviceConfig c = device0;
        if (d.has("gamma"))
          c.gamma = positive(d, "gamma");
        if (auto ep = d.find("edge_profile")) {
          const std::string file = existing_file(*ep, "edge_profile", base);
          c.edge_profile         = load_edge_profile(file, dnn);
          YAML::Node(d.raw())["edge_profile"] = file; // the resolved scenario runs again from anywhere
        }
        if (auto a = d.find("arrival"))
          c.arrival = parse_arrival(a->with_context(d.context() + " arrival"));
        if (auto u = d.find("uplink"))
          c.uplink_bps = rate_of(*u, "uplink");
        s.devices.push_back(c);
      }
    }
  } else {
    s.devices.push_back(device0);
  }

  if (auto im = root.find("images")) {
    const long long n = im->as_integer("images");
    if (n < 1)
      im->fail("images", "must be >= 1");
    s.images = static_cast<std::uint64_t>(n);
  }
  if (root.has("duration_s"))
    s.duration_s = positive(root, "duration_s");
  if (!s.images && !s.duration_s)
    root.fail_message("give 'images' or 'duration_s' (or both: the first reached ends the run)");
  if (auto sd = root.find("seed")) {
    const long long v = sd->as_integer("seed");
    if (v < 0)
      sd->fail("seed", "must be >= 0");
    s.seed = static_cast<std::uint64_t>(v);
  }
  if (root.has("update_period_s")) {
    s.update_period_s = positive(root, "update_period_s");
    if (s.update_period_s < 1e-3)
      root.at("update_period_s").fail("update_period_s", "must be >= 0.001 (one decision per millisecond at most)");
  }

  if (auto e = root.find("estimator")) {
    const YamlNode est = e->with_context("estimator");
    est.expect_map({"kind", "alpha", "window", "probe_idle_s", "probe_bytes", "hysteresis_pct"}, {});
    if (auto k = est.find("kind")) {
      const std::string kind = k->as_string("kind");
      if (kind == "oracle")
        s.estimator.kind = EstimatorKind::ORACLE;
      else if (kind == "last")
        s.estimator.kind = EstimatorKind::LAST;
      else if (kind == "ewma")
        s.estimator.kind = EstimatorKind::EWMA;
      else if (kind == "harmonic")
        s.estimator.kind = EstimatorKind::HARMONIC;
      else
        k->fail("kind", "must be one of oracle, last, ewma, harmonic");
    }
    if (est.has("alpha")) {
      s.estimator.alpha = positive(est, "alpha");
      if (s.estimator.alpha > 1)
        est.at("alpha").fail("alpha", "must be within (0, 1]");
    }
    if (auto w = est.find("window")) {
      const long long v = w->as_integer("window");
      if (v < 1)
        w->fail("window", "must be >= 1");
      s.estimator.window = static_cast<std::size_t>(v);
    }
    if (est.has("probe_idle_s")) {
      s.estimator.probe_idle_s = positive(est, "probe_idle_s", true);
      if (s.estimator.probe_idle_s > 0 && s.estimator.probe_idle_s < 1e-3)
        est.at("probe_idle_s").fail("probe_idle_s", "must be 0 (never) or >= 0.001");
    }
    if (est.has("probe_bytes"))
      s.estimator.probe_bytes = positive(est, "probe_bytes");
    if (est.has("hysteresis_pct"))
      s.estimator.hysteresis_pct = positive(est, "hysteresis_pct", true);
  }
  if (auto nm = root.find("network_model")) {
    const std::string m = nm->as_string("network_model");
    if (m == "analytic")
      s.network_model = NetworkModel::ANALYTIC;
    else if (m == "realistic")
      s.network_model = NetworkModel::REALISTIC;
    else
      nm->fail("network_model", "must be one of analytic, realistic");
  }
  if (auto c = root.find("cloud")) {
    const YamlNode cl = c->with_context("cloud");
    cl.expect_map({"slots"}, {});
    if (auto sl = cl.find("slots")) {
      const long long v = sl->as_integer("slots");
      if (v < 1 || v > 100000)
        sl->fail("slots", "must be within [1, 100000]");
      s.cloud_slots     = static_cast<int>(v);
      s.cloud_slots_pos = sl->pos();
    }
  }
  if (auto es = root.find("exit_schedule")) {
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
        s.workload.variant(entry.variant);
      } catch (const ConfigError& err) {
        fail_at(vname.pos(), err.what());
      }
      s.exit_schedule.push_back(entry);
    }
  }
  if (root.has("deadline_ms"))
    s.deadline_ms = positive(root, "deadline_ms");
  if (root.has("timeout_s"))
    s.timeout_s = positive(root, "timeout_s");

  // The threshold must be inside every table the run will use.
  if (s.threshold) {
    std::vector<std::string> variants{s.variant};
    for (const auto& e : s.exit_schedule)
      variants.push_back(e.variant);
    for (const auto& v : variants) {
      try {
        s.workload.variant(v)->at(*s.threshold);
      } catch (const ConfigError& e) {
        const auto t = root.find("threshold");
        fail_at(t ? t->pos() : root.pos(),
                fmt::format("scenario: threshold: {} of variant '{}'", e.what(),
                            v.empty() ? s.workload.default_variant() : v));
      }
    }
  }

  // The resolved scenario runs again from anywhere: absolute paths.
  raw["dnn"] = s.dnn_file;
  if (!s.platform_file.empty())
    raw["platform"] = s.platform_file;
  if (!s.uplink.trace.empty())
    raw["uplink"]["trace"] = s.uplink.trace;
  if (!s.edge_profile_file.empty())
    raw["edge_profile"] = s.edge_profile_file;
  if (s.bottleneck && !s.bottleneck->trace.empty())
    raw["bottleneck"]["trace"] = s.bottleneck->trace;
  s.resolved_yaml = to_block_yaml(raw);
  return s;
}

} // namespace popex
