// Dates and times as SMS logs write them, and as users type them.
#pragma once

#include "util/duration.h"

#include <optional>
#include <string>
#include <string_view>

#include "logs/entry.h"

namespace smsup::logs {

// "06-05-2006" (month-day-year, as SMS and CMTrace write it; 1- or 2-digit
// month and day) plus "10:02:11.453" (any number of fraction digits, or none).
std::optional<LocalTime> parse_mdy_time(std::string_view date, std::string_view time);

// "+420" / "-060": minutes to add to local time to get UTC.
std::optional<int> parse_bias(std::string_view s);

// SMS 2.0: "Fri Mar 26 10:43:41.547 1999 Eastern Standard Time". The zone name
// gives the bias when it is one of the common Windows zone names.
struct Sms20Date {
  LocalTime local;
  std::optional<int> bias_minutes;
};
std::optional<Sms20Date> parse_sms20_date(std::string_view s);

// Windows time zone name ("Eastern Standard Time") to its bias in minutes.
std::optional<int> windows_zone_bias(std::string_view name);

// A time given by a user (--since, --from, --to): "2006-06-05T10:02:11Z",
// "2006-06-05 10:02:11+02:00", "2006-06-05T10:02" or "2006-06-05" (no zone = UTC).
std::optional<TimePoint> parse_user_time(std::string_view s);

// "2006-06-05 10:02:11.453" and "2006-06-05T17:02:11.453Z".
std::string format_local(LocalTime t);
std::string format_utc(TimePoint t);

// "30m", "90s", "2h", "1h30m", "45" (seconds): the one grammar of util/duration.h.
using smsup::parse_duration;

}  // namespace smsup::logs
