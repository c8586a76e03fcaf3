// Waiting for log files to change: inotify on their folders, falling back to
// polling where inotify is unavailable (or SMSUP_POLL=1, for tests).
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

namespace smsup::logs {

class FolderWatch {
 public:
  // Folders that do not exist yet are watched through their nearest parent.
  explicit FolderWatch(const std::vector<std::filesystem::path>& folders);
  ~FolderWatch();
  FolderWatch(const FolderWatch&) = delete;
  FolderWatch& operator=(const FolderWatch&) = delete;

  // Returns when something may have changed or after `timeout`; the caller
  // re-reads either way (a poll every `poll_interval` at most catches what
  // inotify cannot see, such as a folder created later).
  void wait(std::chrono::milliseconds timeout);
  bool using_inotify() const { return fd_ >= 0; }

  static constexpr std::chrono::milliseconds poll_interval{250};

 private:
  int fd_ = -1;
};

}  // namespace smsup::logs
