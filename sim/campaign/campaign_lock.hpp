#pragma once

#include <filesystem>

namespace popex {

/**
 * An exclusive lock on a campaign's output folder, held for the life of the object: two `campaign` (or `merge`)
 * processes on one folder would otherwise rename each other's run folders and corrupt it. It is a flock() on
 * DIR/campaign.lock, which also records the holder (pid, host, start time) for the refusal's message. The runs,
 * forked children, share the lock: a resume cannot start while orphaned runs of a killed campaign still live.
 * A second holder is refused with ConfigError (exit 2):
 * `DIR is in use by another popex-sim (pid 1234 on host, since 2026-11-30T12:00:00Z); wait for it, or use another --out`.
 */
class CampaignLock {
public:
  explicit CampaignLock(const std::filesystem::path& dir);
  ~CampaignLock();
  CampaignLock(const CampaignLock&)            = delete;
  CampaignLock& operator=(const CampaignLock&) = delete;

private:
  int fd_ = -1;
};

} // namespace popex
