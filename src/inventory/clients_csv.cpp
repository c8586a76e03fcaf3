// The clients CSV (inventory.md "Clients CSV"). Hand-written because a million
// rows must load in a fraction of a second with exact line numbers in errors,
// and the format is a fixed, flat RFC 4180 subset: no CSV library in Debian
// gives both (libcsv has no line tracking and costs a callback per field).
#include <array>
#include <charconv>
#include <deque>
#include <fmt/format.h>
#include <algorithm>
#include <functional>

#include "inventory/inventory.h"
#include "inventory/schema.h"

namespace smsup::inventory {
namespace {

// The columns are the table's (schema.h, Object::client); this enum only
// names where each is parsed below, and the static_asserts hold the two equal.
enum Col {
  kName,
  kSite,
  kKind,
  kOs,
  kOsSp,
  kArch,
  kIe,
  kVersion,
  kAutoDisabled,
  kReassign,
  kHttpPort,
  kFirewall,
  kFirewallExceptions,
  kColCount
};
constexpr std::array<std::string_view, kColCount> kColNames{"name",
                                                            "site",
                                                            "kind",
                                                            "os",
                                                            "os_sp",
                                                            "arch",
                                                            "ie",
                                                            "client_version",
                                                            "autoupgrade_disabled",
                                                            "reassign_to",
                                                            "http_port",
                                                            "firewall",
                                                            "firewall_exceptions"};

constexpr const schema::Key& column(Col c) { return *schema::find(schema::Object::client, kColNames[c]); }

constexpr bool columns_are_the_tables() {
  size_t in_table = 0;
  for (const auto& k : schema::kKeys) in_table += k.object == schema::Object::client ? 1 : 0;
  for (auto name : kColNames) {
    if (!schema::has(schema::Object::client, name)) return false;
  }
  return in_table == kColCount;
}
static_assert(columns_are_the_tables(), "the clients CSV's columns must be the rows of schema.h");
// Ranges, found at compile time: the loop below runs a million times.
constexpr std::int64_t kOsSpMin = column(kOsSp).min, kOsSpMax = column(kOsSp).max;
constexpr std::int64_t kPortMin = column(kHttpPort).min, kPortMax = column(kHttpPort).max;

std::string expected(Col c) { return std::string(column(c).allowed); }

std::string column_list() {
  std::string out;
  for (const auto& k : schema::keys()) {
    if (k.object != schema::Object::client) continue;
    if (!out.empty()) out += ", ";
    out += k.name;
  }
  return out;
}

// Splits records; handles quoted fields ("a,b", "a""b"), which may span lines.
class Splitter {
 public:
  explicit Splitter(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  int line() const { return line_; }

  // Fields of the next record: views into the text, or into quoted_ for
  // quoted fields; valid until the next call.
  bool next(std::vector<std::string_view>& fields, std::string& error) {
    fields.clear();
    quoted_.clear();
    ++line_;
    record_line_ = line_;
    while (true) {
      if (pos_ < text_.size() && text_[pos_] == '"') {
        if (!quoted(fields, error)) return false;
      } else {
        size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') ++pos_;
        size_t end = pos_;
        if (end > start && text_[end - 1] == '\r' && (pos_ == text_.size() || text_[pos_] == '\n')) {
          --end;
        }
        fields.push_back(text_.substr(start, end - start));
      }
      if (pos_ >= text_.size()) return true;
      if (text_[pos_] == '\n') {
        ++pos_;
        return true;
      }
      ++pos_;  // comma
    }
  }
  int record_line() const { return record_line_; }

 private:
  bool quoted(std::vector<std::string_view>& fields, std::string& error) {
    ++pos_;
    auto& out = quoted_.emplace_back();
    while (true) {
      if (pos_ >= text_.size()) {
        error = "a quoted field is not closed";
        return false;
      }
      char c = text_[pos_++];
      if (c == '"') {
        if (pos_ < text_.size() && text_[pos_] == '"') {
          out.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (c == '\n') ++line_;
      out.push_back(c);
    }
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') {
      error = "unexpected text after a closing quote";
      return false;
    }
    fields.push_back(out);
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 0;
  int record_line_ = 0;
  std::deque<std::string> quoted_;  // unquoted copies; a deque never moves them
};

uint32_t pack_code(std::string_view c) {
  auto v = [](char ch) -> uint32_t {
    if (ch >= 'A' && ch <= 'Z') return static_cast<uint32_t>(ch - 'A');
    if (ch >= '0' && ch <= '9') return static_cast<uint32_t>(26 + ch - '0');
    return 99;
  };
  if (c.size() != 3) return UINT32_MAX;
  uint32_t a = v(c[0]), b = v(c[1]), d = v(c[2]);
  if (a > 35 || b > 35 || d > 35) return UINT32_MAX;
  return (a * 36 + b) * 36 + d;
}

template <class T>
bool parse_num(std::string_view s, T& out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Names must be unique. Sorting (hash, index) pairs beats a node-based hash
// set by a wide margin at a million rows (no allocation per name, no cache
// miss per insert). The later of two equal names is the one refused.
void refuse_duplicate_names(const std::vector<Client>& clients, const std::string& file) {
  std::vector<std::pair<uint64_t, uint32_t>> keys(clients.size());
  std::hash<std::string> hash;
  for (size_t i = 0; i < clients.size(); ++i) {
    keys[i] = {hash(clients[i].name), static_cast<uint32_t>(i)};
  }
  std::sort(keys.begin(), keys.end());
  size_t worst = SIZE_MAX;
  for (size_t i = 1; i < keys.size(); ++i) {
    if (keys[i].first != keys[i - 1].first) continue;
    // Equal hashes: compare every earlier name of this run of equal hashes.
    for (size_t j = i; j-- > 0 && keys[j].first == keys[i].first;) {
      if (clients[keys[j].second].name == clients[keys[i].second].name) {
        size_t later = std::max(keys[i].second, keys[j].second);
        worst = std::min(worst, later);
      }
    }
  }
  if (worst != SIZE_MAX) {
    const auto& c = clients[worst];
    throw InputError({file, c.line, 0}, "name",
                     fmt::format("client '{}' appears twice; expected unique names", c.name));
  }
}

}  // namespace

void load_clients(Hierarchy& h, std::string_view csv, const std::string& display_name) {
  if (csv.starts_with("\xEF\xBB\xBF")) csv.remove_prefix(3);
  std::vector<int> site_of(36 * 36 * 36, -1);
  for (size_t i = 0; i < h.sites.size(); ++i) {
    site_of[pack_code(h.sites[i].code)] = static_cast<int>(i);
  }
  Splitter split(csv);
  std::vector<std::string_view> f;
  std::string err;
  std::array<int, kColCount> idx;
  idx.fill(-1);
  // The column (in bytes from the start of its line) where the named field of
  // the current record begins, when it lies in the file's text; else 0.
  auto column_of = [&](std::string_view field) -> int {
    for (size_t c = 0; c < kColCount; ++c) {
      if (kColNames[c] != field || idx[c] < 0 || static_cast<size_t>(idx[c]) >= f.size()) continue;
      const char* at = f[static_cast<size_t>(idx[c])].data();
      if (at < csv.data() || at > csv.data() + csv.size()) return 0;
      auto pos = static_cast<size_t>(at - csv.data());
      auto nl = pos == 0 ? std::string_view::npos : csv.rfind('\n', pos - 1);
      return static_cast<int>(pos - (nl == std::string_view::npos ? 0 : nl + 1)) + 1;
    }
    return 0;
  };
  auto fail = [&](int line, std::string_view field, const std::string& msg) -> void {
    throw InputError({display_name, line, column_of(field)}, std::string(field), msg);
  };
  if (split.done() || !split.next(f, err)) {
    fail(1, "", err.empty() ? "empty file; expected a header row naming the columns" : err);
  }
  for (size_t i = 0; i < f.size(); ++i) {
    bool known = false;
    for (size_t c = 0; c < kColCount; ++c) {
      if (f[i] == kColNames[c]) {
        if (idx[c] >= 0) fail(1, f[i], "column appears twice in the header");
        idx[c] = static_cast<int>(i);
        known = true;
      }
    }
    if (!known) {
      fail(1, f[i], "unknown column; expected " + column_list());
    }
  }
  for (size_t c = 0; c < kColCount; ++c) {
    if (column(static_cast<Col>(c)).required && idx[c] < 0) fail(1, kColNames[c], "required column is missing");
  }

  size_t columns = 0;
  for (int i : idx) columns += i >= 0 ? 1 : 0;
  h.clients.clear();
  h.clients.reserve(csv.size() / 32);
  while (!split.done()) {
    if (!split.next(f, err)) fail(split.record_line(), "", err);
    int line = split.record_line();
    if (f.size() == 1 && f[0].empty()) continue;  // blank line
    if (f.size() != columns) {
      fail(line, "", fmt::format("{} fields; expected one per header column", f.size()));
    }
    auto get = [&](Col c) -> std::string_view { return idx[c] < 0 ? std::string_view{} : f[idx[c]]; };
    Client cl;
    cl.line = line;
    auto name = get(kName);
    if (name.empty()) fail(line, "name", "empty; expected a computer name");
    if (!windows_host_name(name)) {
      fail(line, "name",
           fmt::format("'{}' is not a name a Windows computer can have; expected a "
                       "NetBIOS or DNS name",
                       name));
    }
    cl.name = std::string(name);
    auto site = get(kSite);
    uint32_t key = pack_code(site);
    cl.site = key == UINT32_MAX ? -1 : site_of[key];
    if (cl.site < 0) fail(line, "site", fmt::format("no site with code '{}'", site));
    auto kind = get(kKind);
    if (kind == "legacy")
      cl.kind = ClientKind::legacy;
    else if (kind == "advanced")
      cl.kind = ClientKind::advanced;
    else
      fail(line, "kind", fmt::format("unknown client kind '{}'; expected {}", kind, expected(kKind)));
    if (cl.kind == ClientKind::advanced && !h.sites[cl.site].is_primary()) {
      fail(line, "site",
           fmt::format("advanced client '{}' is assigned to secondary site {}; "
                       "advanced clients are assigned to primary sites only",
                       name, site));
    }
    auto os = parse_win_family(get(kOs));
    if (!os) {
      fail(line, "os", fmt::format("unknown operating system '{}'; expected {}", get(kOs), expected(kOs)));
    }
    cl.os.family = *os;
    if (auto sp = get(kOsSp); !sp.empty()) {
      if (!parse_num(sp, cl.os.sp) || cl.os.sp < kOsSpMin || cl.os.sp > kOsSpMax) {
        fail(line, "os_sp", fmt::format("'{}' is not a service pack number; expected {}", sp, expected(kOsSp)));
      }
    }
    if (auto a = get(kArch); a == "x64")
      cl.arch = Arch::x64;
    else if (!a.empty() && a != "x86")
      fail(line, "arch", fmt::format("unknown architecture '{}'; expected {}", a, expected(kArch)));
    if (auto ie = get(kIe); !ie.empty()) {
      int major = 0, minor = 0;
      auto dot = ie.find('.');
      bool ok = parse_num(ie.substr(0, dot), major) &&
                (dot == std::string_view::npos || parse_num(ie.substr(dot + 1, 1), minor));
      if (!ok || major < 1 || major > 20) {
        fail(line, "ie", fmt::format("'{}' is not an Internet Explorer version; expected {}", ie, expected(kIe)));
      }
      cl.ie_tenths = major * 10 + minor;
    }
    auto ver = parse_sms_version(get(kVersion));
    if (!ver)
      fail(line, "client_version",
           fmt::format("unknown client version '{}'; expected {}", get(kVersion), expected(kVersion)));
    cl.version = ver->level;
    // ~: unknown (a collected inventory: no database holds it).
    if (auto d = get(kAutoDisabled); d == "~")
      cl.unknown |= static_cast<uint8_t>(ClientFact::autoupgrade_disabled);
    else if (d == "true")
      cl.autoupgrade_disabled = true;
    else if (!d.empty() && d != "false")
      fail(line, "autoupgrade_disabled", fmt::format("'{}' is not a boolean; expected {}", d, expected(kAutoDisabled)));
    if (auto r = get(kReassign); !r.empty()) {
      uint32_t rk = pack_code(r);
      cl.reassign_to = rk == UINT32_MAX ? -1 : site_of[rk];
      if (cl.reassign_to < 0) fail(line, "reassign_to", fmt::format("no site with code '{}'", r));
    }
    if (auto p = get(kHttpPort); p == "~") {
      cl.unknown |= static_cast<uint8_t>(ClientFact::http_port);
    } else if (!p.empty()) {
      if (!parse_num(p, cl.http_port) || cl.http_port < kPortMin || cl.http_port > kPortMax) {
        fail(line, "http_port", fmt::format("'{}' is not a port; expected {}", p, expected(kHttpPort)));
      }
    }
    // Unknown without the column, or `~`: check says "cannot judge" for a
    // client the firewall rule applies to.
    if (auto fw = get(kFirewall); idx[kFirewall] < 0 || fw.empty() || fw == "~") {
      cl.unknown |= static_cast<uint8_t>(ClientFact::firewall);
    } else if (fw == "true") {
      cl.firewall = true;
    } else if (fw != "false") {
      fail(line, "firewall", fmt::format("'{}' is not a boolean; expected {}", fw, expected(kFirewall)));
    }
    if (auto ex = get(kFirewallExceptions); idx[kFirewallExceptions] < 0 || ex == "~") {
      cl.unknown |= static_cast<uint8_t>(ClientFact::firewall_exceptions);
    } else {
      size_t at = 0;
      while (at < ex.size()) {
        size_t end = ex.find_first_of("; ", at);
        if (end == std::string_view::npos) end = ex.size();
        if (end > at) {
          auto e = parse_firewall_exception(ex.substr(at, end - at));
          if (!e) {
            fail(line, "firewall_exceptions",
                 fmt::format("unknown exception '{}'; expected {}", ex.substr(at, end - at),
                             expected(kFirewallExceptions)));
          }
          cl.firewall_exceptions = static_cast<uint16_t>(cl.firewall_exceptions | static_cast<uint32_t>(*e));
        }
        at = end + 1;
      }
    }
    h.clients.push_back(std::move(cl));
  }
  refuse_duplicate_names(h.clients, display_name);
}

}  // namespace smsup::inventory
