// smsup logs grep|merge|tail|stats|scan: read, filter, merge and follow SMS logs.
#include <algorithm>
#include <array>

#include <chrono>
#include <thread>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/smb_cli.h"
#include "cli/verbs.h"
#include "logs/follow.h"
#include "logs/generate.h"
#include "logs/milestones.h"
#include "logs/query.h"
#include "logs/time.h"
#include "logs/writer.h"
#include "util/error.h"

namespace smsup::cli {
namespace {

namespace fs = std::filesystem;
using namespace smsup::logs;

struct LogsOptions {
  SmbCliOptions smb;  // grep, merge, stats and scan read smb:// URLs too
  std::vector<std::string> files;
  std::string pattern, component, severity, from, to, format = "text";
  bool regex = false, ignore_case = false, follow = false;
  int lines = 10, poll_ms = static_cast<int>(kDefaultPollInterval.count());
  std::string run_for, kind = "sms", size = "64M", out, start = "2006-06-05T00:00:00";
};

std::string clean(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    if (c == '\r') continue;
    out += c;
    if (c == '\n') out += "    ";
  }
  return out;
}

std::string time_text(const Entry& e) {
  if (!e.local) return "-";
  std::string s = format_local(*e.local);
  if (e.bias_minutes) s += fmt::format("{:+04}", *e.bias_minutes);
  return s;
}

nlohmann::json entry_json(const std::string& file, const Entry& e) {
  auto opt = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  std::string msg;
  for (char c : e.message)
    if (c != '\r') msg += c;
  return {{"file", file},
          {"line", e.line},
          {"format", to_string(e.format)},
          {"local", e.local ? nlohmann::json(format_local(*e.local)) : nlohmann::json()},
          {"bias", opt(e.bias_minutes)},
          {"utc", e.utc() ? nlohmann::json(format_utc(*e.utc())) : nlohmann::json()},
          {"component", std::string(e.component)},
          {"thread", opt(e.thread)},
          {"severity", to_string(e.severity)},
          {"source_file", std::string(e.source_file)},
          {"source_line", e.source_line},
          {"unreadable", e.unreadable},
          {"message", msg}};
}

// Text: "file:line  time+bias  component  severity  message"; JSON: one object a line.
void print_entry(const LogsOptions& o, const std::string& file, const Entry& e) {
  if (o.format == "json") {
    std::printf("%s\n", entry_json(file, e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return;
  }
  std::printf("%s:%llu  %s  %s  %s  %s\n", file.c_str(), static_cast<unsigned long long>(e.line),
              time_text(e).c_str(), e.component.empty() ? "-" : std::string(e.component).c_str(),
              std::string(to_string(e.severity)).c_str(), clean(e.message).c_str());
}

std::vector<fs::path> paths_of(const LogsOptions& o) { return {o.files.begin(), o.files.end()}; }

// Local paths and smb:// URLs alike (smb/remote_logs.h).
std::vector<LogFile> open_files(const LogsOptions& o) {
  smb::Session session(smb_access(o.smb));
  return smb::open_logs(o.files, session);
}

Filter filter_of(const LogsOptions& o) {
  Filter f;
  f.pattern = o.pattern;
  f.regex = o.regex;
  f.ignore_case = o.ignore_case;
  f.component = o.component;
  if (!o.severity.empty()) {
    f.severity = parse_severity(o.severity);
    if (!f.severity) throw InputError({}, "--severity", "expected error, warning or info, got '" + o.severity + "'");
  }
  auto time = [](const std::string& s, const char* field) -> std::optional<TimePoint> {
    if (s.empty()) return std::nullopt;
    auto t = parse_user_time(s);
    if (!t) throw InputError({}, field, "expected a time such as 2006-06-05T16:40:00Z, got '" + s + "'");
    return t;
  };
  f.from = time(o.from, "--from");
  f.to = time(o.to, "--to");
  return f;
}

void add_common(CLI::App* sub, LogsOptions& o) {
  sub->add_option("FILES", o.files, "Log files (a NAME.lo_ beside NAME.log is read first)")->required();
  sub->add_option("--format", o.format, "text or json (JSON: one object a line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

void add_filters(CLI::App* sub, LogsOptions& o) {
  sub->add_option("--component", o.component, "Only entries of this component (any case)");
  sub->add_option("--severity", o.severity, "Only entries at least this severe: error, warning, info");
  sub->add_option("--from", o.from, "Only entries at or after this time (UTC unless a zone is given)");
  sub->add_option("--to", o.to, "Only entries at or before this time");
}

// A file truncated in place while it was read is survived (mapping_guard.h):
// say so, since its end was not read.
void warn_shrunk(const std::vector<LogFile>& files) {
  for (const auto& f : files)
    if (f.text.shrank_while_read())
      std::fprintf(stderr, "smsup: %s: the file shrank while it was read (truncated by its writer): its end was not read\n",
                   f.path.string().c_str());
}

int run_grep(const LogsOptions& o) {
  Matcher match(filter_of(o));
  auto files = open_files(o);
  std::uint64_t hits = 0;
  for (const auto& f : files)
    for_each_entry(f.text.text(), [&](const Entry& e) {
      if (!match(e)) return;
      ++hits;
      print_entry(o, f.path.string(), e);
    });
  warn_shrunk(files);
  return hits > 0 ? 0 : 1;
}

int run_merge(const LogsOptions& o) {
  Matcher match(filter_of(o));
  auto files = open_files(o);
  std::uint64_t local_only = 0;
  for (const auto& te : merge(files)) {
    if (!match(te.entry)) continue;
    local_only += te.local_only;
    std::string file = files[te.file].path.filename().string();
    if (o.format == "json") {
      auto j = entry_json(file, te.entry);
      j["placed_by"] = te.utc == TimePoint::min() ? "file order" : te.local_only ? "local time" : "utc";
      std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
      continue;
    }
    // A local-only time is printed without the Z, marked 'L': it is not UTC.
    std::string when = te.utc == TimePoint::min() ? std::string(24, '-') : format_utc(te.utc);
    if (te.local_only) when.back() = 'L';
    std::printf("%s%s %s:%llu  %s  %s  %s\n", when.c_str(), te.inherited_time ? "~" : " ", file.c_str(),
                static_cast<unsigned long long>(te.entry.line),
                te.entry.component.empty() ? "-" : std::string(te.entry.component).c_str(),
                std::string(to_string(te.entry.severity)).c_str(), clean(te.entry.message).c_str());
  }
  warn_shrunk(files);
  if (local_only > 0)
    std::fprintf(stderr,
                 "smsup: %llu entries name no time zone: placed by their local time (marked L), not UTC\n",
                 static_cast<unsigned long long>(local_only));
  return 0;
}

int run_stats(const LogsOptions& o) {
  auto files = open_files(o);
  auto t0 = std::chrono::steady_clock::now();
  Stats s = stats(files, std::max(1u, std::thread::hardware_concurrency()));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  warn_shrunk(files);
  if (o.format == "json") {
    nlohmann::json j{{"entries", s.entries}, {"unreadable", s.unreadable}, {"bytes", s.bytes},
                     {"parse_seconds", secs}, {"components", nlohmann::json::array()}};
    j["formats"] = {{"plain", s.by_format[0]}, {"sms", s.by_format[1]}, {"cmtrace", s.by_format[2]},
                    {"setup", s.by_format[3]}};
    for (const auto& c : s.components)
      j["components"].push_back({{"component", c.component}, {"errors", c.errors},
                                 {"warnings", c.warnings}, {"info", c.infos}, {"total", c.total()}});
    std::printf("%s\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return 0;
  }
  std::printf("%-32s %8s %8s %10s %10s\n", "component", "errors", "warnings", "info", "total");
  for (const auto& c : s.components)
    std::printf("%-32s %8llu %8llu %10llu %10llu\n", c.component.empty() ? "(none)" : c.component.c_str(),
                static_cast<unsigned long long>(c.errors), static_cast<unsigned long long>(c.warnings),
                static_cast<unsigned long long>(c.infos), static_cast<unsigned long long>(c.total()));
  std::printf("%llu entries (%llu sms, %llu cmtrace, %llu setup, %llu plain), %llu unreadable; "
              "%.1f MB parsed in %.3f s (%.0f MB/s)\n",
              static_cast<unsigned long long>(s.entries), static_cast<unsigned long long>(s.by_format[1]),
              static_cast<unsigned long long>(s.by_format[2]), static_cast<unsigned long long>(s.by_format[3]),
              static_cast<unsigned long long>(s.by_format[0]), static_cast<unsigned long long>(s.unreadable),
              static_cast<double>(s.bytes) / 1e6, secs, secs > 0 ? static_cast<double>(s.bytes) / 1e6 / secs : 0.0);
  return 0;
}

// One pass over each file for all six milestones at once.
int run_scan(const LogsOptions& o) {
  MilestoneScanner scanner;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : open_files(o)) {
    auto hits = scanner.scan(f.text.text());
    std::array<std::uint64_t, 6> count{}, first{}, line{};
    for (const auto& h : hits)
      if (count[static_cast<std::size_t>(h.milestone)]++ == 0) first[static_cast<std::size_t>(h.milestone)] = h.end;
    // Lines of the first sightings, counted once in order of offset.
    std::array<std::size_t, 6> order{0, 1, 2, 3, 4, 5};
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return first[a] < first[b]; });
    std::uint64_t at = 0, lines = 0;
    for (auto i : order) {
      if (!count[i]) continue;
      lines += count_lines(f.text.text().substr(at, first[i] - at));
      at = first[i];
      line[i] = lines + 1;
    }
    for (std::size_t i = 0; i < 6; ++i) {
      if (o.format == "json")
        out.push_back({{"file", f.path.string()}, {"milestone", i + 1}, {"count", count[i]},
                       {"first_line", count[i] ? nlohmann::json(line[i]) : nlohmann::json()}});
      else
        std::printf("%s: milestone %zu (%s): %llu%s\n", f.path.string().c_str(), i + 1,
                    std::string(milestones()[i].text).c_str(), static_cast<unsigned long long>(count[i]),
                    count[i] ? fmt::format(", first at line {}", line[i]).c_str() : "");
    }
  }
  if (o.format == "json") std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

// tail: the last N entries of each file; with -f, new entries as they are
// written (a LogFollower each: whole entries only, rotation and truncation
// handled there).
int run_tail(const LogsOptions& o) {
  std::optional<std::chrono::milliseconds> limit;
  if (o.follow && !o.run_for.empty()) {
    limit = parse_duration(o.run_for);
    if (!limit) throw InputError({}, "--for", "expected a duration such as 30s or 5m, got '" + o.run_for + "'");
  }
  auto last_n = [&](std::size_t count) {
    return count > static_cast<std::size_t>(o.lines) ? count - static_cast<std::size_t>(o.lines) : 0;
  };
  std::vector<std::unique_ptr<LogFollower>> followed;
  for (const auto& path : paths_of(o)) {
    // open_logs: a missing file is bad input, and the rotated NAME.lo_ shows
    // its last entries first, as the other verbs read it.
    for (const auto& f : open_logs({path})) {
      if (f.path == path) continue;
      std::string_view t = f.text.text();
      std::size_t nl = t.rfind('\n');
      std::vector<Span> spans;
      Splitter split(t.substr(0, nl == std::string_view::npos ? 0 : nl + 1));
      for (Span sp; split.next(sp);) spans.push_back(sp);
      for (std::size_t i = last_n(spans.size()); i < spans.size(); ++i)
        print_entry(o, f.path.string(), parse_entry(t, spans[i]));
    }
    followed.push_back(std::make_unique<LogFollower>(path));
    const auto& entries = followed.back()->poll();
    for (std::size_t i = last_n(entries.size()); i < entries.size(); ++i)
      print_entry(o, std::string(entries[i].file), entries[i].entry);
  }
  std::fflush(stdout);
  if (!o.follow) return 0;
  std::vector<fs::path> dirs;
  for (const auto& f : followed) dirs.push_back(f->path().parent_path().empty() ? fs::path(".") : f->path().parent_path());
  FolderWatch watch(dirs, std::chrono::milliseconds(o.poll_ms));
  auto deadline = std::chrono::steady_clock::now() + limit.value_or(std::chrono::hours(24 * 365));
  while (std::chrono::steady_clock::now() < deadline) {
    watch.wait(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    for (auto& f : followed)
      for (const auto& e : f->poll()) print_entry(o, std::string(e.file), e.entry);
    std::fflush(stdout);
  }
  return 0;
}

int run_generate(const LogsOptions& o) {
  std::uint64_t bytes = 0;
  std::size_t used = 0;
  try {
    bytes = std::stoull(o.size, &used);
  } catch (const std::exception&) {
    throw InputError({}, "--size", "expected a size such as 64M or 1G, got '" + o.size + "'");
  }
  std::string unit = o.size.substr(used);
  if (unit == "K" || unit == "k") bytes <<= 10;
  else if (unit == "M" || unit == "m") bytes <<= 20;
  else if (unit == "G" || unit == "g") bytes <<= 30;
  else if (!unit.empty()) throw InputError({}, "--size", "expected a size such as 64M or 1G, got '" + o.size + "'");
  auto start = parse_user_time(o.start);
  if (!start) throw InputError({}, "--start", "expected a time such as 2006-06-05T00:00:00");
  auto g = generate_log(o.out, o.kind == "cmtrace" ? Format::CmTrace : Format::Sms, bytes,
                        LocalTime{start->time_since_epoch()});
  std::printf("%s: %llu bytes, %llu entries, %s .. %s (local)\n", o.out.c_str(),
              static_cast<unsigned long long>(g.bytes), static_cast<unsigned long long>(g.entries),
              format_local(g.first).c_str(), format_local(g.last).c_str());
  return 0;
}

}  // namespace

void register_logs(CLI::App& app, Status& status) {
  auto* logs = app.add_subcommand("logs", "Read, filter, merge and follow SMS logs (SMS trace, CMTrace, plain)");
  logs->require_subcommand(1);
  auto add = [&](const char* name, const char* help, int (*run)(const LogsOptions&)) {
    auto o = std::make_shared<LogsOptions>();
    auto* sub = logs->add_subcommand(name, help);
    sub->callback([o, run, &status] { status.code = run(*o); });
    return std::make_pair(sub, o);
  };
  {
    auto [sub, o] = add("grep", "Entries whose message holds PATTERN (exit 1 when none)", run_grep);
    sub->add_option("PATTERN", o->pattern, "Literal text (or a regex with --regex)")->required();
    add_common(sub, *o);
    add_smb_options(sub, o->smb);
    sub->add_flag("--regex", o->regex, "PATTERN is a regular expression (vectorscan syntax)");
    sub->add_flag("-i,--ignore-case", o->ignore_case, "Match without regard to case");
    add_filters(sub, *o);
  }
  {
    auto [sub, o] = add("merge", "All entries of all files in one timeline in UTC, like SMS Trace's merge", run_merge);
    add_common(sub, *o);
    add_smb_options(sub, o->smb);
    add_filters(sub, *o);
  }
  {
    auto [sub, o] = add("tail", "The last entries of each file; -f follows them as they are written", run_tail);
    add_common(sub, *o);
    sub->add_flag("-f,--follow", o->follow, "Keep printing new entries (inotify, else polling)");
    sub->add_option("-n,--lines", o->lines, "Entries to show first")->check(CLI::NonNegativeNumber)->capture_default_str();
    sub->add_option("--for", o->run_for, "Stop following after this long (30s, 5m)");
    sub->add_option("--poll-ms", o->poll_ms, "Look at the files at least this often, in ms (inotify may wake sooner)")
        ->check(CLI::Range(1, 3600000))
        ->capture_default_str();
  }
  {
    auto [sub, o] = add("stats", "Entries per component and severity, errors first", run_stats);
    add_common(sub, *o);
    add_smb_options(sub, o->smb);
  }
  {
    auto [sub, o] = add("scan", "Count the six completion milestones in any files, in one pass", run_scan);
    add_common(sub, *o);
    add_smb_options(sub, o->smb);
  }
  {
    auto [sub, o] = add("generate", "", run_generate);  // hidden: the benchmark's input
    sub->group("");
    sub->add_option("-o,--out", o->out, "File to write")->required();
    sub->add_option("--kind", o->kind, "sms or cmtrace")->check(CLI::IsMember({"sms", "cmtrace"}));
    sub->add_option("--size", o->size, "About this many bytes: 64M, 1G");
    sub->add_option("--start", o->start, "Local time of the first entry");
  }
}

}  // namespace smsup::cli
