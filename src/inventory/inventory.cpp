#include "inventory/inventory.h"

#include <openssl/evp.h>

#include <cctype>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "inventory/yaml_reader.h"
#include "util/input_file.h"

namespace smsup::inventory {
namespace {

using schema::Object;

// Every "expected ..." below is the key's row of schema.h (MapReader::expected).
SmsVersion sms_version(MapReader& r, const std::string& key) {
  auto text = r.str(key);
  auto v = parse_sms_version(text);
  if (!v) r.fail(key, fmt::format("unknown SMS version '{}'; expected {}", text, r.expected(key)));
  return *v;
}

Method method(MapReader& r, const std::string& key, Method def) {
  auto text = r.opt_str(key);
  if (!text) return def;
  auto m = parse_method(*text);
  if (!m) {
    r.fail(key, fmt::format("unknown method '{}'; expected {}", *text, r.expected(key)));
  }
  return *m;
}

template <class Bits, class Parse>
uint32_t bit_list(MapReader& r, const std::string& key, Parse parse) {
  const std::string expected = r.expected(key);
  uint32_t out = 0;
  auto list = r.str_list(key);
  for (size_t i = 0; i < list.size(); ++i) {
    auto b = parse(list[i]);
    if (!b) {
      auto n = *r.child(key);
      r.fail_at(n[i], fmt::format("{}[{}]", r.field(key), i),
                fmt::format("unknown value '{}'; expected one of {}", list[i], expected));
    }
    out |= static_cast<uint32_t>(*b);
  }
  return out;
}

// A name a Windows host can have: a NetBIOS name or a DNS name, i.e. labels of
// letters, digits, '-' and '_' (NetBIOS allows it, Microsoft DNS tolerates
// it), 1-63 characters each, not starting or ending with '-', separated by
// dots, 253 characters in all. Everything else (spaces, quotes, ';', '$',
// '`', '<', ...) is refused here, so no inventory value that later appears in
// a command, a path or a page can be anything but a name.
}  // namespace

namespace {

std::string read_host(MapReader& r, const char* key, bool sql_instance) {
  std::string h = r.str(key);
  // SQL Server names: HOST, HOST\INSTANCE (a named instance), HOST,PORT.
  std::string why = sql_instance           ? sql_server_problem(h)
                    : windows_host_name(h) ? ""
                                           : "is not a name a Windows host can have; expected a NetBIOS or DNS name "
                                             "(letters, digits, '-' and '_', dots between labels)";
  if (!why.empty()) r.fail(key, fmt::format("'{}' {}", h, why));
  return h;
}

SiteSystem read_system(const YAML::Node& n, const std::string& file, const std::string& path) {
  MapReader r(n, file, path, Object::system);
  SiteSystem s;
  s.loc = r.loc();
  s.path = path;
  s.host = read_host(r, "host", false);
  s.host_loc = r.value_loc("host");
  auto unknown = [&](const char* key, SystemFact f) {
    if (r.is_unknown(key)) s.unknown |= static_cast<uint32_t>(f);
  };
  unknown("os", SystemFact::os);
  unknown("os_sp", SystemFact::os_sp);
  unknown("edition", SystemFact::edition);
  for (auto [key, fact] : {std::pair{"bits", SystemFact::bits},
                           {"firewall", SystemFact::firewall},
                           {"scw", SystemFact::scw},
                           {"scw_before_role_change", SystemFact::scw_before_role_change},
                           {"sms_client_installed", SystemFact::sms_client_installed},
                           {"service_account", SystemFact::service_account},
                           {"firewall_exceptions", SystemFact::firewall_exceptions},
                           {"dcom_fixed", SystemFact::dcom_fixed}}) {
    unknown(key, fact);
  }
  if (s.unknown_fact(SystemFact::os)) {
    r.opt_str("os");  // unknown: the default stands in, the rules know
    s.unknown |= static_cast<uint32_t>(SystemFact::os_sp) | static_cast<uint32_t>(SystemFact::edition);
  } else {
    auto os = r.str("os");
    auto fam = parse_win_family(os);
    if (!fam) r.fail("os", fmt::format("unknown operating system '{}'; expected {} or ~", os, r.expected("os")));
    s.os.family = *fam;
  }
  s.os.sp = static_cast<int>(r.integer("os_sp", 0));
  if (auto e = r.opt_str("edition")) {
    if (*e == "standard")
      s.edition = Edition::standard;
    else if (*e == "enterprise")
      s.edition = Edition::enterprise;
    else if (*e == "datacenter")
      s.edition = Edition::datacenter;
    else if (*e == "advanced")
      s.edition = Edition::advanced;
    else
      r.fail("edition", fmt::format("unknown edition '{}'; expected {}", *e, r.expected("edition")));
  }
  s.roles = bit_list<Role>(r, "roles", parse_role);
  s.bits = r.boolean("bits", false);
  s.firewall = r.boolean("firewall", false);
  s.scw = r.boolean("scw", false);
  s.scw_before_role_change = r.boolean("scw_before_role_change", false);
  s.sms_client_installed = r.boolean("sms_client_installed", false);
  s.service_account = r.boolean("service_account", true);
  s.firewall_exceptions = bit_list<FirewallException>(r, "firewall_exceptions", parse_firewall_exception);
  s.dcom_fixed = bit_list<DcomFix>(r, "dcom_fixed", parse_dcom_fix);
  r.finish();
  return s;
}

// A console's computer: unknown unless given (older inventories say nothing
// of it), so that check reports "cannot judge" rather than "fine".
void read_console_host_facts(MapReader& r, Console& c) {
  auto mark = [&c](ConsoleFact f) { c.unknown |= static_cast<uint8_t>(f); };
  if (r.is_unknown("os") || !r.has("os")) {
    r.opt_str("os");
    mark(ConsoleFact::os);
    mark(ConsoleFact::os_sp);
  } else {
    auto os = r.str("os");
    auto fam = parse_win_family(os);
    if (!fam) r.fail("os", fmt::format("unknown operating system '{}'; expected {} or ~", os, r.expected("os")));
    c.os.family = *fam;
  }
  if (r.is_unknown("os_sp")) mark(ConsoleFact::os_sp);
  c.os.sp = static_cast<int>(r.integer("os_sp", 0));
  if (r.is_unknown("firewall") || !r.has("firewall")) mark(ConsoleFact::firewall);
  c.firewall = r.boolean("firewall", false);
  bool exceptions_unknown = r.is_unknown("firewall_exceptions");
  if (exceptions_unknown || (!r.has("firewall_exceptions") && c.unknown_fact(ConsoleFact::firewall))) {
    mark(ConsoleFact::firewall_exceptions);
  }
  c.firewall_exceptions = bit_list<FirewallException>(r, "firewall_exceptions", parse_firewall_exception);
}

Database read_database(const YAML::Node& n, const std::string& file, const std::string& path, const std::string& code) {
  MapReader r(n, file, path, Object::database);
  Database d;
  d.loc = r.loc();
  d.server = read_host(r, "server", true);
  d.name = r.opt_str("name").value_or("SMS_" + code);
  for (auto [key, fact] : {std::pair{"sql", DbFact::sql},
                           {"replication", DbFact::replication},
                           {"data_mb", DbFact::data_mb},
                           {"log_mb", DbFact::log_mb},
                           {"free_disk_mb", DbFact::free_disk_mb},
                           {"autogrow", DbFact::autogrow}}) {
    if (r.is_unknown(key)) d.unknown |= static_cast<uint32_t>(fact);
  }
  if (d.unknown_fact(DbFact::sql)) {
    r.opt_str("sql");
  } else {
    auto sql = r.str("sql");
    auto v = parse_sql_version(sql);
    if (!v) r.fail("sql", fmt::format("unknown SQL Server version '{}'; expected {} or ~", sql, r.expected("sql")));
    d.sql = *v;
  }
  d.replication = r.boolean("replication", false);
  d.data_mb = r.integer("data_mb", 0);
  d.log_mb = r.integer("log_mb", 0);
  d.free_disk_mb = r.integer("free_disk_mb", 0);
  d.autogrow = r.boolean("autogrow", true);
  if (auto t = r.child("dbtest")) {
    MapReader tr(*t, file, r.field("dbtest"), Object::dbtest);
    DbTestResult res;
    auto required = [&tr](const std::string& key) {
      int64_t v = tr.integer(key, -1);
      if (v < 0) {
        tr.fail(key, fmt::format("required key is missing; expected {} ({}): {}", tr.spec(key).type, tr.spec(key).unit,
                                 tr.expected(key)));
      }
      return v;
    };
    res.data_mb_after = required("data_mb_after");
    res.log_mb_after = required("log_mb_after");
    tr.finish();
    d.dbtest = res;
  }
  r.finish();
  return d;
}

bool valid_code(const std::string& c) {
  if (c.size() != 3) return false;
  for (char ch : c) {
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))) return false;
  }
  return true;
}

