// JUnit XML form of the check report, for CI dashboards: a suite per site, a
// test case per rule and object. Only blockers fail, as only they make
// `check` exit 1.
#include <fmt/format.h>

#include "report/check_report.h"
#include "report/utf8.h"

namespace smsup::report {
namespace {

std::string xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      size_t n = utf8_length(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
      } else {
        out.append(s.substr(i, n));
        i += n - 1;
      }
      continue;
    }
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (c < 0x20 && ch != '\n' && ch != '\t') {
          out += ' ';
        } else {
          out += ch;
        }
    }
  }
  return out;
}

void write_case(std::ostream& out, std::string_view suite, const rules::Finding& f) {
  out << fmt::format("    <testcase classname=\"{}.{}\" name=\"{}\">", xml(suite), xml(f.rule), xml(f.object));
  std::string body = fmt::format("{}\nRemedy: {}\nChecklist: {}", f.message, f.remedy, f.reference);
  if (f.severity == rules::Gravity::blocker) {
    out << fmt::format("\n      <failure type=\"blocker\" message=\"{}\">{}</failure>\n    ", xml(f.message),
                       xml(body));
  } else {
    out << fmt::format("\n      <system-out>[{}] {}</system-out>\n    ", rules::to_string(f.severity), xml(body));
  }
  out << "</testcase>\n";
}

}  // namespace

void write_check_junit(std::ostream& out, const Hierarchy& h, const rules::Report& r) {
  // Findings of each site, and of the hierarchy (last), in report order.
  std::vector<std::vector<const rules::Finding*>> suites(h.sites.size() + 1);
  for (const auto& f : r.findings) suites[f.site < 0 ? h.sites.size() : static_cast<size_t>(f.site)].push_back(&f);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuites name=\"smsup check {}\" tests=\"{}\" failures=\"{}\">\n", xml(h.name),
                     r.findings.size(), r.count(rules::Gravity::blocker));
  for (size_t i = 0; i < suites.size(); ++i) {
    if (suites[i].empty()) continue;
    std::string name = i < h.sites.size() ? h.sites[i].code : h.name;
    size_t failures = 0;
    for (auto* f : suites[i]) failures += f->severity == rules::Gravity::blocker ? 1 : 0;
    out << fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">\n", xml(name), suites[i].size(),
                       failures);
    for (auto* f : suites[i]) write_case(out, name, *f);
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

}  // namespace smsup::report
