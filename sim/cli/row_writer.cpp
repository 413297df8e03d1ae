#include "cli/row_writer.hpp"
#include "io/output_file.hpp"

#include <fmt/compile.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace popex {

RowWriter::RowWriter(std::FILE* out, Format format, std::vector<std::string> columns, std::vector<bool> is_text)
    : out_(out), format_(format), columns_(std::move(columns)), is_text_(std::move(is_text))
{
  if (format_ == Format::CSV) {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
      if (i > 0)
        buf_.push_back(',');
      buf_.append(std::string_view(columns_[i]));
    }
    buf_.push_back('\n');
  } else if (format_ == Format::JSON) {
    buf_.push_back('[');
  } else {
    for (std::size_t i = 0; i < columns_.size(); ++i)
      fmt::format_to(fmt::appender(buf_), "{:>{}} ", columns_[i], width(i));
    buf_.push_back('\n');
  }
}

RowWriter::~RowWriter()
{
  // Rows already formatted still go out when an error ends the sweep early (finish() reports write errors).
  std::fwrite(buf_.data(), 1, buf_.size(), out_);
}

std::size_t RowWriter::width(std::size_t i) const
{
  return std::max<std::size_t>(columns_[i].size(), 8);
}

void RowWriter::set_prefix(const std::vector<std::string_view>& cells)
{
  if (format_ == Format::CSV) {
    csv_prefix_.clear();
    for (const auto& c : cells) {
      csv_prefix_ += c;
      csv_prefix_ += ',';
    }
  } else {
    prefix_.assign(cells.begin(), cells.end());
  }
}

void RowWriter::cell(std::string_view v)
{
  if (format_ == Format::CSV) {
    if (!in_row_)
      buf_.append(std::string_view(csv_prefix_));
    else
      buf_.push_back(',');
    buf_.append(v);
  } else {
    cells_.emplace_back(v);
  }
  in_row_ = true;
}

void RowWriter::text(std::string_view v)
{
  cell(v);
}

template <typename T>
void RowWriter::numeric(T v)
{
  if (format_ != Format::CSV) {
    cell(fmt::format("{}", v));
    return;
  }
  if (!in_row_)
    buf_.append(std::string_view(csv_prefix_));
  else
    buf_.push_back(',');
  fmt::format_to(fmt::appender(buf_), FMT_COMPILE("{}"), v); // straight into the buffer, no string per cell
  in_row_ = true;
}

void RowWriter::number(double v)
{
  numeric(v);
}

void RowWriter::integer(std::size_t v)
{
  numeric(v);
}

void RowWriter::empty()
{
  cell({});
}

void RowWriter::end_row()
{
  if (format_ == Format::CSV) {
    buf_.push_back('\n');
  } else {
    std::vector<std::string> all = prefix_;
    all.insert(all.end(), cells_.begin(), cells_.end());
    cells_.clear();
    if (format_ == Format::JSON) {
      fmt::format_to(fmt::appender(buf_), "{}\n  {{", rows_ == 0 ? "" : ",");
      for (std::size_t i = 0; i < all.size(); ++i) {
        const std::string v = all[i].empty() ? "null" : is_text_[i] ? fmt::format("\"{}\"", all[i]) : all[i];
        fmt::format_to(fmt::appender(buf_), "{}\"{}\": {}", i == 0 ? "" : ", ", columns_[i], v);
      }
      buf_.push_back('}');
    } else {
      // Humans read 6 significant digits; csv and json keep every digit.
      for (std::size_t i = 0; i < all.size(); ++i) {
        std::string c = all[i].empty() ? "-" : all[i];
        if (!is_text_[i] && !all[i].empty())
          c = fmt::format("{:.6g}", std::stod(all[i]));
        fmt::format_to(fmt::appender(buf_), "{:>{}} ", c, width(i));
      }
      buf_.push_back('\n');
    }
  }
  ++rows_;
  in_row_ = false;
  if (buf_.size() > (1 << 16))
    flush();
}

void RowWriter::flush()
{
  if (std::fwrite(buf_.data(), 1, buf_.size(), out_) != buf_.size()) {
    const int err = errno;
    buf_.clear();
    throw OutputError(fmt::format("cannot write the rows ({})", std::strerror(err != 0 ? err : EIO)));
  }
  buf_.clear();
}

void RowWriter::finish()
{
  if (format_ == Format::JSON)
    buf_.append(std::string_view(rows_ == 0 ? "]\n" : "\n]\n"));
  flush();
  if (std::fflush(out_) != 0)
    throw OutputError(fmt::format("cannot write the rows ({})", std::strerror(errno)));
}

} // namespace popex
