// Every key of the inventory (docs/inventory.md), as one table: the YAML
// keys of each mapping and the clients CSV's columns, with type, unit,
// whether required, default, allowed values and what each is for.
//
// The reader owns this table: MapReader (yaml_reader.h) refuses a key that is
// not in it (suggesting the nearest one that is), takes the "expected ..."
// of its refusals and the ranges of whole numbers from it, and stops with a
// logic error when it reads a key the table lacks or the table holds a key it
// does not read; the clients CSV takes its columns and required columns from
// it. `smsup inventory schema` prints it, and tests/inventory/schema_test.cpp
// holds docs/inventory.md to it. There is no second list.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace smsup::inventory::schema {

// The mapping (or CSV) a key belongs to.
enum class Object : std::uint8_t { top, site, database, dbtest, system, console, client };

struct Key {
  Object object;
  std::string_view name;
  std::string_view type;  // text, boolean, whole number, site code, host name, date, list, mapping, path
  std::string_view unit;  // "MB", or empty
  bool required;
  std::string_view def;      // the default when absent (empty when required)
  std::string_view allowed;  // the values, as refusals say them ("expected ...")
  bool unknown;              // `~` marks the fact unknown (docs/inventory.md, "Unknown facts")
  std::string_view meaning;  // one line: what it is for
  std::int64_t min = 0;      // whole numbers: the range
  std::int64_t max = 0;
};

inline constexpr std::int64_t kMaxMb = std::int64_t{1} << 40;

inline constexpr std::string_view kSmsVersions = "sms20, rtm, sp1, sp2 or a build like 2.50.3174.1018";
inline constexpr std::string_view kWindows = "win95, win98, winme, nt4, w2000, xp, w2003, vista, longhorn or vs2005";
inline constexpr std::string_view kMethods = "interactive, update-quiet or update-passive";
inline constexpr std::string_view kBoolean = "true or false";
inline constexpr std::string_view kFirewallExceptions =
    "rc-2701, rc-2702, rc-2703, rc-2704, helpsvc, tcp-135, file-printer-sharing, statview, unsecapp";

