#include "core/workload.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

namespace popex {

const ExitModel* Workload::variant(const std::string& name) const
{
  if (variants.empty()) {
    if (name.empty())
      return nullptr;
    throw ConfigError(fmt::format("variant: DNN '{}' has no exit tables (got '{}')", dnn.name(), name));
  }
  if (name.empty())
    return variants.front().second.get();
  for (const auto& [n, model] : variants)
    if (n == name)
      return model.get();
  throw ConfigError(fmt::format("variant: unknown exit variant '{}' of DNN '{}' (valid: {})", name, dnn.name(),
                                variant_list()));
}

std::string Workload::variant_list() const
{
  std::string out;
  for (const auto& v : variants)
    out += (out.empty() ? "" : ", ") + v.first;
  return out;
}

} // namespace popex
