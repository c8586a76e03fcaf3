#include "util/error.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/printable.h"

namespace smsup {

InputError::InputError(SourceLoc loc, std::string field, std::string message)
    : std::runtime_error(format_error(loc, field, message)),
      loc_(std::move(loc)),
      field_(std::move(field)),
      message_(std::move(message)) {}

namespace {

// A message is one line of readable size, whatever a value in it holds: control
// characters (a newline, a NUL) are written as escapes (printable.h), and a message longer
// than kMaxMessage bytes is cut in the middle of its text. The file and the
// field (which can hold a value too: a CSV column, a YAML key) get at most
// kMaxPart bytes each, the text the rest, so that the whole stays under 512
// bytes (the fuzz targets found a CSV header and an estimates key that made
// it 556 and 514).
constexpr std::size_t kMaxMessage = 480;
constexpr std::size_t kMaxPart = 120;

std::string shortened(std::string s, std::size_t max = kMaxMessage) {
  if (s.size() <= max) return s;
  std::size_t head = max * 2 / 3, tail = max / 4;
  // Cut on UTF-8 character boundaries (never inside a multi-byte sequence).
  while (head > 0 && (static_cast<unsigned char>(s[head]) & 0xC0) == 0x80) --head;
  std::size_t from = s.size() - tail;
  while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from;
  return fmt::format("{} ...({} bytes cut)... {}", s.substr(0, head), from - head, s.substr(from));
}

}  // namespace

std::string format_error(const SourceLoc& loc, const std::string& field, const std::string& message) {
  std::string out;
  if (!loc.file.empty()) {
    out += shortened(printable(loc.file), kMaxPart);
    if (loc.line > 0) {
      out += fmt::format(":{}", loc.line);
      if (loc.column > 0) out += fmt::format(":{}", loc.column);
    }
    out += ": ";
  }
  if (!field.empty()) out += shortened(printable(field), kMaxPart) + ": ";
  out += shortened(printable(message), std::max(kMaxPart, kMaxMessage - std::min(out.size(), kMaxMessage)));
  return out;
}

}  // namespace smsup
