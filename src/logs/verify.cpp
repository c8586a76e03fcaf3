#include "logs/verify.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

#include <fmt/format.h>

#include "logs/follow.h"
#include "logs/reader.h"
#include "logs/text.h"
#include "logs/time.h"
#include "util/error.h"

namespace smsup::logs {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The file or folder named `name` in `dir`, matching without regard to case (Windows shares).
fs::path find_nocase(const fs::path& dir, std::string_view name) {
  std::error_code ec;
  if (fs::exists(dir / name, ec)) return dir / name;
  std::string want = lower(name);
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (lower(it->path().filename().string()) == want) return it->path();
  return {};
}

// One file of a site's logs, read, with the milestone hits found in it.
struct Source {
  fs::path path;
  LogText text;
  std::vector<Hit> hits;
  bool setup_log = false;
  std::uint64_t counted_to = 0, lines_before = 0;  // incremental line counting

  std::uint64_t line_at(std::uint64_t offset) {
    if (offset < counted_to) counted_to = lines_before = 0;
    lines_before += count_lines(text.text().substr(counted_to, offset - counted_to));
    counted_to = offset;
    return lines_before + 1;
  }
};

struct Candidate {
  Source* source;
  std::uint64_t offset;
};

// Where the entry holding the match at `end` begins: its line, or the
// `<![LOG[` line of a CMTrace entry whose message spans lines.
std::uint64_t entry_start(std::string_view t, std::uint64_t end) {
  std::uint64_t line = end;
  while (line > 0 && t[line - 1] != '\n') --line;
  if (t.compare(line, 7, "<![LOG[") == 0) return line;
  std::uint64_t low = line > (64u << 10) ? line - (64u << 10) : 0;
  std::string_view back = t.substr(low, line - low);
  std::size_t open = back.rfind("\n<![LOG[");
  std::uint64_t q =
      open != std::string_view::npos ? low + open + 1 : (low == 0 && t.compare(0, 7, "<![LOG[") == 0 ? 0 : line);
  if (q < line && t.substr(q, end - q).find("]LOG]!>") == std::string_view::npos) return q;
  return line;
}

MilestoneResult sighting(const Candidate& c, int bias_fallback) {
  std::string_view t = c.source->text.text();
  std::uint64_t start = entry_start(t, c.offset);
  Splitter split(t.substr(start));
  Span span;
  split.next(span);
  Entry e = parse_entry(t.substr(start), span);
  MilestoneResult r;
  // The last line of a file being written, not yet a whole entry, is no sighting.
  r.incomplete = e.format == Format::Plain && start + span.end == t.size() && !t.empty() && t.back() != '\n';
  r.file = c.source->path;
  r.line = c.source->line_at(start);
  r.message = std::string(e.message);
  r.local = e.local;
  r.bias_minutes = e.bias_minutes ? e.bias_minutes : (e.local ? std::optional<int>(bias_fallback) : std::nullopt);
  if (e.local) r.utc = TimePoint{e.local->time_since_epoch()} + std::chrono::minutes(*r.bias_minutes);
  return r;
}

// The bias the site's own components write, for the setup log that has none.
int site_bias(const std::vector<std::unique_ptr<Source>>& sources) {
  for (const auto& s : sources) {
    if (s->setup_log) continue;
    std::string_view head = s->text.text().substr(0, 1 << 16);
    Splitter split(head);
    Span span;
    for (int i = 0; i < 200 && split.next(span); ++i) {
      Entry e = parse_entry(head, span);
      if (e.bias_minutes) return *e.bias_minutes;
    }
  }
  return 0;
}

// The first timed entry of the setup run that ends at `completion`: after the
// previous completion, or at the last "setup started" line before it.
std::optional<MilestoneResult> setup_run_start(const Candidate& completion, std::optional<std::uint64_t> previous_end,
                                               int bias) {
  std::string_view t = completion.source->text.text();
  std::uint64_t from = previous_end.value_or(0);
  while (from < t.size() && t[from] != '\n') ++from;  // past the previous completion line
  if (previous_end && from < t.size()) ++from;
  if (!previous_end) from = 0;
  std::string_view run = t.substr(from, completion.offset > from ? completion.offset - from : 0);
  Splitter split(run);
  Span span;
  std::optional<std::uint64_t> first_timed;
  while (split.next(span)) {
    Entry e = parse_entry(run, span);
    std::string m = lower(e.message);
    bool started = m.find("setup started") != std::string::npos || m.find("setup has started") != std::string::npos;
    if (started) first_timed.reset();
    if (e.local && !first_timed) first_timed = from + span.offset;
  }
  if (!first_timed) return std::nullopt;
  return sighting({completion.source, *first_timed + 1}, bias);
}

std::string describe_time(const MilestoneResult& m) { return m.utc ? format_utc(*m.utc) : std::string("(no time)"); }

}  // namespace

