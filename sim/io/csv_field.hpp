#pragma once

#include <string>
#include <string_view>

namespace popex {

/** A CSV field, quoted (RFC 4180) when it holds a comma, a double quote or a line break. */
inline std::string csv_field(std::string_view text)
{
  if (text.find_first_of(",\"\n\r") == std::string_view::npos)
    return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

} // namespace popex
