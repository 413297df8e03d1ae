#include "traces/sabre_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace popex {

namespace {

constexpr double min_duration_ms = 1e-3; // 1 us: shorter steps do not survive a profile's 1 ns resolution

constexpr std::array<std::string_view, 3> sabre_keys{"duration_ms", "bandwidth_kbps", "latency_ms"};

/** A cursor over the JSON text that knows its line and column. */
class JsonCursor {
public:
  explicit JsonCursor(const TraceText& text) : text_(text), data_(text.data) {}

  SourcePos pos() const { return {text_.name, line_, col_}; }
  bool at_end() const { return i_ >= data_.size(); }
  char peek() const { return data_[i_]; }

  void skip_ws()
  {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\r' || peek() == '\n'))
      advance();
  }

  void advance()
  {
    if (data_[i_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++i_;
  }

  /** What stands here, for "(got ...)": the next token-ish run of characters, or "end of file". */
  std::string here() const
  {
    if (at_end())
      return "end of file";
    std::size_t j = i_;
    if (std::string_view("[]{},:").find(data_[j]) != std::string_view::npos)
      return fmt::format("'{}'", data_[j]);
    while (j < data_.size() && std::string_view(" \t\r\n[]{},:").find(data_[j]) == std::string_view::npos)
      ++j;
    return fmt::format("'{}'", shown(data_.substr(i_, j - i_)));
  }

  [[noreturn]] void expected(const std::string& what) const
  {
    fail_at(pos(), fmt::format("{}: JSON: expected {} (got {})", text_.context, what, here()));
  }

  void expect(char c, const std::string& what)
  {
    skip_ws();
    if (at_end() || peek() != c)
      expected(what);
    advance();
  }

  /** Reads a JSON string (the cursor on its opening quote) and returns its raw text between the quotes. */
  std::string read_string()
  {
    const SourcePos start = pos();
    advance();
    std::string out;
    while (true) {
      if (at_end())
        fail_at(start, fmt::format("{}: JSON: string must end with '\"' (got end of file)", text_.context));
      const char c = peek();
      if (c == '"') {
        advance();
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        fail_at(pos(), fmt::format("{}: JSON: string must not hold a raw control character (got byte 0x{:02x})",
                                   text_.context, static_cast<unsigned char>(c)));
      if (c == '\\') {
        advance();
        if (at_end() || std::string_view("\"\\/bfnrtu").find(peek()) == std::string_view::npos)
          fail_at(pos(),
                  fmt::format("{}: JSON: escape must be one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX (got {})",
                              text_.context, here()));
        out += '\\';
      }
      out += peek();
      advance();
    }
  }

  /** Reads a JSON number in strict RFC 8259 syntax; anything else is an error naming `what`. */
  double read_number(const std::string& what)
  {
    const std::size_t b = i_;
    std::size_t j       = i_;
    const auto digits   = [&] {
      const std::size_t d = j;
      while (j < data_.size() && data_[j] >= '0' && data_[j] <= '9')
        ++j;
      return j > d;
    };
    bool ok = true;
    if (j < data_.size() && data_[j] == '-')
      ++j;
    if (j < data_.size() && data_[j] == '0')
      ++j;
    else
      ok = digits();
    if (ok && j < data_.size() && data_[j] == '.') {
      ++j;
      ok = digits();
    }
    if (ok && j < data_.size() && (data_[j] == 'e' || data_[j] == 'E')) {
      ++j;
      if (j < data_.size() && (data_[j] == '+' || data_[j] == '-'))
        ++j;
      ok = digits();
    }
    const bool ends  = j >= data_.size() || std::string_view(" \t\r\n,}]").find(data_[j]) != std::string_view::npos;
    const auto value = ok && ends ? parse_double(data_.substr(b, j - b)) : std::nullopt;
    if (!value)
      fail_at(pos(), fmt::format("{} must be a JSON number (got {})", what, here()));
    while (i_ < j)
      advance();
    return *value;
  }

private:
  const TraceText& text_;
  std::string_view data_;
  std::size_t i_ = 0;
  int line_      = 1;
  int col_       = 1;
};

} // namespace

ParsedTrace read_sabre(const TraceText& text)
{
  const std::string& ctx = text.context;
  JsonCursor in(text);
  ParsedTrace trace;
  double t_ms = 0; // summed in ms, exact for integer durations, so that step times carry no rounding drift

  in.skip_ws();
  if (in.at_end() || in.peek() != '[')
    in.expected("'[' opening the list of {duration_ms, bandwidth_kbps, latency_ms} entries");
  in.advance();
  in.skip_ws();
  bool first_entry = true;
  while (true) {
    in.skip_ws();
    if (first_entry && !in.at_end() && in.peek() == ']') {
      in.advance();
      break;
    }
    const int entry = static_cast<int>(trace.time_s.size()) + 1;
    in.skip_ws();
    if (in.at_end() || in.peek() != '{')
      in.expected(fmt::format("'{{' opening entry {}", entry));
    const SourcePos entry_pos = in.pos();
    in.advance();
    std::array<std::optional<double>, sabre_keys.size()> values;
    std::array<SourcePos, sabre_keys.size()> value_pos;
    in.skip_ws();
    if (!in.at_end() && in.peek() == '}') {
      in.advance();
    } else {
      while (true) {
        in.skip_ws();
        if (in.at_end() || in.peek() != '"')
          in.expected(fmt::format("a quoted key in entry {}", entry));
        const SourcePos key_pos = in.pos();
        const std::string key   = in.read_string();
        std::size_t k           = 0;
        while (k < sabre_keys.size() && sabre_keys[k] != key)
          ++k;
        if (k == sabre_keys.size())
          fail_at(key_pos, fmt::format("{}: entry {}: key must be one of duration_ms, bandwidth_kbps, latency_ms "
                                       "(got \"{}\")",
                                       ctx, entry, shown(key)));
        if (values[k])
          fail_at(key_pos, fmt::format("{}: entry {}: key {} must appear once (got it twice)", ctx, entry, key));
        in.expect(':', fmt::format("':' after \"{}\"", key));
        in.skip_ws();
        value_pos[k] = in.pos();
        values[k]    = in.read_number(fmt::format("{}: entry {}: {}", ctx, entry, key));
        in.skip_ws();
        if (!in.at_end() && in.peek() == ',') {
          in.advance();
          continue;
        }
        if (!in.at_end() && in.peek() == '}') {
          in.advance();
          break;
        }
        in.expected(fmt::format("',' or '}}' in entry {}", entry));
      }
    }
    for (std::size_t k = 0; k < 2; ++k)
      if (!values[k])
        fail_at(entry_pos, fmt::format("{}: entry {}: {} is required (got no such key)", ctx, entry, sabre_keys[k]));
    const double duration_ms = *values[0];
    const double kbps        = *values[1];
    if (!std::isfinite(duration_ms) || duration_ms <= 0)
      fail_at(value_pos[0],
              fmt::format("{}: entry {}: duration_ms must be a finite number > 0 (got {})", ctx, entry, duration_ms));
    if (duration_ms < min_duration_ms)
      fail_at(value_pos[0], fmt::format("{}: entry {}: duration_ms must be at least 0.001, that is 1 microsecond (got "
                                        "{})",
                                        ctx, entry, duration_ms));
    if (!std::isfinite(kbps) || kbps < 0)
      fail_at(value_pos[1],
              fmt::format("{}: entry {}: bandwidth_kbps must be a finite number >= 0 (got {})", ctx, entry, kbps));
    if (kbps * 1000.0 / 8.0 > max_trace_rate_Bps)
      fail_at(value_pos[1], fmt::format("{}: entry {}: bandwidth_kbps must be at most 8e12, that is 1e15 bytes/s "
                                        "(got {})",
                                        ctx, entry, kbps));
    const double start_s = t_ms / 1000.0;
    if (!trace.time_s.empty() && !(start_s > trace.time_s.back()))
      fail_at(value_pos[0], fmt::format("{}: entry {}: the entry must start after the previous one once durations "
                                        "are summed (got {} s after {} s)",
                                        ctx, entry, start_s, trace.time_s.back()));
    trace.time_s.push_back(start_s);
    trace.rate_Bps.push_back(kbps * 1000.0 / 8.0);
    trace.rate_pos.push_back({value_pos[1].line, value_pos[1].col});
    trace.end_pos = entry_pos;
    t_ms += duration_ms;
    if (!(t_ms <= max_trace_s * 1000.0))
      fail_at(value_pos[0], fmt::format("{}: entry {}: the trace must last at most 1e9 s (got {} s at the end of "
                                        "this entry)",
                                        ctx, entry, t_ms / 1000.0));
    first_entry = false;

    in.skip_ws();
    if (!in.at_end() && in.peek() == ',') {
      in.advance();
      continue;
    }
    if (!in.at_end() && in.peek() == ']') {
      in.advance();
      break;
    }
    in.expected(fmt::format("',' or ']' after entry {}", entry));
  }
  in.skip_ws();
  if (!in.at_end())
    in.expected("end of file after the list");
  if (trace.time_s.empty())
    fail_at({text.name, 1, 1}, fmt::format("{}: must have at least one entry (got [])", ctx));
  trace.end_s = t_ms / 1000.0;
  return trace;
}

} // namespace popex
