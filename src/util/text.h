// Small ASCII text tests shared by the readers. Log files, SMB names and
// Windows paths compare case-insensitively in ASCII only (the checklist's
// names and SMS's log keys are ASCII); locale-aware folding would be slower
// and wrong for them.
#pragma once

#include <string_view>

namespace smsup::util {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

// a == b ignoring ASCII case.
constexpr bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

}  // namespace smsup::util
