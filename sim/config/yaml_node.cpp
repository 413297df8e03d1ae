#include "config/yaml_node.hpp"
#include "io/input_file.hpp"

#include <yaml-cpp/eventhandler.h>

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <set>
#include <optional>
#include <sstream>

namespace popex {

namespace {
std::string describe(const YAML::Node& n)
{
  if (!n.IsDefined() || n.IsNull())
    return "null";
  if (n.IsScalar())
    return n.Scalar();
  if (n.IsSequence())
    return n.size() == 0 ? "[]" : "a list";
  return n.size() == 0 ? "{}" : "a mapping";
}

SourcePos pos_from_mark(const std::string& file, const YAML::Mark& m)
{
  if (m.is_null())
    return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

YamlNode parse(const std::string& text, const std::string& file, const std::string& what)
{
  if (text.find('\0') != std::string::npos)
    fail_at({file, 1, 1}, fmt::format("{}: file is binary, not YAML", what));
  reject_yaml_aliases(text, file, what);
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail_at(pos_from_mark(file, e.mark), fmt::format("{}: YAML syntax error: {}", what, e.msg));
  }
  if (!root.IsDefined() || root.IsNull())
    fail_at({file, 1, 1}, fmt::format("{}: file is empty (expected a YAML mapping)", what));
  if (!root.IsMap())
    fail_at(pos_from_mark(file, root.Mark()),
            fmt::format("{}: top level must be a YAML mapping (got {})", what, describe(root)));
  return {file, root, what};
}
} // namespace

namespace {
/** Parser events that only look for aliases. */
class AliasFinder : public YAML::EventHandler {
public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override
  {
    if (!found)
      found = mark;
  }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  std::optional<YAML::Mark> found;
};
} // namespace

void reject_yaml_aliases(const std::string& text, const std::string& file, const std::string& what)
{
  if (text.find('*') == std::string::npos)
    return; // no alias can be there
  std::istringstream in(text);
  YAML::Parser parser(in);
  AliasFinder finder;
  try {
    parser.HandleNextDocument(finder); // the loaders read the first document only
  } catch (const YAML::Exception&) {
    return; // the loader reports syntax errors with their position
  }
  if (finder.found)
    fail_at(pos_from_mark(file, *finder.found),
            fmt::format("{}: YAML aliases (*name) are not supported: write the value out", what));
}

std::string join_names(const std::vector<std::string>& names)
{
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

YamlNode::YamlNode(std::string file, YAML::Node node, std::string context)
    : file_(std::move(file)), node_(std::move(node)), context_(std::move(context))
{
}

YamlNode YamlNode::load_file(const std::string& path, const std::string& what)
{
  // 64 MiB: the largest shipped YAML is 0.2 MB; per-sample data lives in CSV files, read apart.
  return parse(read_input_file(path, what, std::uintmax_t{64} << 20), path, what);
}

YamlNode YamlNode::load_string(const std::string& text, const std::string& file, const std::string& what)
{
  return parse(text, file, what);
}

const std::pair<std::string, std::string>* YamlNode::override_origin() const
{
  if (!overrides_)
    return nullptr;
  // The last override that covers this path wins, as it was applied last. An override covers the node it sets,
  // everything inside its value, and the nodes on its way there: `--set gama.x=3` made `gama` (and turned a scalar
  // `cloud.slots` into a mapping for `--set cloud.slots.x=3`), so errors about them are errors of that --set.
  const std::pair<std::string, std::string>* found = nullptr;
  for (const auto& o : *overrides_)
    if (path_ == o.first || path_.rfind(o.first + ".", 0) == 0 ||
        (!path_.empty() && o.first.rfind(path_ + ".", 0) == 0))
      found = &o;
  return found;
}

SourcePos YamlNode::pos() const
{
  if (const auto* o = override_origin())
    return {"--set " + o->first + "=" + o->second, 0, 0};
  return pos_from_mark(file_, node_.Mark());
}

YamlNode YamlNode::child(YAML::Node node, const std::string& key) const
{
  YamlNode n(file_, std::move(node), context_);
  n.path_      = path_.empty() ? key : path_ + "." + key;
  n.overrides_ = overrides_;
  return n;
}

bool YamlNode::has(const std::string& key) const
{
  return node_.IsMap() && node_[key].IsDefined();
}

YamlNode YamlNode::at(const std::string& key) const
{
  if (!has(key))
    fail_message(fmt::format("missing required key '{}'", key));
  return child(node_[key], key);
}

std::optional<YamlNode> YamlNode::find(const std::string& key) const
{
  if (!has(key))
    return std::nullopt;
  return child(node_[key], key);
}

std::vector<YamlNode> YamlNode::elements(const std::string& element_context) const
{
  std::vector<YamlNode> out;
  std::size_t i = 0;
  for (const auto& element : node_) {
    out.push_back(child(element, std::to_string(i)));
    out.back().context_ = fmt::format("{} #{}", element_context, ++i);
  }
  return out;
}

std::vector<std::string> YamlNode::keys() const
{
  std::vector<std::string> out;
  for (const auto& kv : node_)
    out.push_back(kv.first.Scalar());
  return out;
}

void YamlNode::expect_map(std::initializer_list<const char*> allowed, std::initializer_list<const char*> required) const
{
  expect_map(std::vector<std::string>(allowed.begin(), allowed.end()),
             std::vector<std::string>(required.begin(), required.end()));
}

void YamlNode::expect_map(const std::vector<std::string>& allowed, const std::vector<std::string>& required) const
{
  if (!node_.IsMap())
    fail_message(fmt::format("expected a mapping with keys {} (got {})", join_names(allowed), describe(node_)));
  std::set<std::string> seen;
  for (const auto& kv : node_) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
    const SourcePos kpos  = child(kv.second, key).override_origin() != nullptr ? child(kv.second, key).pos()
                                                                            : pos_from_mark(file_, kv.first.Mark());
    const std::string ctx = context_.empty() ? "" : context_ + ": ";
    if (!seen.insert(key).second)
      fail_at(kpos, fmt::format("{}duplicate key '{}'", ctx, key));
    bool known = false;
    for (const auto& a : allowed)
      known = known || a == key;
    if (!known)
      fail_at(kpos, fmt::format("{}unknown key '{}' (valid: {})", ctx, key, join_names(allowed)));
  }
  for (const auto& r : required)
    if (!has(r))
      fail_message(fmt::format("missing required key '{}'", r));
}

void YamlNode::expect_sequence(const std::string& field) const
{
  if (!node_.IsSequence())
    fail(field, "must be a list");
}

std::string YamlNode::text() const
{
  return describe(node_);
}

double YamlNode::as_number(const std::string& field) const
{
  if (!node_.IsScalar())
    fail(field, "must be a number");
  const std::string& s = node_.Scalar();
  if (s == ".nan" || s == ".NaN" || s == ".NAN")
    return std::nan("");
  if (s == ".inf" || s == "+.inf" || s == ".Inf")
    return INFINITY;
  if (s == "-.inf" || s == "-.Inf")
    return -INFINITY;
  char* end      = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size())
    fail(field, "must be a number");
  return v;
}

