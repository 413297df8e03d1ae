#include "config/overrides.hpp"

#include "config/yaml_node.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <charconv>
#include <string_view>

namespace popex {

namespace detail {
bool plain_round_trips(const std::string& scalar)
{
  try {
    const YAML::Node back = YAML::Load(scalar);
    return back.IsScalar() && back.Scalar() == scalar;
  } catch (const YAML::Exception&) {
    return false;
  }
}

bool obviously_plain(std::string_view scalar)
{
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto word  = [&digit](char c) {
    return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (scalar.empty() || scalar == "null" || scalar == "Null" || scalar == "NULL")
    return false;
  for (const char c : scalar)
    if (!word(c) && c != '.' && c != '+' && c != '/' && c != '-')
      return false;
  // '-', '+' and '.' start a plain scalar only before a digit ("-5", ".5"): not "-", "---" or "...".
  return word(scalar[0]) || scalar[0] == '/' || (scalar.size() > 1 && digit(scalar[1]));
}
} // namespace detail

namespace {

void emit(YAML::Emitter& out, const YAML::Node& node)
{
  switch (node.Type()) {
  case YAML::NodeType::Map:
    out << YAML::BeginMap;
    for (const auto& kv : node) {
      out << YAML::Key;
      emit(out, kv.first);
      out << YAML::Value;
      emit(out, kv.second);
    }
    out << YAML::EndMap;
    break;
  case YAML::NodeType::Sequence:
    out << YAML::BeginSeq;
    for (const auto& child : node)
      emit(out, child);
    out << YAML::EndSeq;
    break;
  case YAML::NodeType::Scalar:
    // yaml-cpp tags a quoted scalar "!"; plain output would turn '10' into the number 10.
    // A plain scalar that would not read back as itself ("---", "--- x"): quote it.
    if (node.Tag() == "!" || !(detail::obviously_plain(node.Scalar()) || detail::plain_round_trips(node.Scalar())))
      out << YAML::DoubleQuoted << node.Scalar();
    else if (!node.Tag().empty() && node.Tag() != "?")
      out << YAML::VerbatimTag(node.Tag()) << node.Scalar();
    else
      out << node.Scalar();
    break;
  case YAML::NodeType::Null:
  case YAML::NodeType::Undefined:
    out << YAML::Null;
    break;
  }
}

std::size_t parse_index(const std::string& part, std::size_t size, const std::string& dotted_key)
{
  std::size_t index    = 0;
  const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
  if (ec != std::errc() || end != part.data() + part.size() || index >= size)
    throw ConfigError(fmt::format("key '{}': '{}' must be a list index in 0..{} (got {})", dotted_key, part,
                                  size == 0 ? 0 : size - 1, part));
  return index;
}
} // namespace

std::vector<std::string> split_dotted_key(const std::string& dotted_key)
{
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = dotted_key.find('.', start);
    parts.push_back(dotted_key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (parts.back().empty())
      throw ConfigError(fmt::format("key '{}' has an empty part (write dotted keys as a.b.c)", dotted_key));
    if (dot == std::string::npos)
      return parts;
    start = dot + 1;
  }
}

void apply_override(YAML::Node& root, const std::string& dotted_key, const std::string& value_text)
{
  const std::vector<std::string> parts = split_dotted_key(dotted_key);
  YAML::Node value;
  if (value_text.find('*') != std::string::npos) {
    try {
      reject_yaml_aliases(value_text, "", "value");
    } catch (const ConfigError&) {
      throw ConfigError(fmt::format("key '{}': value must not use YAML aliases (*name) (got {})", dotted_key,
                                    value_text));
    }
  }
  try {
    value = YAML::Load(value_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("key '{}': value is not valid YAML: {} (got {})", dotted_key, e.msg, value_text));
  }
  if (!root.IsDefined() || root.IsNull())
    root = YAML::Node(YAML::NodeType::Map);

  // Node assignment writes through to the tree, so walking uses reset() to rebind `cur` instead.
  YAML::Node cur;
  cur.reset(root);
  std::string walked;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    const std::string& part = parts[i];
    walked += (walked.empty() ? "" : ".") + part;
    YAML::Node next;
    if (cur.IsSequence()) {
      next.reset(cur[parse_index(part, cur.size(), dotted_key)]);
    } else {
      if (!cur[part].IsDefined() || cur[part].IsNull())
        cur[part] = YAML::Node(YAML::NodeType::Map);
      next.reset(cur[part]);
    }
    if (next.IsScalar())
      throw ConfigError(
          fmt::format("key '{}': '{}' is a value ({}), not a mapping", dotted_key, walked, next.Scalar()));
    cur.reset(next);
  }
  if (cur.IsSequence())
    cur[parse_index(parts.back(), cur.size(), dotted_key)] = value;
  else if (value.IsNull())
    cur.remove(parts.back()); // KEY=null (or ~): as if the file did not give it, so its default applies
  else
    cur[parts.back()] = value;
}

void apply_overrides(YAML::Node& root, const std::vector<std::pair<std::string, std::string>>& overrides)
{
  for (const auto& [key, text] : overrides)
    apply_override(root, key, text);
}

std::pair<std::string, std::string> parse_set_argument(const std::string& kv)
{
  const std::size_t eq = kv.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(fmt::format("--set must be KEY=VALUE (got '{}')", kv));
  std::pair<std::string, std::string> out{kv.substr(0, eq), kv.substr(eq + 1)};
  split_dotted_key(out.first);
  return out;
}

std::string to_flow_yaml(const YAML::Node& value)
{
  YAML::Emitter out;
  out.SetMapFormat(YAML::Flow);
  out.SetSeqFormat(YAML::Flow);
  emit(out, value);
  return out.c_str();
}

std::string to_block_yaml(const YAML::Node& value)
{
  YAML::Emitter out;
  emit(out, value);
  return std::string(out.c_str()) + "\n";
}

} // namespace popex
