// Writing log lines as SMS components do: for tests, the benchmark generator,
// the demo and the twin (which writes a site's logs as a real site would).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "logs/entry.h"

namespace smsup::logs {

// `message  $$<COMPONENT><MM-DD-YYYY HH:MM:SS.mmm+BIAS><thread=N (0xHEX)>` + CRLF.
std::string sms_line(std::string_view message, std::string_view component, LocalTime local, int bias_minutes,
                     std::uint32_t thread);

// `<![LOG[message]LOG]!><time="HH:MM:SS.mmm+BIAS" date="MM-DD-YYYY" component="C"
// context="" type="T" thread="N" file="F">` + CRLF.
std::string cmtrace_line(std::string_view message, std::string_view component, LocalTime local, int bias_minutes,
                         std::uint32_t thread, Severity type, std::string_view file = "");

// `<MM-DD-YYYY HH:MM:SS> message` + CRLF, as SMS Setup writes SMSSetup.log.
std::string setup_line(std::string_view message, LocalTime local);

// Appends `text` to `path` (created when missing) and flushes it to the file,
// so a reader following the file sees whole lines. Throws InputError.
void append_to_file(const std::filesystem::path& path, std::string_view text);

// The local time for a calendar date, for writing fixtures.
LocalTime make_local_time(int year, unsigned month, unsigned day, int hour, int minute, int second, int millis = 0);

}  // namespace smsup::logs
