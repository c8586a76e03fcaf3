// Virtual time of the twin: milliseconds since the twin's epoch (a wall-clock
// instant chosen at creation, so log lines carry believable dates).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace smsup::twin {

using VTime = int64_t;  // ms since the epoch

constexpr VTime kSecond = 1000;
constexpr VTime kMinute = 60 * kSecond;
constexpr VTime kHour = 60 * kMinute;
constexpr VTime kDay = 24 * kHour;
constexpr VTime kNever = INT64_MAX;

inline VTime minutes(double m) { return static_cast<VTime>(m * static_cast<double>(kMinute)); }
inline double to_minutes(VTime t) { return static_cast<double>(t) / static_cast<double>(kMinute); }

// "06-12-2006 08:00:00.000" for epoch + t (the SMS trace format's date and time).
std::string trace_timestamp(int64_t epoch_s, VTime t);
// "2006-06-12T08:00:00Z"
std::string iso_time(int64_t epoch_s, VTime t);
// "1d 04:10" / "04:10" for a duration.
std::string format_duration(VTime d);

}  // namespace smsup::twin
