#include "campaign/campaign_lock.hpp"
#include "core/config_error.hpp"
#include "io/output_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace popex {

namespace {
/** The holder's record, as one line ("pid 1234 on host, since ..."), or a fallback when unreadable. */
std::string holder(int fd)
{
  char buf[256] = {};
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  std::string text(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  for (char& c : text)
    if (c == '\n' || c == '\r' || static_cast<unsigned char>(c) < 0x20)
      c = ' ';
  return text.empty() ? "a process that has not written its name yet" : text;
}
} // namespace

CampaignLock::CampaignLock(const std::filesystem::path& dir)
{
  const std::string path = (dir / "campaign.lock").string();
  // No O_CLOEXEC: forked runs keep the lock (an exec'd one would drop it, and none execs).
  fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW, 0644);
  if (fd_ < 0)
    throw OutputError(fmt::format("cannot open {} ({})", path, std::strerror(errno)));
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err   = errno;
    const std::string who = holder(fd_);
    close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw ConfigError(fmt::format("{} is in use by another popex-sim ({}); wait for it to end, or use another --out",
                                    dir.string(), who));
    throw OutputError(fmt::format("cannot lock {} ({})", path, std::strerror(err)));
  }
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  char when[32]     = {};
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
  const std::string record = fmt::format("pid {} on {}, since {}\n", getpid(), host, when);
  if (ftruncate(fd_, 0) != 0 || pwrite(fd_, record.data(), record.size(), 0) != static_cast<ssize_t>(record.size()))
    throw OutputError(fmt::format("cannot write {} ({})", path, std::strerror(errno)));
}

CampaignLock::~CampaignLock()
{
  if (fd_ >= 0)
    close(fd_); // releases the lock once the forked runs, which share it, are gone too
}

} // namespace popex
