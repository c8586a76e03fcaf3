#include "logs/query.h"

#include <hs/hs.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <thread>
#include <unordered_map>

#include "util/error.h"
#include "util/text.h"

namespace smsup::logs {
namespace {}  // namespace

struct Matcher::Regex {
  hs_database_t* db = nullptr;
  hs_scratch_t* scratch = nullptr;
  ~Regex() {
    if (scratch != nullptr) hs_free_scratch(scratch);
    if (db != nullptr) hs_free_database(db);
  }
};

Matcher::Matcher(Filter f) : f_(std::move(f)) {
  if (f_.regex && !f_.pattern.empty()) {
    re_ = std::make_unique<Regex>();
    hs_compile_error_t* err = nullptr;
    unsigned flags = HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL | (f_.ignore_case ? HS_FLAG_CASELESS : 0u);
    if (hs_compile(f_.pattern.c_str(), flags, HS_MODE_BLOCK, nullptr, &re_->db, &err) != HS_SUCCESS) {
      std::string what = err != nullptr && err->message != nullptr ? err->message : "does not compile";
      hs_free_compile_error(err);
      throw InputError({}, "PATTERN", "not a usable regular expression: " + what);
    }
    if (hs_alloc_scratch(re_->db, &re_->scratch) != HS_SUCCESS)
      throw InputError({}, "PATTERN", "vectorscan cannot allocate scratch space");
  } else if (f_.ignore_case) {
    for (char c : f_.pattern) folded_.push_back(util::ascii_lower(c));
  }
}

Matcher::~Matcher() = default;

bool Matcher::text_matches(std::string_view m) const {
  if (f_.pattern.empty()) return true;
  if (re_) {
    bool hit = false;
    auto on = [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) -> int {
      *static_cast<bool*>(ctx) = true;
      return 1;
    };
    hs_scan(re_->db, m.data(), static_cast<unsigned>(std::min<std::size_t>(m.size(), 0xFFFFFFFFu)), 0, re_->scratch, on,
            &hit);
    return hit;
  }
  if (!f_.ignore_case) return m.find(f_.pattern) != std::string_view::npos;
  auto it = std::search(m.begin(), m.end(), folded_.begin(), folded_.end(),
                        [](char a, char b) { return util::ascii_lower(a) == b; });
  return it != m.end();
}

bool Matcher::operator()(const Entry& e) const {
  if (!f_.component.empty() && !util::iequal(e.component, f_.component)) return false;
  if (f_.severity && static_cast<int>(e.severity) < static_cast<int>(*f_.severity)) return false;
  if (f_.from || f_.to) {
    auto t = e.timeline();  // a line without a zone is compared by its local time
    if (!t || (f_.from && *t < *f_.from) || (f_.to && *t > *f_.to)) return false;
  }
  return text_matches(e.message);
}

std::vector<LogFile> open_logs(const std::vector<std::filesystem::path>& paths) {
  std::vector<LogFile> out;
  for (const auto& p : paths)
    for (const auto& file : with_rotated(p)) out.push_back({file, LogText::open(file)});
  return out;
}

void for_each_entry(std::string_view text, const std::function<void(const Entry&)>& visit) {
  Splitter split(text);
  Span span;
  while (split.next(span)) visit(parse_entry(text, span));
}

namespace {

// Where a text may be cut so that both parts split as the whole would: the
// start of a line that opens a CMTrace entry or follows a complete SMS line.
std::size_t safe_cut(std::string_view t, std::size_t target) {
  std::size_t limit = std::min(t.size(), target + (4u << 20));
  std::size_t pos = t.find('\n', target);
  while (pos != std::string_view::npos && pos + 1 < limit) {
    std::size_t start = pos + 1;
    if (t.compare(start, 7, "<![LOG[") == 0) return start;
    std::size_t prev = t.rfind('\n', pos == 0 ? 0 : pos - 1);
    prev = prev == std::string_view::npos ? 0 : prev + 1;
    std::string_view line = t.substr(prev, pos - prev);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > 3 && line.back() == '>' && line.find("$$<") != std::string_view::npos &&
        line.find("<![LOG[") == std::string_view::npos)
      return start;
    pos = t.find('\n', start);
  }
  return std::string_view::npos;
}

// Components seen lately, compared by content before the hash is asked.
struct Counter {
  std::unordered_map<std::string_view, ComponentCount> counts;
  std::array<std::pair<std::string_view, ComponentCount*>, 8> recent{};
  std::size_t next = 0;
  ComponentCount& operator[](std::string_view name) {
    for (auto& [n, c] : recent)
      if (c != nullptr && n == name) return *c;
    ComponentCount* c = &counts[name];
    recent[next++ % recent.size()] = {name, c};
    return *c;
  }
};

void count_part(std::string_view text, Stats& s, Counter& counter) {
  Splitter split(text);
  Span span;
  while (split.next(span)) {
    Entry e = parse_entry(text, span);
    ++s.entries;
    s.unreadable += e.unreadable;
    ++s.by_format[static_cast<int>(e.format)];
    ComponentCount& c = counter[e.component];
    switch (e.severity) {
      case Severity::Error:
        ++c.errors;
        break;
      case Severity::Warning:
        ++c.warnings;
        break;
      case Severity::Info:
        ++c.infos;
        break;
    }
  }
}

}  // namespace

