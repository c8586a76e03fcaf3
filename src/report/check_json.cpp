// JSON form of the check report, streamed finding by finding in the key order
// of the spec.
#include <array>
#include <cstdio>

#include "report/check_report.h"
#include "report/utf8.h"

namespace smsup::report {
namespace {

// Appends a JSON string literal to buf; runs of plain bytes are copied whole.
// Inventories should be UTF-8; a byte that is not becomes U+FFFD, so the
// report always parses.
void put_string(std::string& buf, std::string_view s) {
  buf += '"';
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_length(s, i);
      if (n > 0) {
        i += n - 1;
        continue;
      }
      buf.append(s.substr(run, i - run));
      buf += "\\ufffd";
      run = i + 1;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    buf.append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"':
        buf += "\\\"";
        break;
      case '\\':
        buf += "\\\\";
        break;
      case '\n':
        buf += "\\n";
        break;
      case '\r':
        buf += "\\r";
        break;
      case '\t':
        buf += "\\t";
        break;
      default: {
        std::array<char, 8> hex{};
        std::snprintf(hex.data(), hex.size(), "\\u%04x", c);
        buf += hex.data();
      }
    }
  }
  buf.append(s.substr(run));
  buf += '"';
}

}  // namespace

std::string_view site_code(const Hierarchy& h, const rules::Finding& f) {
  return f.site < 0 ? std::string_view("*") : std::string_view(h.sites[f.site].code);
}

void write_check_json(std::ostream& out, const Hierarchy& h, const rules::Report& r) {
  using rules::Gravity;
  std::string buf = "{\"format\": \"smsup-check/1\", \"hierarchy\": ";
  put_string(buf, h.name);
  buf += r.ready() ? ", \"ready\": true,\n \"summary\": {" : ", \"ready\": false,\n \"summary\": {";
  const char* sep = "";
  for (auto s : {Gravity::blocker, Gravity::action, Gravity::warning, Gravity::info}) {
    buf += sep;
    put_string(buf, rules::to_string(s));
    buf += ": " + std::to_string(r.count(s));
    sep = ", ";
  }
  buf += "},\n \"findings\": [";
  sep = "\n  ";
  for (const auto& f : r.findings) {
    buf += sep;
    buf += "{\"rule\": ";
    put_string(buf, f.rule);
    buf += ", \"severity\": ";
    put_string(buf, rules::to_string(f.severity));
    buf += ", \"site\": ";
    put_string(buf, site_code(h, f));
    buf += ", \"object\": ";
    put_string(buf, f.object);
    buf += ", \"message\": ";
    put_string(buf, f.message);
    buf += ", \"remedy\": ";
    put_string(buf, f.remedy);
    buf += ", \"reference\": ";
    put_string(buf, f.reference);
    if (!f.judges.empty()) {  // unknown-fact: the rule it could not judge
      buf += ", \"judges\": ";
      put_string(buf, f.judges);
    }
    buf += '}';
    sep = ",\n  ";
    if (buf.size() > (1u << 16)) {  // write in blocks: no second copy of a large report
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  buf += r.findings.empty() ? "]}\n" : "\n ]}\n";
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

}  // namespace smsup::report
