#pragma once

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace popex {

/**
 * A result could not be written (full disk, I/O error, permissions). The CLI maps it to exit code 3: the results are
 * absent, never half-written.
 */
class OutputError : public std::runtime_error {
public:
  explicit OutputError(const std::string& message) : std::runtime_error(message) {}
};

/**
 * A result file that is complete or absent: written as PATH.tmp with every write checked, then flushed, synced to
 * disk, closed and renamed to PATH by commit(). Destroyed without commit() (an error, a stopped run), it removes
 * PATH.tmp. Throws OutputError naming the file and the system's reason.
 */
class OutputFile {
public:
  explicit OutputFile(std::filesystem::path path);
  ~OutputFile();
  OutputFile(const OutputFile&)            = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view data);
  /** Flushes, syncs, closes and renames into place. */
  void commit();
  const std::filesystem::path& path() const { return path_; }

private:
  [[noreturn]] void fail(const char* doing);

  std::filesystem::path path_;
  std::filesystem::path tmp_;
  std::FILE* file_ = nullptr;
};

/** Writes `text` to `path` through an OutputFile: complete or absent. */
void write_file_atomically(const std::filesystem::path& path, std::string_view text);

/**
 * Makes `dir` (and its parents) a directory for results, or refuses with a ConfigError that names `option` (the
 * user gave the path): `--out must be a directory (got PATH, a regular file)`,
 * `--out must be a directory that can be created (Permission denied) (got PATH)`.
 */
void make_output_dir(const std::filesystem::path& dir, const std::string& option);

/** Syncs a directory, so that the renames inside it survive a crash. Throws OutputError. */
void sync_directory(const std::filesystem::path& dir);

} // namespace popex
