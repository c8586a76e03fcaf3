// Text form of the check report, for people. A site's findings are shown
// blockers first; client findings of one rule on one site become one entry
// with a count, the first few names and the first client's message.
#include <fmt/format.h>

#include <algorithm>

#include "report/check_report.h"
#include "rules/rule.h"

namespace smsup::report {
namespace {

using rules::Finding;
using rules::Gravity;
using rules::with_commas;

// One line of the report: a finding, or the findings of one client rule on one site.
struct Entry {
  const Finding* first = nullptr;
  int64_t count = 1;
  std::vector<std::string_view> names;  // client names, up to TextStyle::names_shown
};

struct Paint {
  bool on;
  std::string operator()(std::string_view text, std::string_view code) const {
    if (!on) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
  std::string severity(Gravity s) const {
    static constexpr std::string_view labels[] = {"BLOCKER", "action ", "warning", "info   "};
    static constexpr std::string_view codes[] = {"1;31", "33", "35", "36"};
    return (*this)(labels[static_cast<size_t>(s)], codes[static_cast<size_t>(s)]);
  }
};

std::string counts(const int64_t (&n)[4], bool skip_zero) {
  static constexpr std::string_view one[] = {"blocker", "action", "warning", "info"};
  std::vector<std::string> parts;
  for (size_t i = 0; i < 4; ++i) {
    if (skip_zero && n[i] == 0) continue;
    parts.push_back(fmt::format("{} {}{}", with_commas(n[i]), one[i], n[i] == 1 || i == 3 ? "" : "s"));
  }
  return parts.empty() ? std::string("no findings") : fmt::format("{}", fmt::join(parts, ", "));
}

// Entries per site (index sites.size() = hierarchy-wide), in report order.
std::vector<std::vector<Entry>> group(const Hierarchy& h, const rules::Report& r, size_t names_shown) {
  std::vector<std::vector<Entry>> by_site(h.sites.size() + 1);
  // Client findings of one rule arrive together: remember where the last one
  // went as (site slot, position), never as a pointer into a vector that grows.
  size_t last_slot = SIZE_MAX;
  size_t last_pos = 0;
  for (const auto& f : r.findings) {
    size_t slot = f.site < 0 ? h.sites.size() : static_cast<size_t>(f.site);
    auto& entries = by_site[slot];
    if (f.client < 0) {
      entries.push_back(Entry{&f, 1, {}});
      continue;
    }
    bool same = last_slot == slot && entries[last_pos].first->rule == f.rule;
    if (!same) {
      auto it = std::find_if(entries.begin(), entries.end(),
                             [&](const Entry& x) { return x.first->client >= 0 && x.first->rule == f.rule; });
      if (it == entries.end()) {
        entries.push_back(Entry{&f, 0, {}});
        it = entries.end() - 1;
      }
      last_slot = slot;
      last_pos = static_cast<size_t>(it - entries.begin());
    }
    Entry& e = entries[last_pos];
    ++e.count;
    if (e.names.size() < names_shown) e.names.push_back(f.object);
  }
  for (auto& entries : by_site) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.first->severity < b.first->severity; });
  }
  return by_site;
}

// Words of `text` in lines of at most `width` columns, each after `indent`.
std::string wrap(std::string_view text, std::string_view first, size_t indent, size_t width = 100) {
  std::string out(first);
  size_t column = indent;
  size_t pos = 0;
  bool line_start = true;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    if (!line_start && column + 1 + word.size() > width) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
      line_start = true;
    }
    if (!line_start) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    line_start = false;
    pos = end + 1;
  }
  return out + "\n";
}

