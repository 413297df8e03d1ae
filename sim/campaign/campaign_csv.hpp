#pragma once

#include "io/csv_field.hpp"
#include "io/output_file.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace popex {


/** Fields joined by commas, each with csv_field(), and a final '\n'. */
std::string csv_line(const std::vector<std::string>& fields);

/**
 * Parses RFC 4180 CSV text into records. Accepts '\n' and "\r\n" line ends; a final line break is optional; empty
 * lines are skipped. Throws ConfigError "FILE: unterminated quoted field" on a quote left open.
 */
std::vector<std::vector<std::string>> parse_csv(const std::string& text, const std::string& file);

/**
 * The whole file as bytes: a regular file of at most 1 GiB (a campaign folder's files may have been replaced by
 * anything). Throws ConfigError naming the file if it cannot be read.
 */
std::string read_text_file(const std::filesystem::path& path);

} // namespace popex
