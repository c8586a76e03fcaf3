#include "util/input_file.h"

#include <fcntl.h>
#include <iconv.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/error.h"

namespace smsup {
namespace {

std::string mode_reason(mode_t mode) {
  if (S_ISREG(mode)) return "";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

[[noreturn]] void refuse(const std::filesystem::path& path, std::string_view what, const std::string& message) {
  throw InputError({path.string(), 0, 0}, "", fmt::format("{}; expected {}", message, what));
}

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string size_words(std::uint64_t bytes) {
  if (bytes >= (1ull << 30) && bytes % (1ull << 30) == 0) return fmt::format("{} GiB", bytes >> 30);
  if (bytes >= (1ull << 20) && bytes % (1ull << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (1ull << 10) && bytes % (1ull << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

std::string not_regular_reason(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return "";
  return mode_reason(st.st_mode);
}

void require_regular_file(const std::filesystem::path& path, std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    refuse(path, what, errno == ENOENT ? "no such file" : fmt::format("cannot open: {}", std::strerror(errno)));
  }
  if (auto why = mode_reason(st.st_mode); !why.empty()) refuse(path, what, "is " + why + ", not a file");
}

std::string read_input_file(const std::filesystem::path& path, std::string_view what, std::uint64_t limit) {
  // O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one.
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (f.fd < 0) {
    if (errno == ENOENT) refuse(path, what, "no such file");
    if (errno == EISDIR) refuse(path, what, "is a directory, not a file");
    refuse(path, what, fmt::format("cannot open: {}", std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) refuse(path, what, fmt::format("cannot read: {}", std::strerror(errno)));
  if (auto why = mode_reason(st.st_mode); !why.empty()) refuse(path, what, "is " + why + ", not a file");
  auto too_big = [&] {
    refuse(path, what, fmt::format("is larger than {}, the most smsup reads for {}", size_words(limit), what));
  };
  if (static_cast<std::uint64_t>(st.st_size) > limit) too_big();
  // Regular files never block; drop O_NONBLOCK anyway so a read is a plain read.
  ::fcntl(f.fd, F_SETFL, ::fcntl(f.fd, F_GETFL) & ~O_NONBLOCK);
  std::string out;
  out.resize(static_cast<std::size_t>(st.st_size) + 1);  // files in /proc say 0 and are not
  std::size_t got = 0;
  for (;;) {
    if (got == out.size()) {
      if (got > limit) too_big();
      out.resize(std::min<std::uint64_t>(limit + 1, std::max<std::uint64_t>(out.size() * 2, 4096)));
    }
    ssize_t r = ::read(f.fd, out.data() + got, out.size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) refuse(path, what, fmt::format("cannot read: {}", std::strerror(errno)));
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  if (got > limit) too_big();
  out.resize(got);
  return out;
}

std::string utf8_from_utf16(std::string text, const std::filesystem::path& path) {
  const char* from = nullptr;
  if (text.starts_with("\xFF\xFE"))
    from = "UTF-16LE";
  else if (text.starts_with("\xFE\xFF"))
    from = "UTF-16BE";
  else
    return text;
  // glibc's iconv: the kept converter on every Debian machine.
  iconv_t cd = ::iconv_open("UTF-8", from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    throw InputError({path.string(), 0, 0}, "",
                     fmt::format("is {} and this system cannot convert it; save it as UTF-8", from));
  }
  std::string out(text.size() * 2, '\0');  // UTF-8 of BMP text is at most 1.5x its UTF-16
  char* in = text.data() + 2;
  std::size_t in_left = text.size() - 2;
  char* dst = out.data();
  std::size_t out_left = out.size();
  std::size_t r = ::iconv(cd, &in, &in_left, &dst, &out_left);
  ::iconv_close(cd);
  if (r == static_cast<std::size_t>(-1)) {
    auto at = static_cast<std::size_t>(in - text.data());
    throw InputError({path.string(), 0, 0}, "",
                     fmt::format("is {} with an invalid sequence at byte {}; expected UTF-16 or UTF-8 text", from, at));
  }
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace smsup
