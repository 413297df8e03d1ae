#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace popex {

/** Why a SimGrid option would stop or mislead a run: "KEY must RULE", and the text to quote after "got". */
struct OptionProblem {
  std::string message; //!< e.g. "surf/precision must be a number within (0, 0.001] seconds"
  std::string got;     //!< the value, or the key when the key itself is wrong
};

/**
 * Checks one SimGrid 3.32 configuration option as `--cfg=KEY:VALUE` or a platform's
 * `<config><prop id="KEY" value="VALUE"/></config>` would set it, before SimGrid sees it: the key must be one of the
 * 98 options SimGrid 3.32 (Debian) declares, the value must have the option's type as SimGrid parses it (boolean
 * yes/on/true/1/no/off/false/0, integer with strtol base 0, double with strtod, whole text), and must keep SimGrid
 * from aborting, hanging or silently changing the model: precisions > 0, context stack sizes and thread counts
 * that work, model names SimGrid knows and popex-sim can run. A few options are refused with their reason (the
 * chaos monkey, DVFS, the model checker).
 *
 * Returns nullopt when the option is fine.
 */
std::optional<OptionProblem> simgrid_option_problem(std::string_view key, std::string_view value);

/**
 * Splits the text after `--cfg=` the way SimGrid does (on blanks and commas: `--cfg=a:1,b:2` sets two options),
 * dropping empty pieces.
 */
std::vector<std::string_view> split_simgrid_options(std::string_view text);

} // namespace popex
