#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace popex {

/** A CSV field, quoted (RFC 4180) when it holds a comma, a double quote or a line break. */
std::string csv_field(const std::string& text);

/** Fields joined by commas, each with csv_field(), and a final '\n'. */
std::string csv_line(const std::vector<std::string>& fields);

/**
 * Parses RFC 4180 CSV text into records. Accepts '\n' and "\r\n" line ends; a final line break is optional; empty
 * lines are skipped. Throws ConfigError "FILE: unterminated quoted field" on a quote left open.
 */
std::vector<std::vector<std::string>> parse_csv(const std::string& text, const std::string& file);

/** The whole file as bytes; throws std::runtime_error naming the file if it cannot be read. */
std::string read_text_file(const std::filesystem::path& path);

/** Writes `text` to `path` through a temporary file and rename(), so readers see the old or the new file. */
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

} // namespace popex
