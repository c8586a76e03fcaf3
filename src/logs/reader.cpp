#include "logs/reader.h"

#include <cstring>

#include "logs/milestones.h"
#include "logs/time.h"
#include "util/text.h"

namespace smsup::logs {
namespace {

constexpr std::string_view kOpen = "<![LOG[";
constexpr std::string_view kClose = "]LOG]!>";
constexpr std::string_view kOpenLine = "\n<![LOG[";
constexpr std::size_t kTrailerWindow = 512;  // an SMS trailer is ~60-110 bytes

// First byte of `needle` located with memchr, the rest compared: the markers
// start with bytes that are rare in messages (']', '\n'), so this beats memmem.
std::size_t find_from(std::string_view text, std::size_t from, std::string_view needle) {
  if (from >= text.size()) return std::string_view::npos;
  const char* p = text.data() + from;
  const char* last = text.data() + text.size();
  while (static_cast<std::size_t>(last - p) >= needle.size()) {
    p = static_cast<const char*>(std::memchr(p, needle[0], static_cast<std::size_t>(last - p) - needle.size() + 1));
    if (p == nullptr) return std::string_view::npos;
    if (std::memcmp(p, needle.data(), needle.size()) == 0) return static_cast<std::size_t>(p - text.data());
    ++p;
  }
  return std::string_view::npos;
}

// `<COMPONENT>` then nothing or further `<...>` groups up to the closing '>'
// the caller saw; the groups themselves are checked when fields are parsed.
bool angle_groups(std::string_view s) {
  std::size_t n = s.size(), j = 1;
  if (n < 2 || s[0] != '<') return false;
  while (j < n && s[j] != '>') {
    if (s[j] == '<') return false;
    ++j;
  }
  return j + 1 == n || (j + 1 < n && s[j + 1] == '<');
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Offset of the "$$<" of an SMS trailer ending the line, or npos. Components
// and dates hold no '$', so the last '$' of the line decides.
std::size_t find_trailer(std::string_view line) {
  if (line.size() < 5 || line.back() != '>') return std::string_view::npos;
  std::size_t low = line.size() > kTrailerWindow ? line.size() - kTrailerWindow : 0;
  const void* p = memrchr(line.data() + low, '$', line.size() - low);
  if (p == nullptr) return std::string_view::npos;
  std::size_t i = static_cast<std::size_t>(static_cast<const char*>(p) - line.data());
  if (i == 0 || line[i - 1] != '$' || i + 1 >= line.size() || line[i + 1] != '<') return std::string_view::npos;
  if (!angle_groups(line.substr(i + 1))) return std::string_view::npos;
  // Two entries fused on one line (a lost line break): the message before the
  // trailer holds another one. Neither can be told apart safely: not an entry.
  if (line.substr(0, i - 1).find("$$<") != std::string_view::npos) return std::string_view::npos;
  return i - 1;
}

// A line that carries an SMS trailer marker, well formed or not: "$$<" anywhere,
// or a lone "$<" opening the `<...>` groups that end the line (a typo real logs
// hold). Such a line is never the first line of a longer message: when it does
// not read as an entry it is kept as an unreadable plain line.
bool sms_marked(std::string_view line) {
  if (line.find("$$<") != std::string_view::npos) return true;
  std::size_t lone = line.rfind("$<");
  return lone != std::string_view::npos && !trim_right(line).empty() && trim_right(line).back() == '>';
}

// `<MM-DD-YYYY HH:MM:SS> ...`: offset of the '>' or npos.
std::size_t setup_mark(std::string_view line) {
  if (line.size() < 12 || line[0] != '<' || !util::is_digit(line[1])) return std::string_view::npos;
  std::size_t gt = line.find('>');
  if (gt == std::string_view::npos || gt > 40) return std::string_view::npos;
  std::string_view inside = line.substr(1, gt - 1);
  std::size_t sp = inside.find(' ');
  if (sp == std::string_view::npos) return std::string_view::npos;
  return parse_mdy_time(inside.substr(0, sp), inside.substr(sp + 1)) ? gt : std::string_view::npos;
}

bool starts_with_at(std::string_view text, std::size_t pos, std::string_view what) {
  return text.size() - pos >= what.size() && std::memcmp(text.data() + pos, what.data(), what.size()) == 0;
}

}  // namespace

Splitter::Splitter(std::string_view text, std::uint64_t first_line) : text_(text), line_(first_line) {}

bool Splitter::next_line(std::size_t from, std::size_t& end, std::size_t& next) const {
  if (from >= text_.size()) return false;
  const void* nl = std::memchr(text_.data() + from, '\n', text_.size() - from);
  if (nl != nullptr) {
    end = static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data());
    next = end + 1;
  } else {
    end = next = text_.size();
  }
  if (end > from && text_[end - 1] == '\r') --end;
  return true;
}

// Both searches only move forward, so splitting stays linear however broken the input.
std::size_t Splitter::close_after(std::size_t from) {
  if (!close_valid_ || from < close_from_ || (close_ != std::string_view::npos && close_ < from)) {
    close_ = find_from(text_, from, kClose);
    close_from_ = from;
    close_valid_ = true;
  }
  return close_;
}

std::size_t Splitter::open_after(std::size_t from) {
  if (!open_valid_ || from < open_from_ || (open_ != std::string_view::npos && open_ < from)) {
    open_ = find_from(text_, from, kOpenLine);
    open_from_ = from;
    open_valid_ = true;
  }
  return open_;
}

bool Splitter::cmtrace(Span& out) {
  last_sms_ = false;
  std::size_t close = close_after(pos_ + kOpen.size());
  std::size_t end = 0, next = 0;
  next_line(pos_, end, next);
  // Most entries are one line: the close on the same line needs no more checks.
  bool one_line = close != std::string_view::npos && close < end;
  std::size_t next_open = one_line ? std::string_view::npos : open_after(pos_);
  if (close != std::string_view::npos && (next_open == std::string_view::npos || close < next_open)) {
    std::uint64_t breaks = 0;
    if (!one_line) {
      breaks = count_lines(text_.substr(pos_, close - pos_));
      next_line(close, end, next);
    }
    std::string_view attrs = text_.substr(close + kClose.size(), end - close - kClose.size());
    // Attributes holding another "<![LOG[" are two entries fused on one line.
    if (!attrs.empty() && attrs.front() == '<' && attrs.back() == '>' && attrs.find(kOpen) == std::string_view::npos) {
      out = {pos_, end, line_, static_cast<std::uint32_t>(close - pos_), Format::CmTrace, false};
      line_ += breaks + 1;
      pos_ = next;
      return true;
    }
    next_line(pos_, end, next);
  }
  // Never closed (or cut short): its first line is kept as a plain line.
  out = {pos_, end, line_, 0, Format::Plain, true};
  ++line_;
  pos_ = next;
  return true;
}

bool Splitter::sms_with_continuation(Span& out) {
  std::size_t p = pos_, end = 0, next = 0;
  for (int count = 0; next_line(p, end, next); ++count, p = next) {
    std::string_view line = text_.substr(p, end - p);
    if (count > 0) {
      if (starts_with_at(text_, p, kOpen) || setup_mark(line) != std::string_view::npos) break;
      std::size_t t = find_trailer(line);
      if (t != std::string_view::npos) {
        out = {pos_, end, line_, static_cast<std::uint32_t>(p - pos_ + t), Format::Sms, false};
        line_ += static_cast<std::uint64_t>(count) + 1;
        pos_ = next;
        return true;
      }
      if (sms_marked(line)) break;  // a broken entry of its own, not the end of this message
    }
    if (count >= kMaxContinuation || next >= text_.size()) {
      p = next;
      break;
    }
  }
  plain_until_ = p;
  return false;
}

bool Splitter::next(Span& out) {
  std::size_t end = 0, next = 0;
  if (!next_line(pos_, end, next)) return false;
  if (pos_ >= plain_until_) {
    if (starts_with_at(text_, pos_, kOpen)) return cmtrace(out);
    std::string_view line = text_.substr(pos_, end - pos_);
    std::size_t t = find_trailer(line);
    Format f = Format::Plain;
    if (t != std::string_view::npos) {
      f = Format::Sms;
    } else if ((t = setup_mark(line)) != std::string_view::npos) {
      f = Format::Setup;
    } else if (!trim_right(line).empty() && (last_sms_ || line.front() == '~') && !sms_marked(line) &&
               sms_with_continuation(out)) {
      last_sms_ = true;
      return true;
    }
    if (f != Format::Plain) {
      last_sms_ = f == Format::Sms;
      out = {pos_, end, line_, static_cast<std::uint32_t>(t), f, false};
      ++line_;
      pos_ = next;
      return true;
    }
  }
  // A line that carries an SMS marker but no well-formed trailer is unreadable.
  bool broken = sms_marked(std::string_view(text_.data() + pos_, end - pos_));
  last_sms_ = false;
  out = {pos_, end, line_, 0, Format::Plain, broken};
  ++line_;
  pos_ = next;
  return true;
}

Log Log::open(const std::filesystem::path& path) {
  Log log;
  log.text_ = LogText::open(path);
  log.split();
  return log;
}

Log Log::from_bytes(std::string bytes, std::string name) {
  Log log;
  log.text_ = LogText::from_bytes(std::move(bytes), std::move(name));
  log.split();
  return log;
}

void Log::split() {
  std::string_view t = text_.text();
  spans_.reserve(t.size() / 100 + 1);
  Splitter s(t);
  Span sp;
  while (s.next(sp)) {
    unreadable_ += sp.unreadable;
    spans_.push_back(sp);
  }
  truncated_tail_ = !t.empty() && t.back() != '\n';
}

std::vector<std::filesystem::path> with_rotated(const std::filesystem::path& path) {
  std::vector<std::filesystem::path> out;
  std::string ext = path.extension().string();
  if (ext.size() == 4 && (ext[1] == 'l' || ext[1] == 'L') && (ext[2] == 'o' || ext[2] == 'O') &&
      (ext[3] == 'g' || ext[3] == 'G')) {
    for (const char* rotated : {".lo_", ".LO_"}) {
      auto older = path;
      older.replace_extension(rotated);
      std::error_code ec;
      if (std::filesystem::is_regular_file(older, ec)) {
        out.push_back(older);
        break;
      }
    }
  }
  out.push_back(path);
  return out;
}

}  // namespace smsup::logs
