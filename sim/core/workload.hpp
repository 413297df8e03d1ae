#pragma once

#include "core/dnn.hpp"
#include "core/edge_profile.hpp"
#include "core/exit_model.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace popex {

/** A DNN and its exit models: the default table set and its named variants (blur, noise, calibrated...). */
struct Workload {
  std::string file;                        //!< where it was loaded from ("" if built in code)
  Dnn dnn;                                 //!< structure and profile
  /** The DNN file's measured edge times (`edge_time_s` on every layer and branch), or nullptr. */
  std::shared_ptr<const EdgeProfile> edge_profile;
  std::optional<double> default_threshold; //!< threshold used when the user gives none
  /** Named exit models; the first one is the default. Empty for a DNN without branches. */
  std::vector<std::pair<std::string, std::shared_ptr<const ExitModel>>> variants;
  /**
   * The trained model each variant's tables come from (its `model` key; "" = the top level's): variants of one model
   * are the same network under other image conditions, those of another are a different network.
   */
  std::map<std::string, std::string> variant_model;

  /** The exit model named `name` ("" = default). Throws ConfigError listing the valid names. */
  const ExitModel* variant(const std::string& name) const;
  /** Name of the default variant, or "" when there is none. */
  std::string default_variant() const { return variants.empty() ? std::string{} : variants.front().first; }
  /** "a, b, c". */
  std::string variant_list() const;
};

} // namespace popex
