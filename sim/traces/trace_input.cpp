#include "traces/trace_input.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>

namespace popex {

std::string read_trace_file(const std::string& path, const std::string& context)
{
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::directory)
    fail_at({path}, fmt::format("{}: cannot open the file (it is a directory)", context));
  if (!ec && fs::exists(status) && !fs::is_regular_file(status))
    fail_at({path}, fmt::format("{}: cannot open the file (it is not a regular file)", context));
  std::ifstream in(path, std::ios::binary);
  if (ec || !in)
    fail_at({path}, fmt::format("{}: cannot open the file", context));
  const std::uintmax_t size = fs::file_size(path, ec);
  if (!ec && size > max_trace_file_bytes)
    fail_at({path}, fmt::format("{}: file must be at most {} bytes, 512 MiB (got {} bytes)", context,
                                max_trace_file_bytes, size));
  // Read at most one byte past the limit, in case the file grows while it is read.
  std::string data;
  char buffer[1 << 16];
  while (in && data.size() <= max_trace_file_bytes) {
    in.read(buffer, sizeof buffer);
    data.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad())
    fail_at({path}, fmt::format("{}: cannot read the file", context));
  if (data.size() > max_trace_file_bytes)
    fail_at({path},
            fmt::format("{}: file must be at most {} bytes, 512 MiB (got more)", context, max_trace_file_bytes));
  return data;
}

TraceText make_trace_text(std::string data, const std::string& name, const std::string& context)
{
  if (data.empty())
    fail_at({name, 1, 1}, fmt::format("{}: file must not be empty (got 0 bytes)", context));
  if (data.rfind("\xEF\xBB\xBF", 0) == 0)
    data.erase(0, 3);
  int line = 1;
  int col  = 1;
  for (const char c : data) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '\n') {
      ++line;
      col = 1;
      continue;
    }
    if ((byte < 0x20 && byte != '\t' && byte != '\r' && byte != '\f' && byte != '\v') || byte == 0x7F)
      fail_at({name, line, col}, fmt::format("{}: file must be text (got byte 0x{:02x})", context, byte));
    ++col;
  }
  return {name, context, std::move(data)};
}

std::vector<Token> split_tokens(std::string_view line)
{
  std::vector<Token> tokens;
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; };
  std::size_t i    = 0;
  while (i < line.size()) {
    while (i < line.size() && blank(line[i]))
      ++i;
    const std::size_t b = i;
    while (i < line.size() && !blank(line[i]))
      ++i;
    if (i > b)
      tokens.push_back({line.substr(b, i - b), static_cast<int>(b + 1)});
  }
  return tokens;
}

std::optional<double> parse_double(std::string_view token)
{
  if (token.empty())
    return std::nullopt;
  // from_chars refuses a leading '+', which strtod and SimGrid's sscanf accept.
  if (token.front() == '+') {
    token.remove_prefix(1);
    if (token.empty() || token.front() == '+' || token.front() == '-')
      return std::nullopt;
  }
  double value         = 0;
  const char* last     = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), last, value, std::chars_format::general);
  if (ec != std::errc() || ptr != last)
    return std::nullopt;
  return value;
}

std::string shown(std::string_view token)
{
  constexpr std::size_t max_chars = 40;
  if (token.size() <= max_chars)
    return std::string(token);
  return std::string(token.substr(0, max_chars)) + "...";
}

} // namespace popex
