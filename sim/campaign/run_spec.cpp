#include "campaign/run_spec.hpp"

#include <fmt/format.h>

namespace popex {

std::string format_run_id(std::size_t index, std::size_t total)
{
  std::size_t width = 1;
  for (std::size_t last = total > 0 ? total - 1 : 0; last >= 10; last /= 10)
    ++width;
  return fmt::format("r{:0{}}", index, width);
}

std::vector<RunSpec> expand_runs(const Campaign& campaign)
{
  const std::size_t points = campaign.point_count();
  const std::size_t total  = points * campaign.seeds.size();
  std::vector<RunSpec> runs;
  runs.reserve(total);
  // Mixed-radix counter over the groups, the last digit fastest, like nested loops in file order.
  std::vector<std::size_t> digit(campaign.groups.size(), 0);
  for (std::size_t point = 0; point < points; ++point) {
    RunSpec base;
    base.point_index   = point;
    base.scenario_file = campaign.scenario_file;
    base.mode          = campaign.mode;
    base.overrides     = campaign.set;
    for (std::size_t g = 0; g < campaign.groups.size(); ++g)
      for (const auto& axis : campaign.groups[g].axes) {
        base.axes.emplace_back(axis.key, axis.values[digit[g]].csv);
        base.overrides.emplace_back(axis.key, axis.values[digit[g]].yaml);
      }
    for (const long long seed : campaign.seeds) {
      RunSpec run = base;
      run.index   = runs.size();
      run.run_id  = format_run_id(run.index, total);
      run.seed    = seed;
      runs.push_back(std::move(run));
    }
    for (std::size_t g = campaign.groups.size(); g-- > 0;) {
      if (++digit[g] < campaign.groups[g].size())
        break;
      digit[g] = 0;
    }
  }
  return runs;
}

} // namespace popex
