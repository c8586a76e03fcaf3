#include "util/printable.h"

#include <fmt/format.h>

namespace smsup {

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_printable(out, s);
  return out;
}

void append_printable(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case 0:
        out += "\\0";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(s[++i]));
        } else {
          out += static_cast<char>(c);
        }
    }
  }
}

bool has_control(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string printable_lines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t p = 0; p <= s.size();) {
    std::size_t e = s.find('\n', p);
    bool last = e == std::string_view::npos;
    std::string_view line = s.substr(p, last ? std::string_view::npos : e - p);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    append_printable(out, line);
    if (last) break;
    out += '\n';
    p = e + 1;
  }
  return out;
}

}  // namespace smsup
