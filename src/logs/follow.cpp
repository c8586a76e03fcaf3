#include "logs/follow.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <thread>

#include "logs/milestones.h"
#include "logs/reader.h"

namespace smsup::logs {
namespace fs = std::filesystem;

std::optional<std::uint64_t> LocalFile::size() {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

std::string LocalFile::read(std::uint64_t offset, std::size_t n) {
  std::string out;
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // never wait on a FIFO
  if (fd < 0) return out;
  out.resize(n);
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(fd, out.data() + got, n - got, static_cast<off_t>(offset + got));
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  ::close(fd);
  out.resize(got);
  return out;
}

std::unique_ptr<FileSource> open_local(const fs::path& path) { return std::make_unique<LocalFile>(path); }

namespace {

// The rotated name of NAME.log: NAME.lo_ (in the case of the extension).
fs::path rotated_of(const fs::path& path) {
  std::string ext = path.extension().string();
  auto p = path;
  bool upper = ext.size() == 4 && ext[1] == 'L';
  p.replace_extension(upper ? ".LO_" : ".lo_");
  return p;
}

// Where the last whole line of `raw` ends (one past its line break), in
// bytes; for UTF-16 a line break is a whole code unit.
std::size_t complete_end(std::string_view raw, bool utf16, bool big_endian) {
  if (!utf16) {
    std::size_t nl = raw.rfind('\n');
    return nl == std::string_view::npos ? 0 : nl + 1;
  }
  for (std::size_t i = raw.size() / 2; i-- > 0;) {
    char hi = big_endian ? raw[2 * i] : raw[2 * i + 1];
    char lo = big_endian ? raw[2 * i + 1] : raw[2 * i];
    if (lo == '\n' && hi == '\0') return 2 * i + 2;
  }
  return 0;
}

}  // namespace

LogFollower::LogFollower(fs::path path, const SourceOpener& open)
    : path_(std::move(path)),
      rotated_path_(rotated_of(path_)),
      name_(path_.string()),
      rotated_name_(rotated_path_.string()),
      src_(open(path_)),
      rotated_src_(open(rotated_path_)) {}

void LogFollower::restart() {
  enc_ = Enc::Unknown;
  data_start_ = consumed_ = decoded_ = lines_ = pending_ = 0;
  head_.clear();
}

// The file now under the name is not the one read so far: shorter than what
// was read, or with another first line (a new file that has already grown
// past the old one's size).
bool LogFollower::replaced() {
  auto size = src_->size();
  if (!size) return false;
  if (*size < consumed_) return true;
  return !head_.empty() && src_->read(0, head_.size()) != head_;
}

// A rotation between two polls: the lines written to the old file after the
// last poll are now at the end of NAME.lo_.
void LogFollower::read_rest_of_rotated() {
  auto size = rotated_src_->size();
  if (!size || *size < consumed_ || head_.empty() || rotated_src_->read(0, head_.size()) != head_) return;
  rotated_ = true;
  read_new(*rotated_src_, *size, &rotated_name_);
}

bool LogFollower::detect_encoding(FileSource& src, std::uint64_t size) {
  if (enc_ != Enc::Unknown) return true;
  // The encoding, as LogText decides it, once enough bytes are there to tell.
  std::string b = src.read(0, 4);
  auto at = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  if (b.size() >= 3 && at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) {
    enc_ = Enc::Utf8;
    data_start_ = 3;
  } else if (b.size() >= 2 && at(0) == 0xFF && at(1) == 0xFE) {
    enc_ = Enc::Utf16Le;
    data_start_ = 2;
  } else if (b.size() >= 2 && at(0) == 0xFE && at(1) == 0xFF) {
    enc_ = Enc::Utf16Be;
    data_start_ = 2;
  } else if (b.size() >= 4) {
    enc_ = at(0) != 0 && at(1) == 0 && at(2) != 0 && at(3) == 0 ? Enc::Utf16Le : Enc::Utf8;
  } else if (b.find('\n') != std::string::npos && b.find('\0') == std::string::npos && at(0) != 0xEF && at(0) != 0xFF &&
             at(0) != 0xFE) {
    enc_ = Enc::Utf8;  // a short first line, plainly not UTF-16
  } else {
    pending_ = size;
    return false;  // too few bytes to tell yet
  }
  consumed_ = data_start_;
  return true;
}

// The file's first lines (up to 4 KiB), raw: a file with others is a new file.
void LogFollower::keep_head(FileSource& src, std::string_view raw) {
  if (!head_.empty()) return;
  bool utf16 = enc_ == Enc::Utf16Le || enc_ == Enc::Utf16Be;
  std::size_t first = complete_end(raw.substr(0, std::min<std::size_t>(raw.size(), 4096)), utf16, enc_ == Enc::Utf16Be);
  head_ =
      src.read(0, static_cast<std::size_t>(data_start_) + (first ? first : std::min<std::size_t>(raw.size(), 4096)));
}

void LogFollower::read_new(FileSource& src, std::uint64_t size, const std::string* name) {
  if (size <= consumed_ || !detect_encoding(src, size)) return;
  bool utf16 = enc_ == Enc::Utf16Le || enc_ == Enc::Utf16Be;
  std::string raw = src.read(consumed_, static_cast<std::size_t>(size - consumed_));
  std::size_t end = complete_end(raw, utf16, enc_ == Enc::Utf16Be);
  pending_ = raw.size() - end;
  if (end == 0) return;
  raw.resize(end);
  keep_head(src, raw);
  std::string& text = chunks_.emplace_back(utf16 ? utf16_to_utf8(raw, enc_ == Enc::Utf16Be) : std::move(raw));
  Splitter split(text, lines_ + 1);
  for (Span span; split.next(span);) {
    Entry e = parse_entry(text, span);
    e.offset += decoded_;
    out_.push_back({*name, e});
  }
  consumed_ += end;
  decoded_ += text.size();
  lines_ += count_lines(text);
}

namespace {

// Bytes already read, served as a file.
class Bytes : public FileSource {
 public:
  explicit Bytes(std::string_view bytes) : bytes_(bytes) {}
  std::optional<std::uint64_t> size() override { return bytes_.size(); }
  std::string read(std::uint64_t offset, std::size_t n) override {
    if (offset >= bytes_.size()) return {};
    return std::string(bytes_.substr(static_cast<std::size_t>(offset), n));
  }

 private:
  std::string_view bytes_;
};

}  // namespace

void LogFollower::start_after(std::string_view bytes) {
  // What a first poll of these bytes would leave behind (the encoding, the
  // first lines, the lines counted, a last line still being written left
  // for the next poll), without making entries of them or copying them.
  restart();
  Bytes src(bytes);
  if (bytes.empty() || !detect_encoding(src, bytes.size())) return;
  bool utf16 = enc_ == Enc::Utf16Le || enc_ == Enc::Utf16Be;
  std::string_view raw = bytes.substr(std::min<std::size_t>(bytes.size(), static_cast<std::size_t>(consumed_)));
  std::size_t end = complete_end(raw, utf16, enc_ == Enc::Utf16Be);
  pending_ = raw.size() - end;
  if (end == 0) return;
  raw = raw.substr(0, end);
  keep_head(src, raw);
  // Entries' offsets and line numbers count decoded text.
  std::string decoded = utf16 ? utf16_to_utf8(raw, enc_ == Enc::Utf16Be) : std::string();
  std::string_view text = utf16 ? std::string_view(decoded) : raw;
  consumed_ += end;
  decoded_ += text.size();
  lines_ += count_lines(text);
}

const std::vector<FollowedEntry>& LogFollower::poll() {
  out_.clear();
  chunks_.clear();
  rotated_ = truncated_ = false;
  if (replaced()) {
    read_rest_of_rotated();
    truncated_ = !rotated_;
    restart();
  }
  if (auto size = src_->size())
    read_new(*src_, *size, &name_);
  else
    pending_ = 0;
  return out_;
}

FolderWatch::FolderWatch(const std::vector<fs::path>& folders, std::chrono::milliseconds poll_every, bool inotify)
    : poll_every_(poll_every) {
  if (!inotify) return;
  fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd_ < 0) return;
  constexpr std::uint32_t kEvents =
      IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_CLOSE_WRITE | IN_DELETE | IN_ATTRIB;
  int added = 0;
  for (auto dir : folders) {
    std::error_code ec;
    while (!dir.empty() && !fs::is_directory(dir, ec) && dir != dir.parent_path()) dir = dir.parent_path();
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
  auto slice = std::min(timeout, poll_every_);
  if (slice.count() <= 0) return;
  if (fd_ < 0) {
    std::this_thread::sleep_for(slice);
    return;
  }
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(slice.count())) > 0) {
    // Drain the events: which file changed does not matter, the caller polls.
    alignas(inotify_event) std::array<char, 8192> buf{};
    while (::read(fd_, buf.data(), buf.size()) > 0) {
    }
  }
}

}  // namespace smsup::logs