double YamlNode::as_finite(const std::string& field) const
{
  const double v = as_number(field);
  if (!std::isfinite(v))
    fail(field, "must be a finite number");
  return v;
}

long long YamlNode::as_integer(const std::string& field) const
{
  const double v = as_finite(field);
  if (v != std::floor(v) || std::fabs(v) > 9.007199254740992e15)
    fail(field, "must be an integer");
  return static_cast<long long>(v);
}

bool YamlNode::as_bool(const std::string& field) const
{
  if (node_.IsScalar()) {
    const std::string& s = node_.Scalar();
    if (s == "true" || s == "yes" || s == "on" || s == "1")
      return true;
    if (s == "false" || s == "no" || s == "off" || s == "0")
      return false;
  }
  fail(field, "must be true or false");
}

std::string YamlNode::as_string(const std::string& field) const
{
  if (!node_.IsScalar() || node_.Scalar().empty())
    fail(field, "must be a non-empty string");
  return node_.Scalar();
}

void YamlNode::fail(const std::string& field, const std::string& rule) const
{
  const std::string ctx = context_.empty() ? "" : context_ + ": ";
  fail_at(pos(), fmt::format("{}{} {} (got {})", ctx, field, rule, describe(node_)));
}

void YamlNode::fail_message(const std::string& message) const
{
  const std::string ctx = context_.empty() ? "" : context_ + ": ";
  fail_at(pos(), ctx + message);
}

} // namespace popex
