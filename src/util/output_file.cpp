#include "util/output_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
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

OutputFileWriter::OutputFileWriter(const std::filesystem::path& path, std::string_view option, WriteOptions opts)
    : path_(path), option_(option), opts_(opts) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
      fail(path, option,
           S_ISDIR(st.st_mode) ? "is a directory; expected a file name"
                               : "exists and is not a regular file; expected a file name");
    }
    fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd_ < 0) fail(path, option, fmt::format("cannot write: {}", std::strerror(errno)));
    return;
  }
  tmp_ = path.string() + fmt::format(".tmp{}", ::getpid());
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail(path, option, fmt::format("cannot write: {}", std::strerror(errno)));
}

OutputFileWriter::~OutputFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (fd_ >= 0 && !tmp_.empty()) ::unlink(tmp_.c_str());
}

void OutputFileWriter::write(std::string_view bytes) {
  if (fd_ < 0) throw std::logic_error("OutputFileWriter::write after commit");
  if (write_all(fd_, bytes)) return;
  int err = errno;
  fail(path_, option_, fmt::format("write failed: {}{}", std::strerror(err), tmp_.empty() ? "" : " (disk full?)"));
}

void OutputFileWriter::commit() {
  int fd = fd_;
  fd_ = -1;
  bool ok = true;
  int err = 0;
  if (!tmp_.empty() && opts_.sync && ::fsync(fd) != 0) {
    ok = false;
    err = errno;
  }
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (tmp_.empty()) {
    if (!ok) fail(path_, option_, fmt::format("write failed: {}", std::strerror(err)));
    return;
  }
  if (!ok) {
    ::unlink(tmp_.c_str());
    fail(path_, option_, fmt::format("write failed: {} (disk full?)", std::strerror(err)));
  }
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    err = errno;
    ::unlink(tmp_.c_str());
    fail(path_, option_, fmt::format("cannot write: {}", std::strerror(err)));
  }
}

void write_output_file(const std::filesystem::path& path, std::string_view option, std::string_view bytes,
                       WriteOptions opts) {
  OutputFileWriter w(path, option, opts);
  w.write(bytes);
  w.commit();
}

}  // namespace smsup
