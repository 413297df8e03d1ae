#include "io/input_file.hpp"
#include "core/config_error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace popex {

namespace {
std::string type_name(mode_t mode)
{
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a regular file";
}

/** Closes a descriptor on every path out. */
class Fd {
public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd()
  {
    if (fd_ >= 0)
      close(fd_);
  }
  Fd(const Fd&)            = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

private:
  int fd_;
};
} // namespace

std::string describe_file_type(const std::string& path)
{
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return std::strerror(errno);
  return S_ISREG(st.st_mode) ? "a regular file" : type_name(st.st_mode);
}

std::string read_input_file(const std::string& path, const std::string& what, std::uintmax_t max_bytes)
{
  // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever, before fstat could refuse it.
  const Fd fd(open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0)
    throw ConfigError(fmt::format("{}: cannot open {} file ({})", path, what, std::strerror(errno)));
  struct stat st {};
  if (fstat(fd.get(), &st) != 0)
    throw ConfigError(fmt::format("{}: cannot open {} file ({})", path, what, std::strerror(errno)));
  if (!S_ISREG(st.st_mode))
    throw ConfigError(fmt::format("{}: {} file must be a regular file (got {})", path, what, type_name(st.st_mode)));
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes)
    throw ConfigError(fmt::format("{}: {} file must be at most {} bytes (got {} bytes)", path, what, max_bytes,
                                  static_cast<std::uintmax_t>(st.st_size)));
  std::string data;
  char buffer[1 << 16];
  while (data.size() <= max_bytes) {
    const ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      throw ConfigError(fmt::format("{}: cannot read {} file ({})", path, what, std::strerror(errno)));
    if (n == 0)
      break;
    data.append(buffer, static_cast<std::size_t>(n));
  }
  if (data.size() > max_bytes) // it grew while being read
    throw ConfigError(fmt::format("{}: {} file must be at most {} bytes (got more)", path, what, max_bytes));
  return data;
}

} // namespace popex
