#include "campaign/campaign_csv.hpp"
#include "io/input_file.hpp"

#include "core/config_error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace popex {

std::string csv_line(const std::vector<std::string>& fields)
{
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0)
      out += ',';
    out += csv_field(fields[i]);
  }
  return out + "\n";
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text, const std::string& file)
{
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted        = false; // inside a quoted field
  bool line_has_data = false;
  auto end_record    = [&] {
    if (line_has_data) {
      record.push_back(std::move(field));
      records.push_back(std::move(record));
    }
    record.clear();
    field.clear();
    line_has_data = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted        = true;
      line_has_data = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      line_has_data = true;
    } else if (c == '\n') {
      end_record();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // "\r\n": the '\n' ends the record.
    } else {
      field += c;
      line_has_data = true;
    }
  }
  if (quoted)
    throw ConfigError(fmt::format("{}: unterminated quoted field", file));
  end_record();
  return records;
}

std::string read_text_file(const std::filesystem::path& path)
{
  return read_input_file(path.string(), "result", std::uintmax_t{1} << 30);
}

} // namespace popex
