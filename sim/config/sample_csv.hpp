#pragma once

#include "core/exit_model.hpp"

#include <memory>
#include <string>

namespace popex {

/**
 * Reads per-sample exit data: one row per image with columns conf_branch_k (max-softmax confidence in [0,1]) and
 * correct_branch_k (0/1) for k = 1..K+1, the last being the backbone's final exit. Other columns are ignored.
 * Throws ConfigError with file:line:col on any bad cell, or if the file has not `expected_exits` exits.
 */
std::shared_ptr<const SampleSet> load_sample_csv(const std::string& path, std::size_t expected_exits);

} // namespace popex
