#include "logs/text.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "logs/mapping_guard.h"
#include "util/error.h"

namespace smsup::logs {
namespace {

// Below this size a plain read is as fast as a mapping and safe against a
// writer truncating the file under us.
constexpr std::size_t kMapThreshold = 8u << 20;

void put_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

[[noreturn]] void fail(const std::filesystem::path& path, const char* what) {
  throw InputError({path.string(), 0, 0}, "", std::string(what) + ": " + std::strerror(errno));
}

}  // namespace

std::string utf16_to_utf8(std::string_view bytes, bool big_endian) {
  std::string out;
  out.reserve(bytes.size() / 2 + 16);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size() / 2;
  auto unit = [&](std::size_t i) -> std::uint32_t {
    return big_endian ? (std::uint32_t{p[2 * i]} << 8) | p[2 * i + 1] : (std::uint32_t{p[2 * i + 1]} << 8) | p[2 * i];
  };
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
      std::uint32_t lo = unit(i + 1);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        put_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
        ++i;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) u = 0xFFFD;
    put_utf8(out, u);
  }
  return out;
}

LogText::LogText(LogText&& o) noexcept { *this = std::move(o); }

LogText& LogText::operator=(LogText&& o) noexcept {
  if (this == &o) return *this;
  unguard_mapping(guard_);
  if (map_ != nullptr) munmap(map_, map_size_);
  name_ = std::move(o.name_);
  bool text_in_owned =
      !o.owned_.empty() && o.text_.data() >= o.owned_.data() && o.text_.data() <= o.owned_.data() + o.owned_.size();
  std::size_t skip = text_in_owned ? static_cast<std::size_t>(o.text_.data() - o.owned_.data()) : 0;
  owned_ = std::move(o.owned_);
  map_ = std::exchange(o.map_, nullptr);
  map_size_ = std::exchange(o.map_size_, 0);
  guard_ = std::exchange(o.guard_, -1);
  short_read_ = o.short_read_;
  text_ = text_in_owned ? std::string_view(owned_).substr(skip, o.text_.size()) : o.text_;
  o.text_ = {};
  encoding_ = o.encoding_;
  file_size_ = o.file_size_;
  return *this;
}

LogText::~LogText() {
  unguard_mapping(guard_);
  if (map_ != nullptr) munmap(map_, map_size_);
}

bool LogText::shrank_while_read() const { return short_read_ || mapping_lost_bytes(guard_); }

LogText LogText::from_bytes(std::string bytes, std::string name) {
  LogText t;
  t.name_ = std::move(name);
  t.file_size_ = bytes.size();
  t.owned_ = std::move(bytes);
  t.text_ = t.owned_;
  t.decode();
  return t;
}

LogText LogText::open(const std::filesystem::path& path) {
  LogText t;
  t.name_ = path.string();
  // O_NONBLOCK: a FIFO without a writer would block the open for ever.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) fail(path, "cannot open log");
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    errno = err;
    fail(path, "cannot read log");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw InputError({path.string(), 0, 0}, "", "not a regular file (expected a log file)");
  }
  auto size = static_cast<std::size_t>(st.st_size);
  t.file_size_ = size;
  if (size >= kMapThreshold) {
    void* m = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (m != MAP_FAILED) {
      t.guard_ = guard_mapping(m, size);
      if (t.guard_ < 0) {
        munmap(m, size);  // no slot left to guard it: read it instead
      } else {
        madvise(m, size, MADV_SEQUENTIAL);
        t.map_ = m;
        t.map_size_ = size;
        t.text_ = std::string_view(static_cast<const char*>(m), size);
      }
    }
  }
  if (t.map_ == nullptr) {
    // Read what is there now; a file that grows meanwhile is read to its old size.
    t.owned_.resize(size);
    std::size_t got = 0;
    while (got < size) {
      ssize_t r = ::read(fd, t.owned_.data() + got, size - got);
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) {
        ::close(fd);
        fail(path, "cannot read log");
      }
      if (r == 0) break;
      got += static_cast<std::size_t>(r);
    }
    t.short_read_ = got < size;
    t.owned_.resize(got);
    t.text_ = t.owned_;
  }
  ::close(fd);
  t.decode();
  return t;
}

void LogText::decode() {
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(text_[i]); };
  if (text_.size() >= 3 && b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF) {
    encoding_ = Encoding::Utf8Bom;
    text_.remove_prefix(3);
    return;
  }
  bool le_bom = text_.size() >= 2 && b(0) == 0xFF && b(1) == 0xFE;
  bool be_bom = text_.size() >= 2 && b(0) == 0xFE && b(1) == 0xFF;
  // Without a mark, "x\0y\0" at the start is UTF-16 LE as Windows writes it.
  bool le_bare = !le_bom && !be_bom && text_.size() >= 4 && b(0) != 0 && b(1) == 0 && b(2) != 0 && b(3) == 0;
  if (!le_bom && !be_bom && !le_bare) return;
  std::string converted = utf16_to_utf8(text_.substr(le_bare ? 0 : 2), be_bom);
  encoding_ = be_bom ? Encoding::Utf16Be : Encoding::Utf16Le;
  if (map_ != nullptr) {
    munmap(map_, map_size_);
    map_ = nullptr;
    map_size_ = 0;
  }
  owned_ = std::move(converted);
  text_ = owned_;
}

}  // namespace smsup::logs