Site read_site(const YAML::Node& n, const std::string& file, const std::string& path, Method def_method) {
  MapReader r(n, file, path, Object::site);
  Site s;
  s.loc = r.loc();
  s.path = path;
  s.code = r.str("code");
  s.code_loc = r.value_loc("code");
  s.parent_loc = r.value_loc("parent");
  if (!valid_code(s.code)) {
    r.fail("code", fmt::format("'{}' is not a site code; expected {}", s.code, r.expected("code")));
  }
  s.name = r.opt_str("name").value_or("");
  for (auto [key, fact] : {std::pair{"security", SiteFact::security},
                           {"advanced_security_ready", SiteFact::advanced_security_ready},
                           {"http_port", SiteFact::http_port},
                           {"client_auth_encryption", SiteFact::client_auth_encryption},
                           {"drw_passed", SiteFact::drw_passed},
                           {"foreign_files", SiteFact::foreign_files},
                           {"consoles", SiteFact::consoles}}) {
    if (r.is_unknown(key)) s.unknown |= static_cast<uint32_t>(fact);
  }
  auto type = r.str("type");
  if (type == "primary")
    s.type = SiteType::primary;
  else if (type == "secondary")
    s.type = SiteType::secondary;
  else
    r.fail("type", fmt::format("unknown site type '{}'; expected {}", type, r.expected("type")));
  s.parent = r.opt_str("parent").value_or("");
  s.version = sms_version(r, "version");
  if (auto sec = r.opt_str("security")) {
    if (*sec == "standard")
      s.security = Security::standard;
    else if (*sec == "advanced")
      s.security = Security::advanced;
    else
      r.fail("security", fmt::format("unknown security mode '{}'; expected {}", *sec, r.expected("security")));
  }
  s.advanced_security_ready = r.boolean("advanced_security_ready", false);
  s.http_port = static_cast<int>(r.integer("http_port", 80));
  s.client_auth_encryption = r.boolean("client_auth_encryption", false);
  s.drw_passed = r.boolean("drw_passed", false);
  if (r.has("method"))
    s.method = method(r, "method", def_method);
  else
    r.opt_str("method");
  s.install_dir = r.opt_str("install_dir").value_or("C:\\SMS");
  s.foreign_files = r.str_list("foreign_files");
  if (auto b = r.opt_str("last_backup")) {
    auto d = parse_date(*b);
    if (!d) r.fail("last_backup", fmt::format("'{}' is not a date; expected {}", *b, r.expected("last_backup")));
    s.last_backup = d;
  }
  if (auto db = r.child("database")) {
    s.database = read_database(*db, file, r.field("database"), s.code);
  }
  auto systems = r.child("systems");
  if (!systems) r.fail("systems", "required key is missing; a site lists its site systems");
  if (!systems->IsSequence()) r.fail("systems", "expected a list of site systems");
  for (size_t i = 0; i < systems->size(); ++i) {
    s.systems.push_back(read_system((*systems)[i], file, fmt::format("{}.systems[{}]", path, i)));
  }
  if (auto consoles = r.child("consoles")) {
    if (!consoles->IsSequence()) r.fail("consoles", "expected a list of consoles");
    for (size_t i = 0; i < consoles->size(); ++i) {
      MapReader cr((*consoles)[i], file, fmt::format("{}.consoles[{}]", path, i), Object::console);
      Console c;
      c.loc = cr.loc();
      c.host = read_host(cr, "host", false);
      c.version = sms_version(cr, "version");
      read_console_host_facts(cr, c);
      cr.finish();
      s.consoles.push_back(std::move(c));
    }
  }
  r.finish();
  return s;
}

