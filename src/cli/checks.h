// The option checks run_<verb> makes before any work, each throwing
// InputError naming the option and what it expected. They live here, not in
// CLI11 validators, so that calling run_<verb> in-process checks the same.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "model/hierarchy.h"

namespace smsup::cli {

// `value` is one of `allowed`; else "'xml' is not one of text, json (did you mean ...)".
void require_one_of(std::string_view option, const std::string& value, std::initializer_list<std::string_view> allowed);
// lo <= value <= hi.
void require_range(std::string_view option, int64_t value, int64_t lo, int64_t hi);
// A date YYYY-MM-DD.
Date require_date(std::string_view option, const std::string& value);
// A duration such as 30s, 5m, 1h (logs/time.h).
std::chrono::milliseconds require_duration(std::string_view option, const std::string& value);
// A file that exists and is not a folder.
void require_file(std::string_view option, const std::string& path);

}  // namespace smsup::cli
