// The bytes of one log file as UTF-8 text: a byte order mark is dropped,
// UTF-16 (LE, or BE with its mark) is converted. Large files are memory-mapped
// (rotation by rename is safe; a file truncated in place under a reader is
// survived: see mapping_guard.h),
// small ones are read, so a file still being written is read as it stands.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace smsup::logs {

enum class Encoding : std::uint8_t { Utf8, Utf8Bom, Utf16Le, Utf16Be };

class LogText {
 public:
  LogText() = default;
  LogText(LogText&& other) noexcept;
  LogText& operator=(LogText&& other) noexcept;
  LogText(const LogText&) = delete;
  LogText& operator=(const LogText&) = delete;
  ~LogText();

  // Throws smsup::InputError when the file cannot be opened or read.
  static LogText open(const std::filesystem::path& path);
  // Bytes already in memory (tests, fuzzing), decoded the same way.
  static LogText from_bytes(std::string bytes, std::string name = "<memory>");

  std::string_view text() const { return text_; }
  Encoding encoding() const { return encoding_; }
  const std::string& name() const { return name_; }
  std::uint64_t file_size() const { return file_size_; }  // bytes on disk when read
  // The file shrank while it was read (truncated in place by its writer): the
  // text ends short or, for a mapped file, the lost part reads as NUL bytes.
  bool shrank_while_read() const;

 private:
  void decode();

  std::string name_;
  std::string owned_;    // read or converted bytes
  void* map_ = nullptr;  // or a private read-only mapping
  std::size_t map_size_ = 0;
  int guard_ = -1;           // its slot in mapping_guard.h
  bool short_read_ = false;  // read() ended before the size fstat gave
  std::string_view text_;
  Encoding encoding_ = Encoding::Utf8;
  std::uint64_t file_size_ = 0;
};

// UTF-16 code units (little or big endian) to UTF-8; bad surrogates become
// U+FFFD and an odd last byte (a file cut mid-character) is dropped.
std::string utf16_to_utf8(std::string_view bytes, bool big_endian);

}  // namespace smsup::logs
