#include "config/dnn_loader.hpp"
#include "config/sample_csv.hpp"
#include "config/yaml_node.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <tuple>
#include <set>

namespace popex {

namespace {

/** Times beyond a day and sizes beyond a petabyte are typos (and would overflow sums into infinities). */
constexpr double MAX_TIME_S = 86400;
constexpr double MAX_BYTES  = 1e15;

double number_in(const YamlNode& parent, const std::string& key, double min, bool strict, double max)
{
  const YamlNode n = parent.at(key);
  const double v   = n.as_finite(key);
  if (strict ? !(v > min) : !(v >= min))
    n.fail(key, fmt::format("must be {} {}", strict ? ">" : ">=", min));
  if (v > max)
    n.fail(key, fmt::format("must be <= {:g}", max));
  return v;
}

/** A size in bytes: a whole number (docs/workloads.md says integer; 10.5 bytes is a typo), >= 0 (> 0 if strict). */
double integer_bytes(const YamlNode& parent, const std::string& key, bool strict = false)
{
  const double v = number_in(parent, key, 0.0, strict, MAX_BYTES);
  if (v != std::floor(v))
    parent.at(key).fail(key, "must be a whole number of bytes");
  return v;
}

/**
 * The optional `edge_time_s` of every layer and branch: all or none, so that a DNN never mixes measured edge times
 * with gamma x cloud times.
 */
struct EdgeTimes {
  std::vector<double> layer_s;
  std::vector<double> branch_s;
  std::optional<YamlNode> first_missing; //!< the first layer or branch without edge_time_s
  std::size_t given = 0;

  void add(const YamlNode& node, std::vector<double>& into)
  {
    if (!node.has("edge_time_s")) {
      if (!first_missing)
        first_missing = node;
      into.push_back(0.0);
      return;
    }
    ++given;
    into.push_back(number_in(node, "edge_time_s", 0.0, false, MAX_TIME_S));
    if (first_missing)
      first_missing->fail_message("missing edge_time_s: give it on every layer and branch, or on none (a later "
                                  "one has it)");
  }

