#include "util/output_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "util/error.h"

namespace smsup {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, std::string_view option, const std::string& message) {
  throw InputError({path.string(), 0, 0}, std::string(option), message);
}

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

void write_output_file(const std::filesystem::path& path, std::string_view option, std::string_view bytes,
                       WriteOptions opts) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
      fail(path, option,
           S_ISDIR(st.st_mode) ? "is a directory; expected a file name"
                               : "exists and is not a regular file; expected a file name");
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) fail(path, option, fmt::format("cannot write: {}", std::strerror(errno)));
    bool ok = write_all(fd, bytes);
    int err = errno;
    ok = ::close(fd) == 0 && ok;
    if (!ok) fail(path, option, fmt::format("write failed: {}", std::strerror(err)));
    return;
  }
  std::string tmp = path.string() + fmt::format(".tmp{}", ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, option, fmt::format("cannot write: {}", std::strerror(errno)));
  bool ok = write_all(fd, bytes);
  int err = errno;
  if (ok && opts.sync && ::fsync(fd) != 0) {
    ok = false;
    err = errno;
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    fail(path, option, fmt::format("write failed: {} (disk full?)", std::strerror(err)));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    fail(path, option, fmt::format("cannot write: {}", std::strerror(err)));
  }
}

}  // namespace smsup
