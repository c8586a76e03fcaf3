// JSON form of the check report, streamed finding by finding in the key order
// of the spec.
#include <array>
#include <cstdio>

#include "report/check_report.h"

namespace smsup::report {
namespace {

// A JSON string literal. Bytes >= 0x80 pass through: inventories are UTF-8.
void put_string(std::ostream& out, std::string_view s) {
  out.put('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\r': out << "\\r"; break;
      case '\t': out << "\\t"; break;
      default:
        if (c < 0x20) {
          std::array<char, 8> buf{};
          std::snprintf(buf.data(), buf.size(), "\\u%04x", c);
          out << buf.data();
        } else {
          out.put(ch);
        }
    }
  }
  out.put('"');
}

}  // namespace

std::string_view site_code(const Hierarchy& h, const rules::Finding& f) {
  return f.site < 0 ? std::string_view("*") : std::string_view(h.sites[f.site].code);
}

void write_check_json(std::ostream& out, const Hierarchy& h, const rules::Report& r) {
  using rules::Severity;
  out << "{\"format\": \"smsup-check/1\", \"hierarchy\": ";
  put_string(out, h.name);
  out << ", \"ready\": " << (r.ready() ? "true" : "false") << ",\n \"summary\": {";
  const char* sep = "";
  for (auto s : {Severity::blocker, Severity::action, Severity::warning, Severity::info}) {
    out << sep << '"' << rules::to_string(s) << "\": " << r.count(s);
    sep = ", ";
  }
  out << "},\n \"findings\": [";
  sep = "\n  ";
  for (const auto& f : r.findings) {
    out << sep << "{\"rule\": ";
    put_string(out, f.rule);
    out << ", \"severity\": \"" << rules::to_string(f.severity) << "\", \"site\": ";
    put_string(out, site_code(h, f));
    out << ", \"object\": ";
    put_string(out, f.object);
    out << ", \"message\": ";
    put_string(out, f.message);
    out << ", \"remedy\": ";
    put_string(out, f.remedy);
    out << ", \"reference\": ";
    put_string(out, f.reference);
    out << '}';
    sep = ",\n  ";
  }
  out << (r.findings.empty() ? "]}\n" : "\n ]}\n");
}

}  // namespace smsup::report