  std::shared_ptr<const EdgeProfile> profile(const YamlNode& root) const
  {
    if (given == 0)
      return nullptr;
    if (first_missing)
      first_missing->fail_message("missing edge_time_s: give it on every layer and branch, or on none (an "
                                  "earlier one has it)");
    return std::make_shared<EdgeProfile>(EdgeProfile{root.file(), layer_s, branch_s});
  }
};

double probability(const YamlNode& parent, const std::string& key)
{
  const YamlNode n = parent.at(key);
  const double v   = n.as_finite(key);
  if (!(v >= 0.0 && v <= 1.0))
    n.fail(key, "must be within [0, 1]");
  return v;
}

std::string unique_name(const YamlNode& parent, std::set<std::string>& seen, const std::string& what)
{
  const YamlNode n = parent.at("name");
  std::string name = n.as_string("name");
  if (name == "input")
    n.fail("name", "must not be 'input', which names the cloud-only split");
  if (name.empty() || name.find_first_of(",\"\n\r") != std::string::npos)
    n.fail("name", "must be a non-empty name without a comma, a double quote or a line break (it is a CSV cell)");
  if (!seen.insert(name).second)
    n.fail("name", fmt::format("must be unique among {}", what == "branch" ? "branches" : what + "s"));
  return name;
}

/** A table's rows; the thresholds are checked against `thresholds` if it is not empty, else they define it. */
std::vector<ExitRow> load_exits(const YamlNode& list, std::vector<double>& thresholds, const std::string& owner)
{
  list.expect_sequence("exits");
  if (list.raw().size() == 0)
    list.fail("exits", "must have at least one row");
  const bool define = thresholds.empty();
  std::vector<ExitRow> rows;
  for (const YamlNode& row : list.elements(owner + " exit row")) {
    row.expect_map({"threshold", "exit_prob", "accuracy"}, {"threshold", "exit_prob"});
    ExitRow r;
    const YamlNode t = row.at("threshold");
    r.threshold      = t.as_finite("threshold");
    if (!(r.threshold > 0.0 && r.threshold <= 1.0))
      t.fail("threshold", "must be within (0, 1]");
    if (!rows.empty() && !(r.threshold > rows.back().threshold))
      t.fail("threshold", fmt::format("must be strictly ascending (previous row has {})", rows.back().threshold));
    const std::size_t i = rows.size();
    if (!define && (i >= thresholds.size() || thresholds[i] != r.threshold))
      t.fail("threshold", i >= thresholds.size()
                              ? fmt::format("must not exceed the {} rows of the first table", thresholds.size())
                              : fmt::format("must equal row {} of the first table ({})", i + 1, thresholds[i]));
    r.exit_prob = probability(row, "exit_prob");
    if (row.has("accuracy"))
      r.accuracy = probability(row, "accuracy");
    else if (r.exit_prob > 0.0)
      row.fail_message("missing required key 'accuracy' (it may be omitted only where exit_prob is 0)");
    rows.push_back(r);
  }
  if (define)
    for (const auto& r : rows)
      thresholds.push_back(r.threshold);
  else if (rows.size() != thresholds.size())
    list.fail("exits", fmt::format("must have the same {} thresholds as the first table", thresholds.size()));
  return rows;
}

std::vector<double> load_final_accuracy(const YamlNode& n, const std::vector<double>& thresholds)
{
  if (n.is_scalar()) {
    const double v = n.as_finite("final_accuracy");
    if (!(v >= 0.0 && v <= 1.0))
      n.fail("final_accuracy", "must be within [0, 1]");
    return {v};
  }
  if (!n.is_sequence())
    n.fail("final_accuracy", "must be a number or a list of {threshold, accuracy}");
  std::vector<double> out;
  for (const YamlNode& row : n.elements("final_accuracy row")) {
    row.expect_map({"threshold", "accuracy"}, {"threshold", "accuracy"});
    const YamlNode t    = row.at("threshold");
    const double th     = t.as_finite("threshold");
    const std::size_t i = out.size();
    if (i >= thresholds.size() || thresholds[i] != th)
      t.fail("threshold", i >= thresholds.size()
                              ? fmt::format("must not exceed the {} thresholds of the exit tables", thresholds.size())
                              : fmt::format("must equal threshold {} of the exit tables ({})", i + 1, thresholds[i]));
    out.push_back(probability(row, "accuracy"));
  }
  if (out.size() != thresholds.size())
    n.fail("final_accuracy", fmt::format("must have the {} thresholds of the exit tables", thresholds.size()));
  return out;
}

/** One table set: `branch_tables` holds, per branch in Dnn order, the node of its exits. */
std::shared_ptr<const ExitModel> load_table_set(const std::vector<YamlNode>& branch_tables,
                                                const std::vector<std::string>& branch_names,
                                                const YamlNode& owner, const std::optional<YamlNode>& final_acc)
{
  double backbone = std::numeric_limits<double>::quiet_NaN();
  if (owner.has("backbone_accuracy"))
    backbone = probability(owner, "backbone_accuracy");
  std::vector<double> thresholds;
  std::vector<std::vector<ExitRow>> tables;
  for (std::size_t k = 0; k < branch_tables.size(); ++k)
    tables.push_back(load_exits(branch_tables[k], thresholds, fmt::format("branch '{}'", branch_names[k])));
  if (!final_acc)
    owner.fail_message("missing required key 'final_accuracy'");
  return std::make_shared<TableExitModel>(thresholds, std::move(tables), load_final_accuracy(*final_acc, thresholds),
                                          backbone);
}

Workload build(const YamlNode& root)
{
  root.expect_map({"name", "description", "sources", "input_bytes", "result_bytes", "default_threshold", "variant",
                   "model", "layers", "branches", "final_accuracy", "backbone_accuracy", "variants", "per_sample"},
                  {"name", "input_bytes", "layers"});
  Workload w;
  w.file                   = root.file();
  const std::string name   = root.at("name").as_string("name");
  const double input_bytes  = integer_bytes(root, "input_bytes", true);
  const double result_bytes = root.has("result_bytes") ? integer_bytes(root, "result_bytes") : 0.0;
  if (root.has("default_threshold")) {
    const YamlNode t = root.at("default_threshold");
    const double v   = t.as_finite("default_threshold");
    if (!(v > 0.0 && v <= 1.0))
      t.fail("default_threshold", "must be within (0, 1]");
    w.default_threshold = v;
  }

  const YamlNode layers_node = root.at("layers");
  layers_node.expect_sequence("layers");
  if (layers_node.raw().size() == 0)
    layers_node.fail("layers", "must have at least one layer");
  std::vector<Layer> layers;
  std::set<std::string> layer_names;
  std::map<std::string, std::size_t> layer_index;
  EdgeTimes edge;
  for (const YamlNode& ln : layers_node.elements("layer")) {
    ln.expect_map({"name", "cloud_time_s", "output_bytes", "edge_time_s"}, {"name", "cloud_time_s", "output_bytes"});
    Layer l;
    l.name                 = unique_name(ln, layer_names, "layer");
    const YamlNode named   = ln.with_context(fmt::format("layer '{}'", l.name));
    l.cloud_time_s         = number_in(named, "cloud_time_s", 0.0, false, MAX_TIME_S);
    l.output_bytes         = integer_bytes(named, "output_bytes");
    edge.add(named, edge.layer_s);
    layer_index[l.name]    = layers.size() + 1;
    layers.push_back(l);
  }
  std::vector<std::string> valid_layers;
  for (const auto& l : layers)
    valid_layers.push_back(l.name);

  const bool per_sample = root.has("per_sample");
  std::vector<Branch> branches;
  std::vector<YamlNode> exit_nodes;
  std::vector<std::string> branch_names;
  if (auto bn = root.find("branches")) {
    bn->expect_sequence("branches");
    std::set<std::string> names;
    std::map<std::size_t, std::string> taken;
    for (const YamlNode& b0 : bn->elements("branch")) {
      b0.expect_map({"name", "after", "cloud_time_s", "edge_time_s", "exits"}, {"name", "after", "cloud_time_s"});
      Branch b;
      b.name              = unique_name(b0, names, "branch");
      const YamlNode node = b0.with_context(fmt::format("branch '{}'", b.name));
      const YamlNode a    = node.at("after");
      const std::string after = a.as_string("after");
      const auto it           = layer_index.find(after);
      if (it == layer_index.end())
        a.fail("after", fmt::format("must name a layer (valid: {})", join_names(valid_layers)));
      if (taken.count(it->second))
        a.fail("after", fmt::format("must be a layer with no other branch (branch '{}' is already there)",
                                    taken[it->second]));
      taken[it->second] = b.name;
      b.after           = it->second;
      b.cloud_time_s    = number_in(node, "cloud_time_s", 0.0, false, MAX_TIME_S);
      edge.add(node, edge.branch_s);
      if (per_sample && node.has("exits"))
        node.at("exits").fail_message("exits must not be given with per_sample (the data defines them)");
      if (!per_sample && !node.has("exits"))
        node.fail_message("missing required key 'exits' (or give the DNN a per_sample file)");
      branches.push_back(b);
      if (!per_sample)
        exit_nodes.push_back(node.at("exits"));
    }
    // Tables are given in file order; the model wants layer order.
    std::vector<std::size_t> order(branches.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return branches[x].after < branches[y].after; });
    std::vector<YamlNode> sorted_nodes;
    std::vector<double> sorted_edge;
    for (const std::size_t i : order) {
      branch_names.push_back(branches[i].name);
      if (!per_sample)
        sorted_nodes.push_back(exit_nodes[i]);
      if (i < edge.branch_s.size())
        sorted_edge.push_back(edge.branch_s[i]);
    }
    exit_nodes    = std::move(sorted_nodes);
    edge.branch_s = std::move(sorted_edge);
  }
  w.dnn          = Dnn(name, input_bytes, result_bytes, layers, branches);
  w.edge_profile = edge.profile(root);