std::string_view to_string(MilestoneState s) {
  switch (s) {
    case MilestoneState::Found:
      return "found";
    case MilestoneState::OutOfOrder:
      return "out of order";
    case MilestoneState::Missing:
      return "missing";
  }
  return "missing";
}

fs::path logs_folder(const fs::path& root_given, const std::string& install_dir) {
  std::string dir = install_dir;
  std::replace(dir.begin(), dir.end(), '\\', '/');
  std::error_code ec;
  fs::path root = fs::weakly_canonical(fs::absolute(root_given, ec), ec);
  if (root.empty()) root = root_given;
  if (root.filename().empty()) root = root.parent_path();  // a trailing slash
  fs::path base = root;
  if (dir.size() >= 2 && std::isalpha(static_cast<unsigned char>(dir[0])) && dir[1] == ':') {
    // A root named by its drive letter (<HOST>/C) has its other drives beside it.
    auto letter = [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); };
    std::string name = root.filename().string();
    if (name.size() == 1 && std::isalpha(static_cast<unsigned char>(name[0])) && letter(name[0]) != letter(dir[0]))
      base = root.parent_path() / std::string(1, letter(dir[0]));
    dir = dir.substr(2);
  }
  while (!dir.empty() && dir.front() == '/') dir.erase(0, 1);
  fs::path logs = base / dir;
  fs::path found = find_nocase(logs, "Logs");
  return found.empty() ? logs / "Logs" : found;
}

namespace {

// The four logs under a local site (rotated ones first), read.
void read_local(const fs::path& root, const fs::path& logs, std::vector<SiteLog>& read, std::vector<fs::path>& missing,
                std::vector<std::string>& notes) {
  std::vector<std::string_view> names;
  for (const auto& m : milestones())
    if (std::find(names.begin(), names.end(), m.log) == names.end()) names.push_back(m.log);
  for (std::string_view name : names) {
    bool at_root = false;
    for (const auto& m : milestones())
      if (m.log == name) at_root = m.at_drive_root;
    fs::path dir = at_root ? root : logs;
    fs::path path = find_nocase(dir, name);
    if (path.empty()) {
      missing.push_back(dir / name);
      continue;
    }
    for (const auto& file : with_rotated(path)) {
      try {
        read.push_back({file, name, LogText::open(file)});
      } catch (const InputError& e) {
        notes.push_back(e.what());
      }
    }
  }
}

// Scans each log once for its milestones.
std::vector<std::unique_ptr<Source>> scan_sources(std::vector<SiteLog> logs, const MilestoneScanner& scanner,
                                                  VerifyResult& r) {
  std::vector<std::unique_ptr<Source>> sources;
  for (auto& log : logs) {
    unsigned mask = 0;
    bool at_root = false;
    for (const auto& m : milestones())
      if (m.log == log.log) mask |= 1u << (m.number - 1), at_root = m.at_drive_root;
    auto s = std::make_unique<Source>();
    s->path = std::move(log.path);
    s->setup_log = at_root;
    s->text = std::move(log.text);
    s->hits = scanner.scan(s->text.text(), mask);
    r.files_read.push_back(s->path);
    sources.push_back(std::move(s));
  }
  return sources;
}

std::vector<Candidate> candidates_of(const std::vector<std::unique_ptr<Source>>& sources, int index) {
  std::vector<Candidate> out;
  for (const auto& s : sources)
    for (const auto& h : s->hits)
      if (h.milestone == index) out.push_back({s.get(), h.end});
  return out;
}

// The span of the milestones and when the site may be touched.
void check_settle(VerifyResult& r) {
  std::optional<TimePoint> last;
  for (const auto& m : r.milestones)
    if (m.state == MilestoneState::Found && m.utc && (!last || *m.utc > *last)) last = m.utc;
  if (!r.setup_began) {
    r.notes.push_back("the start of setup is unknown (SMSSetup.log carries no times): pass --since");
    return;
  }
  r.touch_after = *r.setup_began + kSettleTime;
  if (!last) return;
  r.settle = std::chrono::duration_cast<std::chrono::milliseconds>(*last - *r.setup_began);
  if (*last > *r.touch_after) r.touch_after = last;
}

}  // namespace