void write_entry(std::ostream& out, const Entry& e, const Paint& paint) {
  const Finding& f = *e.first;
  std::string object = f.object;
  std::string message = f.message;
  if (f.client >= 0) {
    object = fmt::format("{} client{}: {}", with_commas(e.count), e.count == 1 ? "" : "s", fmt::join(e.names, ", "));
    if (e.count > static_cast<int64_t>(e.names.size())) {
      object += fmt::format(" and {} more", with_commas(e.count - static_cast<int64_t>(e.names.size())));
    }
    if (e.count > 1) message = "e.g. " + message;
  }
  out << fmt::format("  {}  {}  {}\n", paint.severity(f.severity), paint(f.rule, "1"), object);
  constexpr size_t kIndent = 11;
  out << wrap(message, std::string(kIndent, ' '), kIndent);
  out << wrap(f.remedy, std::string(kIndent, ' ') + paint("->", "32") + " ", kIndent + 3);
  out << fmt::format("           {}\n", paint(fmt::format("[{}]", f.reference), "2"));
}

std::string site_heading(const Hierarchy& h, const Site& s, const std::vector<Entry>& entries) {
  int64_t n[4] = {0, 0, 0, 0};
  for (const auto& e : entries) n[static_cast<size_t>(e.first->severity)] += e.count;
  static constexpr std::string_view levels[] = {"SMS 2.0", "RTM", "SP1", "SP2"};
  std::string where =
      s.is_central() ? std::string("central site") : "under " + h.sites[static_cast<size_t>(s.parent_index)].code;
  return fmt::format("{}{}  ({} at {}, {}): {}", s.code, s.name.empty() ? "" : " " + s.name,
                     s.is_primary() ? "primary" : "secondary", levels[static_cast<size_t>(s.version.level)], where,
                     counts(n, true));
}

}  // namespace

void write_check_text(std::ostream& out, const Hierarchy& h, const rules::Report& r, const TextStyle& style) {
  Paint paint{style.color};
  int64_t n[4];
  for (size_t i = 0; i < 4; ++i) n[i] = r.count(static_cast<Gravity>(i));
  std::string verdict = r.ready() ? paint("READY", "1;32") : paint("NOT READY", "1;31");
  out << fmt::format("{}: {} for the SMS 2003 SP2 upgrade: {}\n", h.name, verdict, counts(n, false));
  out << fmt::format("  {} sites, {} clients{}\n", with_commas(static_cast<int64_t>(h.sites.size())),
                     with_commas(static_cast<int64_t>(h.clients.size())),
                     style.as_of.empty() ? "" : ", backups judged as of " + style.as_of);

  // The blockers at a glance: what stands between the hierarchy and the upgrade.
  constexpr int kBlockersListed = 10;
  int listed = 0;
  for (const auto& f : r.findings) {
    if (f.severity != Gravity::blocker) continue;
    if (listed++ == kBlockersListed) {
      out << fmt::format("  ... and {} more blockers below\n", with_commas(n[0] - kBlockersListed));
      break;
    }
    auto site = site_code(h, f);
    out << fmt::format("  {} {} on {}{}\n", paint("blocker", "31"), f.rule, f.object,
                       site == f.object || f.site < 0 ? std::string() : fmt::format(" ({})", site));
  }

  auto by_site = group(h, r, style.names_shown);
  const auto& wide = by_site.back();
  if (!wide.empty()) {
    out << "\n" << paint(fmt::format("Hierarchy {}", h.name), "1") << "\n";
    for (const auto& e : wide) write_entry(out, e, paint);
  }
  std::vector<std::string_view> clean;
  for (int i : h.top_down) {
    const auto& entries = by_site[static_cast<size_t>(i)];
    const Site& s = h.sites[static_cast<size_t>(i)];
    if (entries.empty()) {
      clean.push_back(s.code);
      continue;
    }
    out << "\n" << paint(site_heading(h, s, entries), "1") << "\n";
    for (const auto& e : entries) write_entry(out, e, paint);
  }
  if (!clean.empty()) {
    constexpr size_t kShown = 20;
    size_t shown = std::min(kShown, clean.size());
    out << fmt::format("\nNo findings on {} site{}: {}{}\n", clean.size(), clean.size() == 1 ? "" : "s",
                       fmt::join(clean.begin(), clean.begin() + static_cast<long>(shown), ", "),
                       clean.size() > shown ? fmt::format(" and {} more", clean.size() - shown) : "");
  }
}

}  // namespace smsup::report
