#include "logs/query.h"

#include <hs/hs.h>

#include <algorithm>
#include <unordered_map>

#include "util/error.h"

namespace smsup::logs {
namespace {

char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (fold(a[i]) != fold(b[i])) return false;
  return true;
}

}  // namespace

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
    for (char c : f_.pattern) folded_.push_back(fold(c));
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
    hs_scan(re_->db, m.data(), static_cast<unsigned>(std::min<std::size_t>(m.size(), 0xFFFFFFFFu)), 0,
            re_->scratch, on, &hit);
    return hit;
  }
  if (!f_.ignore_case) return m.find(f_.pattern) != std::string_view::npos;
  auto it = std::search(m.begin(), m.end(), folded_.begin(), folded_.end(),
                        [](char a, char b) { return fold(a) == b; });
  return it != m.end();
}

bool Matcher::operator()(const Entry& e) const {
  if (!f_.component.empty() && !ieq(e.component, f_.component)) return false;
  if (f_.severity && static_cast<int>(e.severity) < static_cast<int>(*f_.severity)) return false;
  if (f_.from || f_.to) {
    auto t = e.utc();
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

Stats stats(const std::vector<LogFile>& files) {
  Stats s;
  std::unordered_map<std::string_view, ComponentCount> counts;
  for (const auto& f : files) {
    std::string_view text = f.text.text();
    s.bytes += text.size();
    Splitter split(text);
    Span span;
    std::string_view last_name;
    ComponentCount* last = nullptr;
    while (split.next(span)) {
      Entry e = parse_entry(text, span);
      ++s.entries;
      s.unreadable += e.unreadable;
      ++s.by_format[static_cast<int>(e.format)];
      // Consecutive entries mostly share a component: skip the hash then.
      if (last == nullptr || e.component != last_name) {
        last = &counts[e.component];
        last_name = e.component;
      }
      switch (e.severity) {
        case Severity::Error: ++last->errors; break;
        case Severity::Warning: ++last->warnings; break;
        case Severity::Info: ++last->infos; break;
      }
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
    for_each_entry(files[i].text.text(), [&](const Entry& e) {
      auto t = e.utc();
      if (t) last = t;
      TimedEntry te{i, e, last.value_or(TimePoint::min()), !t.has_value()};
      all.push_back(te);
    });
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const TimedEntry& a, const TimedEntry& b) { return a.utc < b.utc; });
  return all;
}

}  // namespace smsup::logs