  if (per_sample) {
    for (const char* key : {"final_accuracy", "backbone_accuracy", "variants"})
      if (root.has(key))
        root.at(key).fail_message(fmt::format("{} must not be given with per_sample (the data defines it)", key));
    const YamlNode ps = root.at("per_sample").with_context("per_sample");
    ps.expect_map({"file"}, {"file"});
    const YamlNode f = ps.at("file");
    std::filesystem::path path(f.as_string("file"));
    if (path.is_relative())
      path = std::filesystem::path(root.file()).parent_path() / path;
    std::error_code ec; // a too-long name or a symlink loop is a bad name, not an internal error
    if (!std::filesystem::is_regular_file(path, ec))
      f.fail("file", fmt::format("must name an existing regular file (looked for {})", path.string()));
    w.variants.emplace_back(root.has("variant") ? root.at("variant").as_string("variant") : "default",
                            std::make_shared<PerSampleExitModel>(load_sample_csv(path.string(), branches.size() + 1)));
    return w;
  }
  if (branches.empty()) {
    if (root.has("variants"))
      root.at("variants").fail_message("variants need branches");
    return w;
  }
  const std::string base = root.has("variant") ? root.at("variant").as_string("variant") : "default";
  w.variants.emplace_back(base, load_table_set(exit_nodes, branch_names, root, root.find("final_accuracy")));
  const std::string top_model = root.has("model") ? root.at("model").as_string("model") : "";
  w.variant_model[base]       = top_model;

