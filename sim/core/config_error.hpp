#pragma once

#include <stdexcept>
#include <string>

namespace popex {

/**
 * Error in user input: a file, a command-line value or a scenario key.
 *
 * The message is one line: `FILE:LINE:COL: CONTEXT: FIELD must RULE (got VALUE)`, or a prefix of it when no
 * position applies. The CLI maps it to exit code 2.
 */
class ConfigError : public std::runtime_error {
public:
  explicit ConfigError(const std::string& message) : std::runtime_error(message) {}
};

/** Source position of a value, 1-based; line 0 means "no position". */
struct SourcePos {
  std::string file; //!< path as the user gave it
  int line = 0;     //!< 1-based line, 0 if unknown
  int col  = 0;     //!< 1-based column, 0 if unknown

  /** "file:line:col" ("file" alone when no line is known, "" when there is no file). */
  std::string str() const
  {
    if (file.empty())
      return {};
    if (line <= 0)
      return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(col);
  }
};

/** The text up to the first newline: error output stays one line even when a library's message is not. */
inline std::string first_line(const std::string& text)
{
  const auto nl = text.find('\n');
  return nl == std::string::npos ? text : text.substr(0, nl);
}

/** Throws ConfigError with "POS: message" (or just "message" when pos has no file). */
[[noreturn]] inline void fail_at(const SourcePos& pos, const std::string& message)
{
  const std::string where = pos.str();
  throw ConfigError(where.empty() ? message : where + ": " + message);
}

} // namespace popex
