// Reading a log: split the text into entries once (cheap: line breaks and the
// format's markers), parse an entry's fields only when asked (lazily).
//
// Splitting rules, per line:
//   - `<![LOG[` at the start of a line opens a CMTrace entry that runs to the
//     line holding `]LOG]!>` and its attributes; one never closed is unreadable.
//   - a line ending in `$$<...>...>` is an SMS entry; up to kMaxContinuation
//     lines without a trailer right before it are the first lines of its
//     message (SMS messages may span lines) when they follow another SMS
//     entry or begin with `~`.
//   - `<MM-DD-YYYY HH:MM:SS> text` is an SMS Setup entry.
//   - anything else is a plain line. Nothing is dropped; nothing is read twice.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "logs/entry.h"
#include "logs/text.h"

namespace smsup::logs {

inline constexpr int kMaxContinuation = 64;

// Where an entry lies in the text; enough to parse its fields later.
struct Span {
  std::uint64_t offset = 0;  // first byte of the entry
  std::uint64_t end = 0;     // one past its last byte (line break excluded)
  std::uint64_t line = 0;    // 1-based line where it begins
  std::uint32_t mark = 0;    // Sms: "$$<" / CmTrace: "]LOG]!>" / Setup: '>' (from offset)
  Format format = Format::Plain;
  bool unreadable = false;
};

// Walks the entries of a text in order. The text must outlive the splitter.
class Splitter {
 public:
  explicit Splitter(std::string_view text, std::uint64_t first_line = 1);
  bool next(Span& out);
  // Offset just past the last line break seen: the text after it is a line
  // still being written (the last line of a file that has no line break yet).
  std::uint64_t position() const { return pos_; }

 private:
  bool next_line(std::size_t from, std::size_t& end, std::size_t& next) const;
  std::size_t close_after(std::size_t from);
  std::size_t open_after(std::size_t from);
  bool cmtrace(Span& out);
  bool sms_with_continuation(Span& out);

  std::string_view text_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
  std::size_t plain_until_ = 0;  // lines before this are known to be plain
  std::size_t close_ = 0;        // cached next "]LOG]!>" at or after close_from_
  std::size_t close_from_ = 0;
  std::size_t open_ = 0;  // cached next "\n<![LOG[" at or after open_from_
  std::size_t open_from_ = 0;
  bool close_valid_ = false, open_valid_ = false;
  bool last_sms_ = false;  // the entry before was an SMS one: a continuation may follow
};

// The fields of the entry at `span` of `text`.
Entry parse_entry(std::string_view text, const Span& span);

// Severity from the words of a message, the way SMS Trace highlights lines.
Severity severity_from_words(std::string_view message);

// One file read and split; entries parsed on demand.
class Log {
 public:
  static Log open(const std::filesystem::path& path);  // throws InputError
  static Log from_bytes(std::string bytes, std::string name = "<memory>");

  const std::string& name() const { return text_.name(); }
  std::string_view text() const { return text_.text(); }
  Encoding encoding() const { return text_.encoding(); }
  std::size_t size() const { return spans_.size(); }
  const Span& span(std::size_t i) const { return spans_[i]; }
  Entry entry(std::size_t i) const { return parse_entry(text_.text(), spans_[i]); }
  std::size_t unreadable() const { return unreadable_; }
  bool truncated_tail() const { return truncated_tail_; }  // last line has no break

 private:
  void split();
  LogText text_;
  std::vector<Span> spans_;
  std::size_t unreadable_ = 0;
  bool truncated_tail_ = false;
};

// Rotation: SMS renames a full NAME.log to NAME.lo_ and starts a new one. The
// files to read for `path`, older first: NAME.lo_ (when present) then NAME.log.
std::vector<std::filesystem::path> with_rotated(const std::filesystem::path& path);

}  // namespace smsup::logs