VerifyResult verify_site(const fs::path& root, const std::string& install_dir, std::optional<TimePoint> since) {
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw InputError({root.string(), 0, 0}, "--logs",
                     "not a folder (expected the system drive root of the site server, holding SMSSetup.log)");
  std::vector<SiteLog> read;
  std::vector<fs::path> missing;
  std::vector<std::string> notes;
  read_local(root, logs_folder(root, install_dir), read, missing, notes);
  return verify_logs(std::move(read), std::move(missing), std::move(notes), since);
}

VerifyResult verify_logs(std::vector<SiteLog> logs, std::vector<fs::path> missing, std::vector<std::string> notes,
                         std::optional<TimePoint> since) {
  static thread_local MilestoneScanner scanner;
  VerifyResult r;
  r.notes = std::move(notes);
  r.files_missing = std::move(missing);
  auto sources = scan_sources(std::move(logs), scanner, r);
  int bias = site_bias(sources);
  if (since) {
    r.setup_began = since;
    r.setup_began_from = "--since";
  }
  std::optional<TimePoint> previous = since;
  std::string previous_name = since ? "--since" : "";
  for (int i = 0; i < 6; ++i) {
    const Milestone& m = milestones()[static_cast<std::size_t>(i)];
    MilestoneResult& out = r.milestones[static_cast<std::size_t>(i)];
    out.milestone = &m;
    auto cands = candidates_of(sources, i);
    if (i == 0 && !since && !cands.empty()) {
      // Without --since the upgrade is the last setup run that completed.
      Candidate last = cands.back();
      std::optional<std::uint64_t> prev_end;
      if (cands.size() >= 2 && cands[cands.size() - 2].source == last.source) prev_end = cands[cands.size() - 2].offset;
      if (auto start = setup_run_start(last, prev_end, bias); start && start->utc) {
        r.setup_began = start->utc;
        r.setup_began_from = fmt::format("{}:{}", start->file.filename().string(), start->line);
        previous = r.setup_began;
        previous_name = "setup began";
      }
      cands.erase(cands.begin(), cands.end() - 1);
    }
    for (const auto& c : cands) {
      MilestoneResult s = sighting(c, bias);
      s.milestone = &m;
      if (s.incomplete) continue;
      if (!s.utc || !previous || *s.utc >= *previous) {
        s.state = MilestoneState::Found;
        out = s;
        break;
      }
    }
    if (out.state != MilestoneState::Found && !cands.empty()) {
      out = sighting(cands.back(), bias);
      out.milestone = &m;
      out.state = MilestoneState::OutOfOrder;
      r.notes.push_back(fmt::format("milestone {} ({}) last seen at {} ({}:{}), before {} at {}", m.number, m.text,
                                    describe_time(out), out.file.filename().string(), out.line, previous_name,
                                    format_utc(*previous)));
    } else if (out.state == MilestoneState::Missing) {
      r.notes.push_back(fmt::format("milestone {} missing: no \"{}\" in {}", m.number, m.text, m.log));
    }
    if (out.state == MilestoneState::Found && out.utc) {
      previous = out.utc;
      previous_name = fmt::format("milestone {}", m.number);
    }
  }
  for (const auto& f : r.files_missing) r.notes.push_back("log not found: " + f.string());
  check_settle(r);
  // Without a start, "after setup began" cannot be shown (the note says to pass --since).
  r.verified = r.setup_began && std::all_of(r.milestones.begin(), r.milestones.end(),
                                            [](const auto& m) { return m.state == MilestoneState::Found; });
  return r;
}

