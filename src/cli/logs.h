// `smsup logs grep|merge|tail|stats|scan`: read, filter, merge and follow SMS logs.
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "cli/output.h"
#include "cli/smb_cli.h"
#include "logs/follow.h"
#include "logs/time.h"

namespace smsup::cli {

// What every logs verb reads, and how it writes.
struct LogFilesOptions {
  std::vector<std::string> files;  // FILES: paths, or smb:// URLs
  std::string format = "text";     // text | json (one object a line)
  SmbCliOptions smb;
};

// Which entries grep and merge keep.
struct LogFilterOptions {
  std::string component;  // any case
  std::string severity;   // error | warning | info: at least this severe
  std::string from, to;   // times, UTC unless a zone is given
};

struct LogsGrepOptions : LogFilesOptions {
  std::string pattern;  // PATTERN
  bool regex = false;
  bool ignore_case = false;
  LogFilterOptions filter;
};
// 0 some entry matched, 1 none.
int run_logs_grep(const LogsGrepOptions& o, Output& out);

struct LogsMergeOptions : LogFilesOptions {
  LogFilterOptions filter;
};
int run_logs_merge(const LogsMergeOptions& o, Output& out);

struct LogsStatsOptions : LogFilesOptions {};
int run_logs_stats(const LogsStatsOptions& o, Output& out);

struct LogsScanOptions : LogFilesOptions {};
int run_logs_scan(const LogsScanOptions& o, Output& out);

struct LogsTailOptions : LogFilesOptions {
  bool follow = false;
  int lines = 10;                                                      // >= 0
  std::string run_for;                                                 // with -f: a duration; empty: until stopped
  int poll_ms = static_cast<int>(logs::kDefaultPollInterval.count());  // 1..3600000
};
int run_logs_tail(const LogsTailOptions& o, Output& out);

// A log's local time with its bias in minutes ("... 16:40:00.000+060"), as
// logs and verify print it; `none` when the entry has no time.
template <typename Local, typename Bias>
std::string local_time_text(const Local& local, const Bias& bias, const char* none) {
  if (!local) return none;
  std::string s = logs::format_local(*local);
  if (bias) s += fmt::format("{:+04}", *bias);
  return s;
}

// Hidden: writes the benchmarks' input.
struct LogsGenerateOptions {
  std::string out;
  std::string kind = "sms";  // sms | cmtrace
  std::string size = "64M";  // 64M, 1G
  std::string start = "2006-06-05T00:00:00";
};
int run_logs_generate(const LogsGenerateOptions& o, Output& out);

}  // namespace smsup::cli