Stats stats(const std::vector<LogFile>& files, unsigned threads) {
  // Large texts are cut at safe places and the parts parsed in parallel.
  std::vector<std::string_view> parts;
  constexpr std::size_t kMinPart = 32u << 20;
  threads = std::max(1u, threads);
  for (const auto& f : files) {
    std::string_view t = f.text.text();
    std::size_t n = std::min<std::size_t>(threads, std::max<std::size_t>(1, t.size() / kMinPart));
    std::size_t begin = 0;
    for (std::size_t k = 1; k < n; ++k) {
      std::size_t cut = safe_cut(t, t.size() * k / n);
      if (cut == std::string_view::npos || cut <= begin) continue;
      parts.push_back(t.substr(begin, cut - begin));
      begin = cut;
    }
    parts.push_back(t.substr(begin));
  }
  std::vector<Stats> partial(parts.size());
  std::vector<Counter> counters(parts.size());
  std::vector<std::thread> pool;
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i; (i = next++) < parts.size();) count_part(parts[i], partial[i], counters[i]);
  };
  for (unsigned k = 1; k < std::min<std::size_t>(threads, parts.size()); ++k) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();

  Stats s;
  std::unordered_map<std::string_view, ComponentCount> counts;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    s.bytes += parts[i].size();
    s.entries += partial[i].entries;
    s.unreadable += partial[i].unreadable;
    for (int f = 0; f < 4; ++f) s.by_format[f] += partial[i].by_format[f];
    for (const auto& [name, c] : counters[i].counts) {
      auto& into = counts[name];
      into.errors += c.errors, into.warnings += c.warnings, into.infos += c.infos;
    }
  }
  for (auto& [name, c] : counts) {
    c.component = std::string(name);
    s.components.push_back(c);
  }
  std::sort(s.components.begin(), s.components.end(), [](const auto& a, const auto& b) {
    if (a.errors != b.errors) return a.errors > b.errors;
    if (a.warnings != b.warnings) return a.warnings > b.warnings;
    if (a.total() != b.total()) return a.total() > b.total();
    return a.component < b.component;
  });
  return s;
}

std::vector<TimedEntry> merge(const std::vector<LogFile>& files) {
  std::vector<TimedEntry> all;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::optional<TimePoint> last;
    bool last_local = false;
    for_each_entry(files[i].text.text(), [&](const Entry& e) {
      auto t = e.timeline();
      if (t) last = t, last_local = !e.bias_minutes;
      TimedEntry te{i, e, last.value_or(TimePoint::min()), !t.has_value(), last.has_value() && last_local};
      all.push_back(te);
    });
  }
  std::stable_sort(all.begin(), all.end(), [](const TimedEntry& a, const TimedEntry& b) { return a.utc < b.utc; });
  return all;
}

}  // namespace smsup::logs
