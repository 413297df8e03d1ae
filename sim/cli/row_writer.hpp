#pragma once

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace popex {

/**
 * Streams `solve`'s rows as csv, json or an aligned table. A row is the point's constant cells (set once per sweep
 * point with set_prefix()), then the split's own cells, added one by one (text(), number(), integer(), empty()).
 * csv goes straight into one buffer: the constant cells are joined once per point, numbers are formatted in place
 * (shortest round-trip, as fmt's "{}"). json and table keep a row's cells, then format them.
 */
class RowWriter {
public:
  enum class Format { CSV, JSON, TABLE };

  /** `is_text[i]`: column i is text (quoted in json, not rounded in the table). */
  RowWriter(std::FILE* out, Format format, std::vector<std::string> columns, std::vector<bool> is_text);
  ~RowWriter();
  RowWriter(const RowWriter&)            = delete;
  RowWriter& operator=(const RowWriter&) = delete;

  /** The cells every row of the next point starts with, in column order. */
  void set_prefix(const std::vector<std::string_view>& cells);
  void text(std::string_view v);
  void number(double v);
  void integer(std::size_t v);
  void empty();
  /** Ends the row started by the first cell after the prefix. */
  void end_row();
  /** Closes the json list and flushes. Throws OutputError if stdout cannot be written (a full disk, a closed pipe). */
  void finish();

private:
  void cell(std::string_view v);
  template <typename T>
  void numeric(T v);
  void flush();
  std::size_t width(std::size_t i) const;

  std::FILE* out_;
  Format format_;
  std::vector<std::string> columns_;
  std::vector<bool> is_text_;
  fmt::memory_buffer buf_;
  std::string csv_prefix_;           // csv: the prefix cells joined, with a trailing comma
  std::vector<std::string> prefix_;  // json, table
  std::vector<std::string> cells_;   // json, table: this row's cells after the prefix
  std::size_t rows_ = 0;
  bool in_row_      = false;
};

} // namespace popex
