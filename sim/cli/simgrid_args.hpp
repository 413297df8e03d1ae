#pragma once

#include <string>
#include <vector>

namespace popex {

/**
 * Checks the --cfg= and --log= arguments that go to SimGrid, which aborts on some bad values instead of reporting
 * them: --cfg must be KEY:VALUE, and a model key (network/model, cpu/model, host/model, disk/model) must name one of
 * its models; --log must be CATEGORY.SETTING:VALUE with a known setting, and a threshold a known level.
 * Throws ConfigError naming the argument.
 */
void check_simgrid_args(const std::vector<std::string>& args);

} // namespace popex