std::string read_file(const std::string& path, std::string_view what, std::uint64_t limit) {
  return read_input_file(path, what, limit);
}

std::string sha256_hex(std::string_view a, std::string_view b) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, a.data(), a.size());
  EVP_DigestUpdate(ctx, b.data(), b.size());
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

}  // namespace

namespace {

// The inventory's tree read into a hierarchy (everything but the clients
// CSV, whose name it returns with where that name stands).
struct TreeRead {
  Hierarchy h;
  std::optional<std::string> clients;
  SourceLoc clients_at;
};

TreeRead read_tree(const YAML::Node& root, const std::string& display_name) {
  if (!root.IsMap()) {
    throw InputError({display_name, 1, 1}, "",
                     "expected an smsup inventory (a YAML mapping "
                     "starting with format: smsup-inventory/1)");
  }
  TreeRead t;
  Hierarchy& h = t.h;
  h.source = display_name;
  MapReader r(root, display_name, "", Object::top);
  auto format = r.str("format");
  if (format != "smsup-inventory/1") {
    r.fail("format", fmt::format("'{}' is not a known format; expected smsup-inventory/1", format));
  }
  h.name = r.str("hierarchy");
  h.method = method(r, "method", Method::interactive);
  auto sites = r.child("sites");
  if (!sites) r.fail("sites", "required key is missing; list at least one site");
  if (!sites->IsSequence() || sites->size() == 0) {
    r.fail("sites", "expected a list of at least one site");
  }
  for (size_t i = 0; i < sites->size(); ++i) {
    h.sites.push_back(read_site((*sites)[i], display_name, fmt::format("sites[{}]", i), h.method));
  }
  t.clients = r.opt_str("clients");
  t.clients_at = r.value_loc("clients");
  // Where a collected inventory came from (collect.md): kept, not read.
  if (auto c = r.child("collected"); c && !c->IsMap()) {
    r.fail("collected", "expected a mapping (server, database, time, smsup version)");
  }
  r.finish();
  link(h);
  return t;
}

}  // namespace