  if (auto vn = root.find("variants")) {
    vn->expect_sequence("variants");
    std::set<std::string> vnames{base};
    for (const YamlNode& v0 : vn->elements("variant")) {
      v0.expect_map({"name", "description", "model", "branches", "final_accuracy", "backbone_accuracy"},
                    {"name", "branches", "final_accuracy"});
      const YamlNode namen    = v0.at("name");
      const std::string vname = namen.as_string("name");
      if (!vnames.insert(vname).second)
        namen.fail("name", "must be unique among variants");
      const YamlNode v = v0.with_context(fmt::format("variant '{}'", vname));
      const YamlNode vb = v.at("branches");
      vb.expect_sequence("branches");
      std::map<std::string, YamlNode> given;
      for (const YamlNode& e : vb.elements("branch")) {
        e.expect_map({"name", "exits"}, {"name", "exits"});
        const YamlNode bname = e.at("name");
        const std::string bn = bname.as_string("name");
        if (std::find(branch_names.begin(), branch_names.end(), bn) == branch_names.end())
          bname.fail("name", fmt::format("must name a branch (valid: {})", join_names(branch_names)));
        if (!given.emplace(bn, e.at("exits").with_context(fmt::format("variant '{}' branch '{}'", vname, bn))).second)
          bname.fail("name", "must appear once per variant");
      }
      std::vector<YamlNode> tables;
      for (const auto& bn : branch_names) {
        const auto it = given.find(bn);
        if (it == given.end())
          vb.fail_message(fmt::format("missing exits for branch '{}'", bn));
        tables.push_back(it->second);
      }
      w.variants.emplace_back(vname, load_table_set(tables, branch_names, v, v.find("final_accuracy")));
      w.variant_model[vname] = v0.has("model") ? v0.at("model").as_string("model") : top_model;
    }
  }
  return w;
}

} // namespace

Workload load_workload(const std::string& path)
{
  // Campaigns load the same DNN for every run: the parent's preflight loads it once, and the forked runs inherit
  // the cache instead of parsing the YAML (and a per-sample CSV) again. Keyed by path, size and modification time,
  // so an edited file is read again.
  struct Key {
    std::string path;
    std::uintmax_t size;
    std::filesystem::file_time_type mtime;
    bool operator<(const Key& o) const { return std::tie(path, size, mtime) < std::tie(o.path, o.size, o.mtime); }
  };
  static std::map<Key, Workload> cache;
  std::error_code ec;
  const auto size  = std::filesystem::file_size(path, ec);
  const auto mtime = std::filesystem::last_write_time(path, ec);
  if (ec)
    return build(YamlNode::load_file(path, "DNN")); // let the loader report the problem
  const Key key{path, size, mtime};
  if (const auto it = cache.find(key); it != cache.end())
    return it->second;
  Workload w = build(YamlNode::load_file(path, "DNN"));
  cache.emplace(key, w);
  return w;
}

namespace {
/** `entries` (a list of {name, edge_time_s}) in the order of `names`: each name exactly once. */
std::vector<double> profile_times(const YamlNode& root, const std::string& key, const std::vector<std::string>& names,
                                  const std::string& what)
{
  std::vector<std::optional<double>> found(names.size());
  if (const auto list = root.find(key)) {
    list->expect_sequence(key);
    for (const YamlNode& e : list->elements(what)) {
      e.expect_map({"name", "edge_time_s"}, {"name", "edge_time_s"});
      const YamlNode n       = e.at("name");
      const std::string name = n.as_string("name");
      const auto it          = std::find(names.begin(), names.end(), name);
      if (it == names.end())
        n.fail("name", fmt::format("must name a {} of the DNN (valid: {})", what, join_names(names)));
      auto& slot = found[static_cast<std::size_t>(it - names.begin())];
      if (slot)
        n.fail("name", fmt::format("must appear once among the {}", key));
      slot = number_in(e.with_context(fmt::format("{} '{}'", what, name)), "edge_time_s", 0.0, false, MAX_TIME_S);
    }
  }
  std::vector<double> out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!found[i])
      root.fail_message(fmt::format("missing edge_time_s of {} '{}' (an edge profile gives every layer and branch)",
                                    what, names[i]));
    out.push_back(*found[i]);
  }
  return out;
}
} // namespace

std::shared_ptr<const EdgeProfile> load_edge_profile(const std::string& path, const Dnn& dnn)
{
  const YamlNode root = YamlNode::load_file(path, "edge profile");
  root.expect_map({"edge_profile", "dnn", "description", "layers", "branches"}, {"edge_profile", "dnn", "layers"});
  const YamlNode d = root.at("dnn");
  if (d.as_string("dnn") != dnn.name())
    d.fail("dnn", fmt::format("must be the name of the DNN it profiles ('{}')", dnn.name()));
  std::vector<std::string> layers;
  for (const auto& l : dnn.layers())
    layers.push_back(l.name);
  std::vector<std::string> branches;
  for (const auto& b : dnn.branches())
    branches.push_back(b.name);
  auto p      = std::make_shared<EdgeProfile>();
  p->name     = root.at("edge_profile").as_string("edge_profile");
  p->layer_s  = profile_times(root, "layers", layers, "layer");
  p->branch_s = profile_times(root, "branches", branches, "branch");
  return p;
}

Workload load_workload_string(const std::string& text, const std::string& file)
{
  return build(YamlNode::load_string(text, file, "DNN"));
}

} // namespace popex
