#include "util/duration.h"

#include <fmt/format.h>

namespace smsup {

using std::chrono::milliseconds;

std::optional<milliseconds> parse_duration(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  double total_ms = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    // Digits, at most 9 before the point and 9 after: no value can overflow.
    double v = 0;
    std::size_t digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (++digits > 9) return std::nullopt;
      v = v * 10 + (s[i++] - '0');
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      double scale = 0.1;
      std::size_t frac = 0;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (++frac > 9) return std::nullopt;
        v += (s[i++] - '0') * scale;
        scale /= 10;
      }
      digits += frac;
    }
    if (digits == 0) return std::nullopt;
    double unit = 1000;  // seconds when no unit follows
    if (s.substr(i).starts_with("ms")) {
      unit = 1, i += 2;
    } else if (i < s.size()) {
      switch (s[i]) {
        case 's':
          unit = 1000;
          break;
        case 'm':
          unit = 60e3;
          break;
        case 'h':
          unit = 3600e3;
          break;
        case 'd':
          unit = 86400e3;
          break;
        default:
          return std::nullopt;
      }
      ++i;
    } else if (total_ms > 0) {
      return std::nullopt;  // "1h30": a bare number only stands alone
    }
    total_ms += v * unit;
    if (total_ms > static_cast<double>(kMaxDuration.count())) return std::nullopt;
  }
  return milliseconds(static_cast<milliseconds::rep>(total_ms + 0.5));
}

std::string duration_words(milliseconds d) {
  auto ms = d.count();
  if (ms % 86400000 == 0 && ms >= 86400000) return fmt::format("{} day{}", ms / 86400000, ms == 86400000 ? "" : "s");
  if (ms % 3600000 == 0 && ms >= 3600000) return fmt::format("{} h", ms / 3600000);
  if (ms % 60000 == 0 && ms >= 60000) return fmt::format("{} min", ms / 60000);
  if (ms % 1000 == 0 && ms >= 1000) return fmt::format("{} s", ms / 1000);
  return fmt::format("{} ms", ms);
}

milliseconds checked_duration(std::string_view s, const SourceLoc& loc, const std::string& field, milliseconds min,
                              milliseconds max) {
  auto d = parse_duration(s);
  if (!d || *d < min || *d > max) {
    throw InputError(loc, field,
                     fmt::format("'{}' is not {}; expected e.g. 90s, 30m or 2h, from {} to {}", s,
                                 d ? "in range" : "a duration", duration_words(min), duration_words(max)));
  }
  return *d;
}

}  // namespace smsup