std::string milestones_key(const VerifyResult& r) {
  std::string key;
  for (const auto& m : r.milestones) key += fmt::format("{}:{};", static_cast<int>(m.state), m.line);
  return key;
}

struct FollowedLogs::Followed {
  Log log;
  fs::path path;  // as found (case) when the follower was made
  std::unique_ptr<LogFollower> follower;
};

FollowedLogs::FollowedLogs() {
  for (const auto& m : milestones()) {
    bool known = std::any_of(logs_.begin(), logs_.end(), [&](const auto& f) { return f->log.name == m.log; });
    if (known) continue;
    auto f = std::make_unique<Followed>();
    f->log = {m.log, m.at_drive_root};
    logs_.push_back(std::move(f));
  }
}

FollowedLogs::~FollowedLogs() = default;

const FollowedLogs::Log& FollowedLogs::log(std::size_t i) const { return logs_.at(i)->log; }

bool FollowedLogs::poll(std::size_t i, const fs::path& path, const SourceOpener& open) {
  Followed& f = *logs_.at(i);
  bool changed = false;
  if (!f.follower || path != f.path) {
    f.path = path;
    f.follower = std::make_unique<LogFollower>(path, open);
    changed = true;
  }
  std::uint64_t pending = f.follower->pending();
  // A half-written last line counts as a change too: verify_logs decides
  // what a line still being written is worth, as it does on one reading.
  if (!f.follower->poll().empty() || f.follower->rotated() || f.follower->truncated() ||
      f.follower->pending() != pending)
    changed = true;
  return changed;
}

void FollowedLogs::start_after(std::size_t i, const fs::path& path, const SourceOpener& open, std::string_view bytes) {
  Followed& f = *logs_.at(i);
  f.path = path;
  f.follower = std::make_unique<LogFollower>(path, open);
  f.follower->start_after(bytes);
}

SiteFollower::SiteFollower(fs::path root, std::string install_dir, std::optional<TimePoint> since, SourceOpener open)
    : root_(std::move(root)), install_dir_(std::move(install_dir)), since_(since), open_(std::move(open)) {}

SiteFollower::~SiteFollower() = default;

std::vector<fs::path> SiteFollower::folders() const { return {root_, logs_folder(root_, install_dir_)}; }

bool SiteFollower::poll() {
  fs::path logs = logs_folder(root_, install_dir_);
  bool changed = first_;
  for (std::size_t i = 0; i < logs_.size(); ++i) {
    // Names match without regard to case, as verify_site reads them: a log
    // that appears (or reappears in another case) is followed anew.
    const auto& log = logs_.log(i);
    fs::path dir = log.at_root ? root_ : logs;
    fs::path path = find_nocase(dir, log.name);
    if (path.empty()) path = dir / log.name;
    if (logs_.poll(i, path, open_)) changed = true;
  }
  first_ = false;
  if (changed) result_ = verify_site(root_, install_dir_, since_);
  return changed;
}

VerifyResult verify_site_waiting(const fs::path& root, const std::string& install_dir, std::optional<TimePoint> since,
                                 std::chrono::milliseconds wait,
                                 const std::function<void(const VerifyResult&)>& on_change, WaitOptions options) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  SiteFollower site(root, install_dir, since);
  FolderWatch watch(site.folders(), options.poll_every, options.inotify);
  std::string last_key;
  for (;;) {
    if (site.poll()) {
      std::string key = milestones_key(site.result());
      if (key != last_key && on_change) on_change(site.result());
      last_key = key;
    }
    auto now = std::chrono::steady_clock::now();
    if (site.result().verified || now >= deadline) return site.result();
    watch.wait(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
  }
}

}  // namespace smsup::logs