// clang-format off
inline constexpr Key kKeys[] = {
  // Top level.
  {Object::top, "format", "text", "", true, "", "smsup-inventory/1", false,
   "the version of this contract"},
  {Object::top, "hierarchy", "text", "", true, "", "any text", false,
   "the hierarchy's name in reports and plans"},
  {Object::top, "method", "text", "", false, "interactive", kMethods, false,
   "how primary sites run SP2 setup (a site may override it)"},
  {Object::top, "clients", "path", "", false, "none (no clients)",
   "a CSV file, relative to the YAML file's folder or absolute", false,
   "the clients CSV (columns below)"},
  {Object::top, "sites", "list", "", true, "", "a list of at least one site", false,
   "the sites, in any order"},
  {Object::top, "collected", "mapping", "", false, "none", "a mapping written by inventory collect", false,
   "where a collected inventory came from; kept for people, not read"},
  {Object::top, "extra", "mapping", "", false, "none", "anything", false, "your notes; not read"},

  // A site (sites[]).
  {Object::site, "code", "site code", "", true, "", "3 characters A-Z or 0-9, unique", false,
   "the site; step ids such as CEN/upgrade"},
  {Object::site, "name", "text", "", false, "empty", "any text", false, "the site's name in reports and the runbook"},
  {Object::site, "type", "text", "", true, "", "primary or secondary", false,
   "a primary has a site database and may have children; a secondary has neither"},
  {Object::site, "parent", "site code", "", false, "~ (the central site)", "the code of another site, or ~", false,
   "the parent site; ~ or absent marks the one central site"},
  {Object::site, "version", "text", "", true, "", kSmsVersions, false,
   "the SMS version the site starts from"},
  {Object::site, "security", "text", "", false, "standard", "standard or advanced", true,
   "the site's security mode (advanced-security-offer)"},
  {Object::site, "advanced_security_ready", "boolean", "", false, "false", kBoolean, true,
   "the site meets the advanced security requirements: setup offers the migration"},
  {Object::site, "http_port", "whole number", "", false, "80", "1 to 65535", true,
   "the site's HTTP port (http-port-mismatch)", 1, 65535},
  {Object::site, "client_auth_encryption", "boolean", "", false, "false", kBoolean, true,
   "the site requires client authentication and data encryption (auth-reassign)"},
  {Object::site, "drw_passed", "boolean", "", false, "false", kBoolean, true,
   "the SP2 Deployment Readiness Wizard ran on the site with no errors"},
  {Object::site, "method", "text", "", false, "the top-level method (primary), none (secondary)", kMethods, false,
   "this site's upgrade method"},
  {Object::site, "install_dir", "Windows path", "", false, "C:\\SMS", "any path", false,
   "where SMS is installed: the runbook, {install_dir} in HOSTS.yaml, the logs verify reads"},
  {Object::site, "foreign_files", "list of text", "", false, "[]", "paths", true,
   "non-SMS files inside install_dir, which setup deletes (foreign-files)"},
  {Object::site, "last_backup", "date", "", false, "~ (none)", "YYYY-MM-DD or ~", false,
   "the last Backup SMS Site Server run (backup-stale)"},
  {Object::site, "database", "mapping", "", false, "required for a primary, refused for a secondary",
   "a site database mapping", false, "the site database (keys below)"},
  {Object::site, "systems", "list", "", true, "", "site systems, exactly one with role site_server", false,
   "the site's servers (keys below)"},
  {Object::site, "consoles", "list", "", false, "[]", "consoles", true,
   "remote SMS Administrator consoles (console-version)"},
  {Object::site, "extra", "mapping", "", false, "none", "anything", false, "your notes; not read"},

  // A site database (sites[].database).
  {Object::database, "server", "host name", "", true, "", "HOST, HOST\\INSTANCE or HOST,PORT", false,
   "where the database lives; the object of the database rules"},
  {Object::database, "name", "text", "", false, "SMS_<code>", "the database name", false,
   "{db} in HOSTS.yaml; the /testdbupgrade command line"},
  {Object::database, "sql", "text", "", true, "",
   "sql65, sql7-spN, 2000, 2000-sp1, 2000-sp2, 2000-sp3, 2000-sp3a, 2000-sp4, 2005 or 2005-spN", true,
   "the SQL Server version (sql-version)"},
  {Object::database, "replication", "boolean", "", false, "false", kBoolean, true,
   "the database is published for SQL Server replication (sql-replication)"},
  {Object::database, "data_mb", "whole number", "MB", false, "0", "0 to 1099511627776", true,
   "size of the data file(s): the growth estimate, step estimates", 0, kMaxMb},
  {Object::database, "log_mb", "whole number", "MB", false, "0", "0 to 1099511627776", true,
   "size of the log file(s)", 0, kMaxMb},
  {Object::database, "free_disk_mb", "whole number", "MB", false, "0", "0 to 1099511627776", true,
   "free disk on the volume(s) of data and log (db-disk-space); give it", 0, kMaxMb},
  {Object::database, "autogrow", "boolean", "", false, "true", kBoolean, true,
   "the files autogrow (db-autogrow-off)"},
  {Object::database, "dbtest", "mapping", "", false, "none", "data_mb_after and log_mb_after", false,
   "the result of a database upgrade test on a copy (smsup dbtest prints it)"},
  {Object::database, "extra", "mapping", "", false, "none", "anything", false, "your notes; not read"},

  // A database upgrade test's result (sites[].database.dbtest).
  {Object::dbtest, "data_mb_after", "whole number", "MB", true, "", "0 to 1099511627776", false,
   "the data file(s) after the test upgrade", 0, kMaxMb},
  {Object::dbtest, "log_mb_after", "whole number", "MB", true, "", "0 to 1099511627776", false,
   "the log file(s) after the test upgrade", 0, kMaxMb},

  // A site system (sites[].systems[]).
  {Object::system, "host", "host name", "", true, "", "a NetBIOS or DNS name, unique among site systems", false,
   "the server; step ids, {host} in HOSTS.yaml"},
  {Object::system, "os", "text", "", true, "", kWindows, true,
   "the operating system (site-system-os); ~ makes os_sp and edition unknown too"},
  {Object::system, "os_sp", "whole number", "", false, "0", "0 to 9", true,
   "the service pack", 0, 9},
  {Object::system, "edition", "text", "", false, "standard", "standard, enterprise, datacenter or advanced", true,
   "the Windows edition; recorded, no rule depends on it"},
  {Object::system, "roles", "list", "", false, "[]",
   "site_server, provider, management_point, reporting_point, server_locator_point, client_access_point, "
   "distribution_point, database_server", false,
   "the host's roles: which rules apply; one site_server per site"},
  {Object::system, "bits", "boolean", "", false, "false", kBoolean, true,
   "a BITS-enabled distribution point (scw-bits-dp)"},
  {Object::system, "firewall", "boolean", "", false, "false", kBoolean, true,
   "Windows Firewall is on (firewall-exceptions)"},
  {Object::system, "scw", "boolean", "", false, "false", kBoolean, true,
   "a Security Configuration Wizard policy was applied (the scw-* rules)"},
  {Object::system, "scw_before_role_change", "boolean", "", false, "false", kBoolean, true,
   "roles changed after the SCW policy (scw-rerun)"},
  {Object::system, "sms_client_installed", "boolean", "", false, "false", kBoolean, true,
   "an SMS client was installed before the management point role (mp-client-first)"},
  {Object::system, "service_account", "boolean", "", false, "true", kBoolean, true,
   "SMS runs under a service account; false: the computer account (remote-mp-997)"},
  {Object::system, "firewall_exceptions", "list", "", false, "[]", kFirewallExceptions, true,
   "firewall exceptions already present"},
  {Object::system, "dcom_fixed", "list", "", false, "[]", "slp-iusr, rp-reporting-users, sms-admins-remote", true,
   "DCOM fixes already applied (dcom-slp, dcom-rp, dcom-sms-admins)"},
  {Object::system, "extra", "mapping", "", false, "none", "anything", false, "your notes; not read"},

  // A remote console (sites[].consoles[]).
  {Object::console, "host", "host name", "", true, "", "a NetBIOS or DNS name", false,
   "where the console runs; step id SITE/console-upgrade/HOST"},
  {Object::console, "version", "text", "", true, "", kSmsVersions, false,
   "the console's SMS version (console-version)"},
  {Object::console, "os", "text", "", false, "~ (unknown)", kWindows, true,
   "the computer's operating system: on Windows Server 2003 SP1, firewall-exceptions judges its firewall"},
  {Object::console, "os_sp", "whole number", "", false, "0 with os, ~ without", "0 to 9", true,
   "the service pack", 0, 9},
  {Object::console, "firewall", "boolean", "", false, "~ (unknown)", kBoolean, true,
   "Windows Firewall is on (firewall-exceptions: statview.exe, unsecapp.exe, TCP 135)"},
  {Object::console, "firewall_exceptions", "list", "", false, "[] with firewall, ~ without", kFirewallExceptions,
   true, "firewall exceptions already present"},
  {Object::console, "extra", "mapping", "", false, "none", "anything", false, "your notes; not read"},

  // The clients CSV: its columns.
  {Object::client, "name", "host name", "", true, "", "a computer name, unique", false,
   "the client; the object of its findings"},
  {Object::client, "site", "site code", "", true, "", "the code of a site of the YAML", false,
   "the assigned site; Advanced Clients only on primaries"},
  {Object::client, "kind", "text", "", true, "", "legacy or advanced", false,
   "which client rules apply; who upgrades by itself and who is pushed"},
  {Object::client, "os", "text", "", true, "", kWindows, false,
   "the operating system (advclient-os, legacy-on-nt5, ...)"},
  {Object::client, "os_sp", "whole number", "", false, "0", "0 to 9", false, "the service pack", 0, 9},
  {Object::client, "arch", "text", "", false, "x86", "x86 or x64", false, "recorded; no rule depends on it"},
  {Object::client, "ie", "version", "", false, "unknown", "like 5.5 or 6.0", false,
   "Internet Explorer version (legacy-win98-ie)"},
  {Object::client, "client_version", "text", "", true, "", "sms20, rtm, sp1 or sp2", false,
   "the client's SMS version"},
  {Object::client, "autoupgrade_disabled", "boolean", "", false, "false", "true, false or empty", true,
   "cliupgrade /disable was run on a Legacy Client"},
  {Object::client, "reassign_to", "site code", "", false, "not moving", "a site code", false,
   "the site the client is planned to move to (auth-reassign)"},
  {Object::client, "http_port", "whole number", "", false, "80", "1 to 65535", true,
   "the port an Advanced Client uses (http-port-mismatch)", 1, 65535},
  {Object::client, "firewall", "boolean", "", false, "~ (unknown)", "true, false, ~ or empty (unknown)", true,
   "Windows Firewall is on: on Windows Server 2003 SP1, firewall-exceptions (remote control, Client Push)"},
  {Object::client, "firewall_exceptions", "list", "", false, "~ without the column; empty: none",
   "rc-2701, rc-2702, rc-2703, rc-2704, helpsvc, tcp-135, file-printer-sharing, statview, unsecapp "
   "(separated by ';' or spaces), or ~", true,
   "firewall exceptions already present"},
};
// clang-format on

// Every key, in the order of the table.
inline constexpr std::span<const Key> keys() { return kKeys; }

// The key `name` of `object`, or nullptr.
constexpr const Key* find(Object object, std::string_view name) {
  for (const auto& k : kKeys) {
    if (k.object == object && k.name == name) return &k;
  }
  return nullptr;
}

// Whether `object` has the key `name`. For compile-time checks: comparing
// find()'s pointer with nullptr is not a constant expression under
// -fsanitize=address (make test-sanitize).
constexpr bool has(Object object, std::string_view name) {
  for (const auto& k : kKeys) {
    if (k.object == object && k.name == name) return true;
  }
  return false;
}

// "sites[]", "sites[].systems[]", ...: where keys of `object` stand.
std::string_view object_path(Object object);
// What an object is called in prose ("site system", "clients CSV").
std::string_view object_name(Object object);
// A key's full path: "sites[].code", "format", "clients[].kind" (the CSV).
std::string path_of(const Key& key);

}  // namespace smsup::inventory::schema
