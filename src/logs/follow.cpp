#include "logs/follow.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <thread>

namespace smsup::logs {

FolderWatch::FolderWatch(const std::vector<std::filesystem::path>& folders) {
  const char* force_poll = std::getenv("SMSUP_POLL");
  if (force_poll != nullptr && std::string_view(force_poll) == "1") return;
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) return;
  constexpr std::uint32_t kEvents =
      IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_DELETE | IN_ATTRIB;
  int added = 0;
  for (auto dir : folders) {
    std::error_code ec;
    while (!dir.empty() && !std::filesystem::is_directory(dir, ec) && dir != dir.parent_path())
      dir = dir.parent_path();
    if (dir.empty()) dir = ".";
    if (inotify_add_watch(fd_, dir.c_str(), kEvents) >= 0) ++added;
  }
  if (added == 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

FolderWatch::~FolderWatch() {
  if (fd_ >= 0) ::close(fd_);
}

void FolderWatch::wait(std::chrono::milliseconds timeout) {
  auto slice = std::min(timeout, fd_ >= 0 ? std::chrono::milliseconds(1000) : poll_interval);
  if (slice.count() <= 0) return;
  if (fd_ < 0) {
    std::this_thread::sleep_for(slice);
    return;
  }
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(slice.count())) > 0) {
    // Drain the events: which file changed does not matter, the caller re-reads.
    alignas(inotify_event) std::array<char, 8192> buf{};
    while (::read(fd_, buf.data(), buf.size()) > 0) {
    }
  }
}

}  // namespace smsup::logs
