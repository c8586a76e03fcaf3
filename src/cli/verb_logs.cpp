// smsup logs grep|merge|tail|stats|scan: read, filter, merge and follow SMS logs.
#include <algorithm>
#include <array>

#include <chrono>
#include <memory>
#include <thread>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/logs.h"
#include "cli/smb_cli.h"
#include "logs/follow.h"
#include "logs/generate.h"
#include "logs/milestones.h"
#include "logs/query.h"
#include "logs/time.h"
#include "logs/writer.h"
#include "smb/follow.h"
#include "util/checked_output.h"
#include "util/error.h"
#include "util/printable.h"

namespace smsup::cli {
namespace {

namespace fs = std::filesystem;
using namespace smsup::logs;

// A message as text: continuation lines indented, CRs dropped, tabs kept,
// every other control character escaped (printable.h): a log line written on
// a site server is shown, never obeyed by the terminal.
std::string clean(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  std::size_t from = 0;
  for (std::size_t i = 0; i <= message.size(); ++i) {
    char c = i < message.size() ? message[i] : '\n';
    if (c != '\n' && c != '\t' && c != '\r') continue;
    append_printable(out, message.substr(from, i - from));
    if (i < message.size() && c == '\n') out += "\n    ";
    if (c == '\t') out += '\t';
    from = i + 1;
  }
  return out;
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
void print_entry(const LogFilesOptions& o, std::ostream& out, const std::string& file, const Entry& e) {
  if (o.format == "json") {
    out << entry_json(file, e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  fmt::print(out, "{}:{}  {}  {}  {}  {}\n", file, e.line, local_time_text(e.local, e.bias_minutes, "-"),
             e.component.empty() ? "-" : printable(e.component), to_string(e.severity), clean(e.message));
}

// Local paths and smb:// URLs alike (smb/remote_logs.h). Checks --format first.
std::vector<LogFile> open_files(const LogFilesOptions& o) {
  require_one_of("--format", o.format, {"text", "json"});
  smb::Session session(smb_access(o.smb));
  return smb::open_logs(o.files, session);
}

// Pattern aside: filters of grep and merge.
Filter filter_of(const LogFilterOptions& o) {
  Filter f;
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
  if (f.from && f.to && *f.to < *f.from)
    throw InputError({}, "--to", "'" + o.to + "' is before --from '" + o.from + "': no entry could match");
  return f;
}

// json_shape: what --format json prints, "one object a line" for entries,
// "one document" for counts.
void add_common(CLI::App* sub, LogFilesOptions& o, const char* json_shape) {
  sub->add_option("FILES", o.files, "Log files (a NAME.lo_ beside NAME.log is read first)")->required();
  sub->add_option("--format", o.format, fmt::format("text or json (JSON: {})", json_shape))->capture_default_str();
}

void add_filters(CLI::App* sub, LogFilterOptions& o) {
  sub->add_option("--component", o.component, "Only entries of this component (any case)");
  sub->add_option("--severity", o.severity, "Only entries at least this severe: error, warning, info");
  sub->add_option("--from", o.from, "Only entries at or after this time (UTC unless a zone is given)");
  sub->add_option("--to", o.to, "Only entries at or before this time");
}

// A file truncated in place while it was read is survived (mapping_guard.h):
// say so, since its end was not read.
void warn_shrunk(const std::vector<LogFile>& files, std::ostream& err) {
  for (const auto& f : files)
    if (f.text.shrank_while_read())
      fmt::print(err, "smsup: {}: the file shrank while it was read (truncated by its writer): its end was not read\n",
                 f.path.string());
}

}  // namespace

int run_logs_grep(const LogsGrepOptions& o, Output& out) {
  Filter filter = filter_of(o.filter);
  filter.pattern = o.pattern;
  filter.regex = o.regex;
  filter.ignore_case = o.ignore_case;
  Matcher match(filter);
  auto files = open_files(o);
  std::uint64_t hits = 0;
  for (const auto& f : files)
    for_each_entry(f.text.text(), [&](const Entry& e) {
      if (!match(e)) return;
      ++hits;
      print_entry(o, out.out, f.path.string(), e);
    });
  warn_shrunk(files, out.err);
  return hits > 0 ? 0 : 1;
}

int run_logs_merge(const LogsMergeOptions& o, Output& out) {
  Matcher match(filter_of(o.filter));
  auto files = open_files(o);
  std::uint64_t local_only = 0;
  for (const auto& te : merge(files)) {
    if (!match(te.entry)) continue;
    local_only += te.local_only;
    std::string file = files[te.file].path.filename().string();
    if (o.format == "json") {
      auto j = entry_json(file, te.entry);
      j["placed_by"] = te.utc == TimePoint::min() ? "file order" : te.local_only ? "local time" : "utc";
      out.out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      continue;
    }
    // A local-only time is printed without the Z, marked 'L': it is not UTC.
    std::string when = te.utc == TimePoint::min() ? std::string(24, '-') : format_utc(te.utc);
    if (te.local_only) when.back() = 'L';
    fmt::print(out.out, "{}{} {}:{}  {}  {}  {}\n", when, te.inherited_time ? "~" : " ", file, te.entry.line,
               te.entry.component.empty() ? "-" : printable(te.entry.component), to_string(te.entry.severity),
               clean(te.entry.message));
  }
  warn_shrunk(files, out.err);
  if (local_only > 0)
    fmt::print(out.err, "smsup: {} entries name no time zone: placed by their local time (marked L), not UTC\n",
               local_only);
  return 0;
}

int run_logs_stats(const LogsStatsOptions& o, Output& out) {
  auto files = open_files(o);
  auto t0 = std::chrono::steady_clock::now();
  Stats s = stats(files, std::max(1u, std::thread::hardware_concurrency()));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  warn_shrunk(files, out.err);
  if (o.format == "json") {
    nlohmann::json j{{"entries", s.entries},
                     {"unreadable", s.unreadable},
                     {"bytes", s.bytes},
                     {"parse_seconds", secs},
                     {"components", nlohmann::json::array()}};
    j["formats"] = {
        {"plain", s.by_format[0]}, {"sms", s.by_format[1]}, {"cmtrace", s.by_format[2]}, {"setup", s.by_format[3]}};
    for (const auto& c : s.components)
      j["components"].push_back({{"component", c.component},
                                 {"errors", c.errors},
                                 {"warnings", c.warnings},
                                 {"info", c.infos},
                                 {"total", c.total()}});
    out.out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  // The component column fits the longest name (a Boot32wn.exe logs its
  // full path), so the counts stay under their headings.
  std::vector<std::string> names;
  std::size_t width = 32;
  for (const auto& c : s.components) {
    names.push_back(c.component.empty() ? "(none)" : printable(c.component));
    width = std::max(width, names.back().size());
  }
  fmt::print(out.out, "{:<{}} {:>8} {:>8} {:>10} {:>10}\n", "component", width, "errors", "warnings", "info", "total");
  for (std::size_t i = 0; i < s.components.size(); ++i) {
    const auto& c = s.components[i];
    fmt::print(out.out, "{:<{}} {:>8} {:>8} {:>10} {:>10}\n", names[i], width, c.errors, c.warnings, c.infos,
               c.total());
  }
  fmt::print(out.out,
             "{} entries ({} sms, {} cmtrace, {} setup, {} plain), {} unreadable; {:.1f} MB parsed in {:.3f} s ({:.0f} "
             "MB/s)\n",
             s.entries, s.by_format[1], s.by_format[2], s.by_format[3], s.by_format[0], s.unreadable,
             static_cast<double>(s.bytes) / 1e6, secs, secs > 0 ? static_cast<double>(s.bytes) / 1e6 / secs : 0.0);
  return 0;
}

// One pass over each file for all six milestones at once.
int run_logs_scan(const LogsScanOptions& o, Output& out) {
  MilestoneScanner scanner;
  nlohmann::json found = nlohmann::json::array();
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
        found.push_back({{"file", f.path.string()},
                         {"milestone", i + 1},
                         {"count", count[i]},
                         {"first_line", count[i] ? nlohmann::json(line[i]) : nlohmann::json()}});
      else
        fmt::print(out.out, "{}: milestone {} ({}): {}{}\n", f.path.string(), i + 1, milestones()[i].text, count[i],
                   count[i] ? fmt::format(", first at line {}", line[i]) : "");
    }
  }
  if (o.format == "json") out.out << found.dump(2) << "\n";
  return 0;
}

// tail: the last N entries of each file; with -f, new entries as they are
// written (a LogFollower each: whole entries only, rotation and truncation
// handled there).
int run_logs_tail(const LogsTailOptions& o, Output& out) {
  require_one_of("--format", o.format, {"text", "json"});
  require_range("--lines", o.lines, 0, INT32_MAX);
  require_range("--poll-ms", o.poll_ms, 1, 3600000);
  std::optional<std::chrono::milliseconds> limit;
  if (!o.run_for.empty()) {
    limit = require_duration("--for", o.run_for);
    // Without -f there is nothing to stop: say so rather than ignore a time the user meant.
    if (!o.follow) throw InputError({}, "--for", "stops following: give -f too, or leave --for out");
  }
  auto last_n = [&](std::size_t count) {
    return count > static_cast<std::size_t>(o.lines) ? count - static_cast<std::size_t>(o.lines) : 0;
  };
  std::vector<std::unique_ptr<LogFollower>> followed;
  std::vector<std::string> shown_prefix;  // smb://SERVER/SHARE/ for a file followed over SMB
  smb::Session session(smb_access(o.smb));
  for (const std::string& name : o.files) {
    // open_logs: a missing file is bad input, and the rotated NAME.lo_ shows
    // its last entries first, as the other verbs read it.
    bool remote = smb::is_smb_url(name);
    std::string path = name;
    std::string prefix;
    if (remote) {
      auto url = smb::parse_url(name, "FILES");
      path = smb::url_path_of(url);
      smb::Url share = url;
      share.path.clear();
      prefix = share.display() + "/";
    }
    for (const auto& f : smb::open_logs({name}, session)) {
      if (f.path == (remote ? fs::path(prefix + path) : fs::path(path))) continue;
      std::string_view t = f.text.text();
      std::size_t nl = t.rfind('\n');
      std::vector<Span> spans;
      Splitter split(t.substr(0, nl == std::string_view::npos ? 0 : nl + 1));
      for (Span sp; split.next(sp);) spans.push_back(sp);
      for (std::size_t i = last_n(spans.size()); i < spans.size(); ++i)
        print_entry(o, out.out, f.path.string(), parse_entry(t, spans[i]));
    }
    if (remote) {
      auto url = smb::parse_url(name, "FILES");
      followed.push_back(std::make_unique<LogFollower>(path, smb::smb_opener(session.client_for(url), url)));
    } else {
      followed.push_back(std::make_unique<LogFollower>(path));
    }
    shown_prefix.push_back(prefix);
    const auto& entries = followed.back()->poll();
    for (std::size_t i = last_n(entries.size()); i < entries.size(); ++i)
      print_entry(o, out.out, prefix + std::string(entries[i].file), entries[i].entry);
  }
  flush_checked(out.out);
  if (!o.follow) return 0;
  std::vector<fs::path> dirs;  // local files only: SMB has no change notification here, it is polled
  for (std::size_t i = 0; i < followed.size(); ++i)
    if (shown_prefix[i].empty())
      dirs.push_back(followed[i]->path().parent_path().empty() ? fs::path(".") : followed[i]->path().parent_path());
  FolderWatch watch(dirs, std::chrono::milliseconds(o.poll_ms));
  auto deadline = std::chrono::steady_clock::now() + limit.value_or(std::chrono::hours(24 * 365));
  while (std::chrono::steady_clock::now() < deadline) {
    watch.wait(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
    for (std::size_t i = 0; i < followed.size(); ++i)
      for (const auto& e : followed[i]->poll()) print_entry(o, out.out, shown_prefix[i] + std::string(e.file), e.entry);
    flush_checked(out.out);  // following for nobody (a full disk) ends here
  }
  return 0;
}

int run_logs_generate(const LogsGenerateOptions& o, Output& out) {
  require_one_of("--kind", o.kind, {"sms", "cmtrace"});
  std::uint64_t bytes = 0;
  std::size_t used = 0;
  try {
    bytes = std::stoull(o.size, &used);
  } catch (const std::exception&) {
    throw InputError({}, "--size", "expected a size such as 64M or 1G, got '" + o.size + "'");
  }
  std::string unit = o.size.substr(used);
  if (unit == "K" || unit == "k")
    bytes <<= 10;
  else if (unit == "M" || unit == "m")
    bytes <<= 20;
  else if (unit == "G" || unit == "g")
    bytes <<= 30;
  else if (!unit.empty())
    throw InputError({}, "--size", "expected a size such as 64M or 1G, got '" + o.size + "'");
  auto start = parse_user_time(o.start);
  if (!start) throw InputError({}, "--start", "expected a time such as 2006-06-05T00:00:00");
  auto g = generate_log(o.out, o.kind == "cmtrace" ? Format::CmTrace : Format::Sms, bytes,
                        LocalTime{start->time_since_epoch()});
  fmt::print(out.out, "{}: {} bytes, {} entries, {} .. {} (local)\n", o.out, g.bytes, g.entries, format_local(g.first),
             format_local(g.last));
  return 0;
}

void register_logs(CLI::App& app, Status& status) {
  auto* logs = app.add_subcommand("logs", "Read, filter, merge and follow SMS logs (SMS trace, CMTrace, plain)");
  logs->require_subcommand(1);
  {
    auto [sub, o] =
        add_verb(*logs, status, "grep", "Entries whose message holds PATTERN (exit 1 when none)", run_logs_grep);
    sub->add_option("PATTERN", o->pattern, "Literal text (or a regex with --regex)")->required();
    add_common(sub, *o, "one object a line");
    add_smb_options(sub, o->smb);
    sub->add_flag("--regex", o->regex, "PATTERN is a regular expression (vectorscan syntax)");
    sub->add_flag("-i,--ignore-case", o->ignore_case, "Match without regard to case");
    add_filters(sub, o->filter);
  }
  {
    auto [sub, o] = add_verb(*logs, status, "merge",
                             "All entries of all files in one timeline in UTC, like SMS Trace's merge", run_logs_merge);
    add_common(sub, *o, "one object a line");
    add_smb_options(sub, o->smb);
    add_filters(sub, o->filter);
  }
  {
    auto [sub, o] = add_verb(*logs, status, "tail",
                             "The last entries of each file; -f follows them as they are written", run_logs_tail);
    add_common(sub, *o, "one object a line");
    sub->add_flag("-f,--follow", o->follow,
                  "Keep printing new entries (inotify, else polling; smb:// files are polled)");
    sub->add_option("-n,--lines", o->lines, "Entries to show first")->capture_default_str();
    sub->add_option("--for", o->run_for, "With -f: stop following after this long (30s, 5m)");
    sub->add_option("--poll-ms", o->poll_ms,
                    "Look at the files at least this often, in ms, 1 to 3600000 (inotify may wake sooner)")
        ->capture_default_str();
    add_smb_options(sub, o->smb);
  }
  {
    auto [sub, o] =
        add_verb(*logs, status, "stats", "Entries per component and severity, errors first", run_logs_stats);
    add_common(sub, *o, "one document");
    add_smb_options(sub, o->smb);
  }
  {
    auto [sub, o] =
        add_verb(*logs, status, "scan", "Count the six completion milestones in any files, in one pass", run_logs_scan);
    add_common(sub, *o, "one document");
    add_smb_options(sub, o->smb);
  }
  {
    auto [sub, o] = add_verb(*logs, status, "generate", "", run_logs_generate);  // hidden: the benchmark's input
    sub->group("");
    sub->add_option("-o,--out", o->out, "File to write")->required();
    sub->add_option("--kind", o->kind, "sms or cmtrace");
    sub->add_option("--size", o->size, "About this many bytes: 64M, 1G");
    sub->add_option("--start", o->start, "Local time of the first entry");
  }
}

}  // namespace smsup::cli