Hierarchy load_tree(const YAML::Node& root, const std::string& display_name) { return read_tree(root, display_name).h; }

Hierarchy load_text(std::string_view yaml, const std::string& display_name, const std::string& base_dir) {
  TreeRead t = read_tree(load_one_document(std::string(yaml), display_name, "an smsup inventory"), display_name);
  Hierarchy& h = t.h;
  std::string csv;
  if (t.clients) {
    namespace fs = std::filesystem;
    fs::path p = fs::path(*t.clients).is_absolute() ? fs::path(*t.clients) : fs::path(base_dir) / *t.clients;
    h.clients_source = p.string();
    if (!fs::exists(p)) throw InputError(t.clients_at, "clients", fmt::format("no such file '{}'", p.string()));
    csv = utf8_from_utf16(read_file(p.string(), "a clients CSV", limits::kClientsCsv), p);
    load_clients(h, csv, p.string());
  }
  h.sha256 = sha256_hex(yaml, csv);
  return std::move(t.h);
}

Hierarchy load(const std::string& path) {
  auto text = read_file(path, "an smsup inventory (YAML)", limits::kInventory);
  auto base = std::filesystem::path(path).parent_path().string();
  return load_text(text, path, base.empty() ? "." : base);
}

}  // namespace smsup::inventory
