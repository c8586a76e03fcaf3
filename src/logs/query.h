// What `smsup logs` does with entries: filter (grep), count (stats), order
// across files (merge). Streaming: entries are parsed as they are visited.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "logs/entry.h"
#include "logs/reader.h"
#include "logs/text.h"

namespace smsup::logs {

struct Filter {
  std::string pattern;  // empty: every entry
  bool regex = false;   // vectorscan syntax (PCRE-like) instead of a literal
  bool ignore_case = false;
  std::string component;              // exact, without regard to case; empty: any
  std::optional<Severity> severity;   // at least this severe
  std::optional<TimePoint> from, to;  // inclusive; entries with no time do not match a range
};

class Matcher {
 public:
  // Throws InputError(field "PATTERN") when a regex does not compile.
  explicit Matcher(Filter f);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;
  bool operator()(const Entry& e) const;

 private:
  bool text_matches(std::string_view message) const;
  Filter f_;
  std::string folded_;  // lower-cased literal for ignore_case
  struct Regex;
  std::unique_ptr<Regex> re_;
};

// One file to read: its display name and its decoded text.
struct LogFile {
  std::filesystem::path path;
  LogText text;
};

// Opens each path (with its rotated .lo_ first). Throws InputError for a
// missing or unreadable file.
std::vector<LogFile> open_logs(const std::vector<std::filesystem::path>& paths);

// Visits every entry of `text` in order, fields parsed.
void for_each_entry(std::string_view text, const std::function<void(const Entry&)>& visit);

struct ComponentCount {
  std::string component;  // "" for entries without one
  std::uint64_t errors = 0, warnings = 0, infos = 0;
  std::uint64_t total() const { return errors + warnings + infos; }
};
struct Stats {
  std::vector<ComponentCount> components;  // most errors first, then warnings, then total
  std::uint64_t entries = 0, unreadable = 0, bytes = 0;
  std::uint64_t by_format[4] = {0, 0, 0, 0};
};
// Parses every entry of every file into fields and counts them; large files
// are cut at entry boundaries and parsed by `threads` threads.
Stats stats(const std::vector<LogFile>& files, unsigned threads = 1);

// An entry placed on a merged timeline.
struct TimedEntry {
  std::size_t file;  // index into the files given
  Entry entry;
  TimePoint utc;        // its own, or that of the entry before it in its file
  bool inherited_time;  // the entry carries no time of its own
  bool local_only;      // the time is local: the line names no zone (Entry::timeline)
};
// All entries of all files in one timeline in UTC (stable: same time keeps
// file order). Entries before the first timed one of their file come first;
// an entry whose line names no zone is placed by its local time.
std::vector<TimedEntry> merge(const std::vector<LogFile>& files);

}  // namespace smsup::logs
