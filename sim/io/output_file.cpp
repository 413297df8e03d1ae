#include "io/output_file.hpp"
#include "core/config_error.hpp"
#include "io/input_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace popex {

namespace {
/**
 * Fault injection for the tests of "complete or absent" (tests/cli/kill_between_writes.sh): with
 * POPEX_FAULT_KILL_AFTER=NAME in the environment, the process SIGKILLs itself right after NAME is renamed into place,
 * the worst moment for the files that follow it.
 */
void fault_point(const std::filesystem::path& committed)
{
  static const char* const kill_after = std::getenv("POPEX_FAULT_KILL_AFTER");
  if (kill_after != nullptr && committed.filename() == kill_after)
    raise(SIGKILL);
}
} // namespace

OutputFile::OutputFile(std::filesystem::path path) : path_(std::move(path)), tmp_(path_.string() + ".tmp")
{
  file_ = std::fopen(tmp_.c_str(), "wb");
  if (file_ == nullptr)
    throw OutputError(fmt::format("cannot write {} ({})", tmp_.string(), std::strerror(errno)));
}

OutputFile::~OutputFile()
{
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(tmp_.c_str());
  }
}

void OutputFile::fail(const char* doing)
{
  const int err = errno;
  std::fclose(file_);
  file_ = nullptr;
  std::remove(tmp_.c_str());
  throw OutputError(fmt::format("cannot {} {} ({})", doing, tmp_.string(), std::strerror(err != 0 ? err : EIO)));
}

void OutputFile::write(std::string_view data)
{
  if (file_ == nullptr)
    throw OutputError(fmt::format("cannot write {} (already closed)", tmp_.string()));
  errno = 0;
  if (!data.empty() && std::fwrite(data.data(), 1, data.size(), file_) != data.size())
    fail("write");
}

void OutputFile::commit()
{
  if (file_ == nullptr)
    throw OutputError(fmt::format("cannot write {} (already closed)", tmp_.string()));
  errno = 0;
  if (std::fflush(file_) != 0)
    fail("write");
  // A full disk may report itself only here, when the kernel allocates the blocks.
  if (fsync(fileno(file_)) != 0)
    fail("sync");
  std::FILE* f = file_;
  file_        = nullptr;
  if (std::fclose(f) != 0) {
    const int err = errno;
    std::remove(tmp_.c_str());
    throw OutputError(fmt::format("cannot close {} ({})", tmp_.string(), std::strerror(err)));
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp_.c_str());
    throw OutputError(fmt::format("cannot rename {} to {} ({})", tmp_.string(), path_.filename().string(),
                                  std::strerror(err)));
  }
  fault_point(path_);
}


void write_file_atomically(const std::filesystem::path& path, std::string_view text)
{
  OutputFile f(path);
  f.write(text);
  f.commit();
}

void make_output_dir(const std::filesystem::path& dir, const std::string& option)
{
  std::error_code ec;
  const auto status = std::filesystem::status(dir, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_directory(status))
    throw ConfigError(fmt::format("{} must be a directory (got {}, {})", option, dir.string(),
                                  describe_file_type(dir.string())));
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw ConfigError(fmt::format("{} must be a directory that can be created ({}) (got {})", option, ec.message(),
                                  dir.string()));
}

void sync_directory(const std::filesystem::path& dir)
{
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    throw OutputError(fmt::format("cannot sync {} ({})", dir.string(), std::strerror(errno)));
  const int rc  = fsync(fd);
  const int err = errno;
  close(fd);
  if (rc != 0)
    throw OutputError(fmt::format("cannot sync {} ({})", dir.string(), std::strerror(err)));
}

} // namespace popex
