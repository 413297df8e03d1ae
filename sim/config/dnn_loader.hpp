#pragma once

#include "core/workload.hpp"

#include <memory>
#include <string>

namespace popex {

/**
 * Loads and validates a DNN workload file (format: docs/workloads.md). Every error is a ConfigError naming
 * file:line:col, the field, the rule and the value.
 */
Workload load_workload(const std::string& path);

/**
 * Loads an edge-profile file (docs/workloads.md, "Edge profiles"): the measured edge time of every layer and branch
 * of `dnn`, by name. Its `dnn` key must name `dnn`.
 */
std::shared_ptr<const EdgeProfile> load_edge_profile(const std::string& path, const Dnn& dnn);

/** The same, from YAML text; `file` names it in messages and anchors relative paths. */
Workload load_workload_string(const std::string& text, const std::string& file);

} // namespace popex
