// Inventories should be UTF-8; reports must stay valid JSON and XML when a
// name is not. Shared by the JSON and JUnit writers.
#pragma once

#include <string_view>

namespace smsup::report {

// Length of the valid UTF-8 sequence starting at s[i] (a byte >= 0x80), 0 if invalid.
inline size_t utf8_length(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (n == 0 || c >= 0xF5 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

}  // namespace smsup::report
