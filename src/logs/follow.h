// Following a log as it is written: one incremental reader, used by
// `logs tail -f`, `verify --wait` and the shell driver's verify. It reads
// only the bytes added since the last poll and yields whole entries; a file
// cut short or rotated (SMS renames NAME.log to NAME.lo_ and starts a new
// NAME.log) is noticed here, so no caller handles either.
//
// Reads go through FileSource (size, read at an offset) so that a reader of
// another kind, such as an SMB client, can stand in for the local file.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logs/entry.h"
#include "logs/text.h"

namespace smsup::logs {

// The bytes of one file, read by offset. The follower knows a file by its
// name: a source answers for whatever file has that name now.
class FileSource {
 public:
  virtual ~FileSource() = default;
  // Bytes in the file now; nullopt while there is no such file (for a
  // moment during a rotation, or before it is first written).
  virtual std::optional<std::uint64_t> size() = 0;
  // Up to `n` bytes from `offset`; fewer at the end of the file.
  virtual std::string read(std::uint64_t offset, std::size_t n) = 0;
};

// A file on a local (or mounted) file system, opened anew for each call so
// that a file renamed away and replaced is the new one at the next call.
class LocalFile : public FileSource {
 public:
  explicit LocalFile(std::filesystem::path path) : path_(std::move(path)) {}
  std::optional<std::uint64_t> size() override;
  std::string read(std::uint64_t offset, std::size_t n) override;

 private:
  std::filesystem::path path_;
};

// Makes the source for a path; the follower opens the rotated sibling with
// it too, so both files are read the same way.
using SourceOpener = std::function<std::unique_ptr<FileSource>(const std::filesystem::path&)>;
std::unique_ptr<FileSource> open_local(const std::filesystem::path& path);

// An entry a poll found, and the file it is in (NAME.lo_ for the last lines
// of a file rotated between two polls).
struct FollowedEntry {
  std::string_view file;
  Entry entry;
};

class LogFollower {
 public:
  // Follows `path` (NAME.log), which need not exist yet.
  explicit LogFollower(std::filesystem::path path, const SourceOpener& open = open_local);

  // The complete entries written since the last call; the first call yields
  // those already there. A last line with no line break yet waits for the
  // next call. The entries' views stay valid until the next call.
  const std::vector<FollowedEntry>& poll();

  // Takes `bytes` as the file's first bytes, read already by someone else
  // (a verification that read the whole file): no entries come of them, and
  // the next poll reads only what follows. For a follower not polled yet.
  void start_after(std::string_view bytes);

  // What the last poll found besides entries.
  bool rotated() const { return rotated_; }      // the file was renamed away and a new one started
  bool truncated() const { return truncated_; }  // it shrank or was replaced: read again from its start
  // Bytes of a last line still being written (no line break yet).
  std::uint64_t pending() const { return pending_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  enum class Enc { Unknown, Utf8, Utf16Le, Utf16Be };
  bool replaced();
  void read_rest_of_rotated();
  bool detect_encoding(FileSource& src, std::uint64_t size);
  void keep_head(FileSource& src, std::string_view raw);
  void read_new(FileSource& src, std::uint64_t size, const std::string* name);
  void restart();

  std::filesystem::path path_, rotated_path_;
  std::string name_, rotated_name_;
  std::unique_ptr<FileSource> src_, rotated_src_;
  Enc enc_ = Enc::Unknown;
  std::uint64_t data_start_ = 0;  // bytes of a byte order mark
  std::uint64_t consumed_ = 0;    // raw bytes read and turned into entries
  std::uint64_t decoded_ = 0;     // the same in decoded (UTF-8) bytes: entries' offsets
  std::uint64_t lines_ = 0;
  std::uint64_t pending_ = 0;
  std::string head_;  // the file's first line: a file with another one is a new file
  bool rotated_ = false, truncated_ = false;
  std::deque<std::string> chunks_;  // the text the last poll's entries point into
  std::vector<FollowedEntry> out_;
};

// Waiting for log files to change: inotify on their folders (when `inotify`
// and the system has it), waking at least every `poll_every` to catch what
// inotify cannot see, such as a folder created later or a network share.
class FolderWatch {
 public:
  // Folders that do not exist yet are watched through their nearest parent.
  FolderWatch(const std::vector<std::filesystem::path>& folders, std::chrono::milliseconds poll_every,
              bool inotify = true);
  ~FolderWatch();
  FolderWatch(const FolderWatch&) = delete;
  FolderWatch& operator=(const FolderWatch&) = delete;

  // Returns when something may have changed, after `poll_every`, or after
  // `timeout`, whichever comes first; the caller polls either way.
  void wait(std::chrono::milliseconds timeout);
  bool using_inotify() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
  std::chrono::milliseconds poll_every_;
};

inline constexpr std::chrono::milliseconds kDefaultPollInterval{250};

}  // namespace smsup::logs
