#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace popex {

/**
 * Splits a dotted scenario key `a.b.c` into its parts. Throws ConfigError
 * "key 'a..b' has an empty part (write dotted keys as a.b.c)" for an empty key or an empty part.
 */
std::vector<std::string> split_dotted_key(const std::string& dotted_key);

/**
 * Sets `root[a][b][c] = YAML::Load(value_text)` for `dotted_key` "a.b.c", creating mappings on the way (a missing or
 * null step becomes a mapping). A step into a list takes a 0-based index (`devices.1.gamma`). The value is parsed as
 * YAML: `3g` and `10` stay scalars, `{kind: poisson, rate_hz: 5}` becomes a mapping, `''` an empty string.
 *
 * Keys are not checked against the scenario schema here (the scenario loader does that); this only refuses what
 * cannot be applied: an empty part, a step through a scalar, a bad list index, or value text that is not YAML.
 * Throws ConfigError.
 */
void apply_override(YAML::Node& root, const std::string& dotted_key, const std::string& value_text);

/** apply_override() for each (dotted key, YAML text) pair, in order. */
void apply_overrides(YAML::Node& root, const std::vector<std::pair<std::string, std::string>>& overrides);

/**
 * Splits a `--set KEY=VALUE` argument at its first '='. Throws ConfigError
 * "--set must be KEY=VALUE (got 'x')" when there is no '=' or the key is empty, and split_dotted_key()'s error for a
 * bad key. The value may be empty (YAML null) and may itself contain '='.
 */
std::pair<std::string, std::string> parse_set_argument(const std::string& kv);

/**
 * A YAML value as one line of flow-style YAML that YAML::Load() reads back to the same value: quoted scalars stay
 * quoted (`'10'` stays a string), mappings and lists are written `{a: 1, b: [2, 3]}`.
 */
std::string to_flow_yaml(const YAML::Node& value);

/** Like to_flow_yaml(), in block style (several lines, ending with '\n'): for resolved files people read. */
std::string to_block_yaml(const YAML::Node& value);

namespace detail {
/** Whether YAML::Load(scalar) reads back a scalar of the same text, so that it may be written unquoted. */
bool plain_round_trips(const std::string& scalar);
/**
 * The common case of plain_round_trips() without parsing (a parse is about 26,000 instructions, and a campaign run
 * writes about a hundred scalars): letters, digits and `_ . + / -`, starting with a letter, a digit, `_` or `/` (or
 * `-`, `+`, `.` before a digit), and not a null word. True only where plain_round_trips() is.
 */
bool obviously_plain(std::string_view scalar);
} // namespace detail

} // namespace popex
