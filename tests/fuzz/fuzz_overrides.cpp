// Fuzzes `--set KEY=VALUE` parsing and apply_override() on a YAML tree, then prints the tree as the resolved
// scenario and the campaign's flow values are printed, and reads it back: it must be the same tree (checked for
// UTF-8 text only: yaml-cpp's emitter replaces invalid UTF-8).
//
// Input: `--set` arguments, one per line (LF or CR-LF), then an empty line, then the YAML document they apply to (a
// mapping; an empty document stands for {}).
#include "fuzz_support.hpp"

#include "config/overrides.hpp"
#include "config/yaml_node.hpp"
#include "core/config_error.hpp"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

namespace {

/** Same structure and scalar text (a plain and a quoted scalar of the same text are the same string here). */
bool same_tree(const YAML::Node& a, const YAML::Node& b)
{
  if (a.Type() != b.Type())
    return false;
  switch (a.Type()) {
  case YAML::NodeType::Scalar:
    return a.Scalar() == b.Scalar();
  case YAML::NodeType::Sequence:
  case YAML::NodeType::Map: {
    if (a.size() != b.size())
      return false;
    auto i = a.begin();
    auto j = b.begin();
    for (; i != a.end(); ++i, ++j) {
      if (a.IsSequence() ? !same_tree(*i, *j) : !same_tree(i->first, j->first) || !same_tree(i->second, j->second))
        return false;
    }
    return true;
  }
  case YAML::NodeType::Null:
  case YAML::NodeType::Undefined:
    return true;
  }
  return false;
}

void check_reads_back(const YAML::Node& tree, const std::string& text, const std::string& what)
{
  YAML::Node back;
  try {
    back = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    POPEX_FUZZ_CHECK(false, fmt::format("{} does not load ({}):\n{}", what, e.msg, text));
  }
  POPEX_FUZZ_CHECK(same_tree(tree, back), fmt::format("{} reads back as another tree:\n{}", what, text));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
  const std::string text = popex_fuzz::text_of(data, size);
  const auto blank       = text.find("\n\n");
  const std::string sets = text.substr(0, blank);
  const std::string doc  = blank == std::string::npos ? std::string() : text.substr(blank + 2);

  YAML::Node root(YAML::NodeType::Map);
  if (doc.find_first_not_of(" \t\r\n") != std::string::npos) {
    try {
      root = popex::YamlNode::load_string(doc, "fuzz.yaml", "scenario").raw();
    } catch (const popex::ConfigError&) {
      return 0;
    }
  }
  std::size_t start = 0;
  while (start <= sets.size()) {
    const auto end   = sets.find('\n', start);
    std::string line = sets.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!line.empty() && line.back() == '\r')
      line.pop_back(); // CR-LF lines; is_clean_text() refuses a lone CR
    start = end == std::string::npos ? sets.size() + 1 : end + 1;
    try {
      const auto [key, value] = popex::parse_set_argument(line);
      popex::apply_override(root, key, value);
    } catch (const popex::ConfigError&) {
    }
  }
  POPEX_FUZZ_CHECK(root.IsMap(), "the root is no longer a mapping");
  if (!popex_fuzz::is_clean_text(text))
    return 0;
  check_reads_back(root, popex::to_flow_yaml(root), "to_flow_yaml");
  check_reads_back(root, popex::to_block_yaml(root), "to_block_yaml");
  return 0;
}
