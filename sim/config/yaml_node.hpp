#pragma once

#include "core/config_error.hpp"

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <memory>
#include <utility>
#include <optional>
#include <string>
#include <vector>

namespace popex {

/**
 * A YAML node with its file and a human context ("layer 'conv3'"), so that every error names the place, the
 * field, the rule and the value: `x.yaml:14:7: layer 'conv3': cloud_time_s must be > 0 (got -2e-3)`.
 */
class YamlNode {
public:
  YamlNode(std::string file, YAML::Node node, std::string context = {});

  /** Parses a file whose top level must be a mapping. Syntax errors, empty files and garbage become ConfigError. */
  static YamlNode load_file(const std::string& path, const std::string& what);
  /** Parses a string (for tests and --set values). */
  static YamlNode load_string(const std::string& text, const std::string& file, const std::string& what);

  const YAML::Node& raw() const { return node_; }
  const std::string& file() const { return file_; }
  const std::string& context() const { return context_; }
  SourcePos pos() const;
  bool is_map() const { return node_.IsMap(); }
  bool is_sequence() const { return node_.IsSequence(); }
  bool is_scalar() const { return node_.IsScalar(); }
  bool has(const std::string& key) const;
  /** The value of `key` (which must exist), with this node's context. */
  YamlNode at(const std::string& key) const;
  std::optional<YamlNode> find(const std::string& key) const;
  /** Elements of a sequence; `element_context(i)` names element i. */
  std::vector<YamlNode> elements(const std::string& element_context) const;
  /** Keys of a mapping, in file order. */
  std::vector<std::string> keys() const;

  /** Requires a mapping whose keys are all in `allowed` (duplicates refused), and the `required` ones present. */
  void expect_map(std::initializer_list<const char*> allowed, std::initializer_list<const char*> required = {}) const;
  void expect_map(const std::vector<std::string>& allowed, const std::vector<std::string>& required) const;
  void expect_sequence(const std::string& field) const;

  /** The scalar as written, or a short description of a non-scalar. */
  std::string text() const;
  double as_number(const std::string& field) const;     //!< finite or not; NaN/inf checks are the caller's
  double as_finite(const std::string& field) const;     //!< refuses NaN and infinities
  long long as_integer(const std::string& field) const; //!< refuses fractions
  bool as_bool(const std::string& field) const;
  std::string as_string(const std::string& field) const;

  /** Throws ConfigError "POS: CONTEXT: FIELD RULE (got TEXT)" at this node. */
  [[noreturn]] void fail(const std::string& field, const std::string& rule) const;
  /** Throws ConfigError "POS: CONTEXT: MESSAGE" at this node. */
  [[noreturn]] void fail_message(const std::string& message) const;

  /** Context for a child: "layer 'conv1'" etc. */
  YamlNode with_context(std::string context) const
  {
    YamlNode n = *this;
    n.context_ = std::move(context);
    return n;
  }

  /** Dotted key of this node from the root ("uplink.trace", "devices.2.gamma"). */
  const std::string& path() const { return path_; }
  /**
   * Marks the values that came from `--set KEY=VALUE` (or a campaign axis): errors in them name the override
   * instead of a file position. Applies to this node and the children it hands out.
   */
  void set_overrides(std::shared_ptr<const std::vector<std::pair<std::string, std::string>>> overrides)
  {
    overrides_ = std::move(overrides);
  }
  /** The override (key, value) this node's value comes from, if any. */
  const std::pair<std::string, std::string>* override_origin() const;

private:
  YamlNode child(YAML::Node node, const std::string& key) const;

  std::string file_;
  YAML::Node node_;
  std::string context_;
  std::string path_;
  std::shared_ptr<const std::vector<std::pair<std::string, std::string>>> overrides_;
};

/** "a, b, c". */
std::string join_names(const std::vector<std::string>& names);

/**
 * Refuses YAML aliases (`*x`): a self-referencing one never ends, and nested ones expand exponentially ("billion
 * laughs"). Throws ConfigError at the alias's position. Syntax errors are left to the loader.
 */
void reject_yaml_aliases(const std::string& text, const std::string& file, const std::string& what);

} // namespace popex
