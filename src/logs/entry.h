// One entry of an SMS log: the fields the reader yields (shared/spec/logs.md).
// Views point into the bytes of the Log they came from, which must outlive them.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smsup::logs {

using Millis = std::chrono::milliseconds;
using LocalTime = std::chrono::local_time<Millis>;  // the clock on the wall of the server
using TimePoint = std::chrono::sys_time<Millis>;    // UTC

enum class Format : std::uint8_t {
  Plain,    // anything unrecognised: kept as a message with no time of its own
  Sms,      // `message  $$<COMPONENT><DATE TIME+BIAS><thread=N (0xHEX)>`
  CmTrace,  // `<![LOG[message]LOG]!><time="..." date="..." component="..." ...>`
  Setup,    // `<MM-DD-YYYY HH:MM:SS> message`, as SMS Setup writes SMSSetup.log
};

// CMTrace's type 1/2/3; for the other formats derived from the words of the
// message the way SMS Trace highlights a line (error/fail, warn).
enum class Severity : std::uint8_t { Info = 1, Warning = 2, Error = 3 };

struct Entry {
  Format format = Format::Plain;
  std::string_view message;    // as written; a multi-line message keeps its line breaks
  std::string_view component;  // empty when the format has none
  std::optional<LocalTime> local;
  std::optional<int> bias_minutes;  // minutes to add to local time to get UTC
  std::optional<std::uint32_t> thread;
  Severity severity = Severity::Info;
  std::string_view source_file;   // CMTrace file="x.cpp:12" -> x.cpp
  std::uint32_t source_line = 0;  // -> 12
  std::uint64_t line = 0;         // 1-based line of the log file where the entry begins
  std::uint64_t offset = 0;       // byte offset of the entry in the (decoded) text
  bool unreadable = false;        // looked like a format but did not parse: kept as plain

  // Local time plus bias. A line that names no zone (SMS 1.x, SMS 2.0 client
  // logs, SMSSetup.log) has no UTC: it is unknown, not the local time.
  std::optional<TimePoint> utc() const {
    if (!local || !bias_minutes) return std::nullopt;
    return TimePoint{local->time_since_epoch()} + std::chrono::minutes(*bias_minutes);
  }
  // Where the entry sits on a timeline: its UTC when known, else its local
  // time read as if it were UTC (the best a reader can do without the zone).
  std::optional<TimePoint> timeline() const {
    if (!local) return std::nullopt;
    return TimePoint{local->time_since_epoch()} + std::chrono::minutes(bias_minutes.value_or(0));
  }
};

std::string_view to_string(Format f);
std::string_view to_string(Severity s);
// "error", "warning"/"warn", "info" (any case), or "1".."3".
std::optional<Severity> parse_severity(std::string_view s);

}  // namespace smsup::logs
