#pragma once

#include <string>
#include <vector>

namespace popex {

/**
 * Checks the --cfg= and --log= arguments that go to SimGrid, which aborts, hangs or answers without naming the
 * option on some bad values. --cfg must be KEY:VALUE (several may be joined with commas, as SimGrid reads them),
 * each KEY a SimGrid 3.32 option and each VALUE of its type and range (simgrid_option_problem()); --log must be
 * CATEGORY.SETTING:VALUE with a known setting, and a threshold a known level.
 * Throws ConfigError naming the option, the rule and the value.
 */
void check_simgrid_args(const std::vector<std::string>& args);

} // namespace popex
