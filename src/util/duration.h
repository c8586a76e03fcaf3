// Durations a person writes: on the command line (--wait 30m, --for 1h30m,
// --smb-timeout 15s) and in files (HOSTS.yaml timeout: 2h, wait: 200ms).
// One grammar and one range check for all of them, so that no "inf", "nan",
// "1e308", "-0" or "999999999h" ever reaches a clock: each is a located error.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "util/error.h"

namespace smsup {

// The longest duration smsup accepts anywhere: a year. Past it clocks overflow.
inline constexpr std::chrono::milliseconds kMaxDuration = std::chrono::hours(24 * 366);

// One or more <number><unit> parts: units ms, s, m, h, d; a number is digits
// with an optional fraction ("1.5h"); a plain number is seconds ("45");
// parts add up ("1h30m"). No sign, exponent, inf or nan. Nothing (nullopt)
// when `s` is not such a duration or is longer than kMaxDuration.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view s);

// parse_duration, then min <= d <= max; otherwise InputError at `loc`/`field`
// naming the value and what was expected, e.g.
// "timeout: 'inf' is not a duration; expected e.g. 90s, 30m or 2h, from 10 ms to 30 days".
std::chrono::milliseconds checked_duration(std::string_view s, const SourceLoc& loc, const std::string& field,
                                           std::chrono::milliseconds min, std::chrono::milliseconds max);

// "200 ms", "90 s", "30 min", "2 h", "30 days": for messages.
std::string duration_words(std::chrono::milliseconds d);

}  // namespace smsup
