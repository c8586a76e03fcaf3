#include "cli/checks.h"

#include <fmt/format.h>

#include <filesystem>
#include <vector>

#include "logs/time.h"
#include "util/closest.h"
#include "util/error.h"

namespace smsup::cli {

void require_one_of(std::string_view option, const std::string& value,
                    std::initializer_list<std::string_view> allowed) {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (const auto& n : names)
    if (n == value) return;
  throw InputError({}, std::string(option),
                   fmt::format("'{}' is not one of {}{}", value, fmt::join(names, ", "), did_you_mean(value, names)));
}

void require_range(std::string_view option, int64_t value, int64_t lo, int64_t hi) {
  if (value >= lo && value <= hi) return;
  throw InputError({}, std::string(option), fmt::format("{} is out of range; expected {} to {}", value, lo, hi));
}

Date require_date(std::string_view option, const std::string& value) {
  if (auto d = parse_date(value)) return *d;
  throw InputError({}, std::string(option), fmt::format("'{}' is not a date; expected YYYY-MM-DD", value));
}

std::chrono::milliseconds require_duration(std::string_view option, const std::string& value) {
  auto d = logs::parse_duration(value);
  if (d) return *d;
  throw InputError({}, std::string(option), fmt::format("expected a duration such as 30s, 5m or 1h, got '{}'", value));
}

void require_file(std::string_view option, const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) return;
  throw InputError({path, 0, 0}, std::string(option),
                   std::filesystem::exists(path, ec) ? "not a file" : "no such file");
}

}  // namespace smsup::cli
