// The SMS 2003 hierarchy as it stands before the upgrade: plain data, no I/O.
// Loaded by inventory/, read by rules/, plan/ and twin/.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/versions.h"
#include "util/error.h"

namespace smsup {

enum class Method { interactive, update_quiet, update_passive };
std::string_view to_string(Method m);  // "update-quiet"
std::optional<Method> parse_method(std::string_view s);
std::string_view command_of(Method m);  // "Update.exe /quiet"

enum class SiteType { primary, secondary };
enum class Security { standard, advanced };
enum class Edition { standard, enterprise, datacenter, advanced };

// Site system roles, as a bit set.
enum class Role : uint32_t {
  site_server = 1u << 0,
  provider = 1u << 1,
  management_point = 1u << 2,
  reporting_point = 1u << 3,
  server_locator_point = 1u << 4,
  client_access_point = 1u << 5,
  distribution_point = 1u << 6,
  database_server = 1u << 7,
};
std::optional<Role> parse_role(std::string_view s);
std::string_view to_string(Role r);

// Windows Firewall exceptions the checklist names.
enum class FirewallException : uint32_t {
  rc_2701 = 1u << 0,
  rc_2702 = 1u << 1,
  rc_2703 = 1u << 2,
  rc_2704 = 1u << 3,
  helpsvc = 1u << 4,
  tcp_135 = 1u << 5,
  file_printer_sharing = 1u << 6,
  statview = 1u << 7,
  unsecapp = 1u << 8,
};
std::optional<FirewallException> parse_firewall_exception(std::string_view s);
std::string_view to_string(FirewallException e);

// DCOM fixes of the Windows Server 2003 SP1 notes.
enum class DcomFix : uint32_t {
  slp_iusr = 1u << 0,
  rp_reporting_users = 1u << 1,
  sms_admins_remote = 1u << 2,
};
std::optional<DcomFix> parse_dcom_fix(std::string_view s);
std::string_view to_string(DcomFix f);

using Date = std::chrono::sys_days;
std::optional<Date> parse_date(std::string_view s);  // YYYY-MM-DD
std::string to_string(Date d);

// Facts an inventory may give as unknown (`~`), as a collected inventory does
// for what no database holds (shared/spec/collect.md). The field itself keeps
// its default, so that no reader has to change; the rules that need the fact
// check these bits and report unknown-fact instead of judging on a default.
enum class SiteFact : uint32_t {
  security = 1u << 0,
  advanced_security_ready = 1u << 1,
  http_port = 1u << 2,
  client_auth_encryption = 1u << 3,
  drw_passed = 1u << 4,
  foreign_files = 1u << 5,
  consoles = 1u << 6,
};
enum class DbFact : uint32_t {
  sql = 1u << 0,
  replication = 1u << 1,
  data_mb = 1u << 2,
  log_mb = 1u << 3,
  free_disk_mb = 1u << 4,
  autogrow = 1u << 5,
};
enum class SystemFact : uint32_t {
  os = 1u << 0,
  os_sp = 1u << 1,
  edition = 1u << 2,
  bits = 1u << 3,
  firewall = 1u << 4,
  scw = 1u << 5,
  scw_before_role_change = 1u << 6,
  sms_client_installed = 1u << 7,
  service_account = 1u << 8,
  firewall_exceptions = 1u << 9,
  dcom_fixed = 1u << 10,
};
enum class ClientFact : uint8_t {
  autoupgrade_disabled = 1u << 0,
  http_port = 1u << 1,
  firewall = 1u << 2,             // no firewall column, or `~`
  firewall_exceptions = 1u << 3,  // no firewall_exceptions column, or `~`
};
// A console's facts are unknown when absent: older inventories have none.
enum class ConsoleFact : uint8_t {
  os = 1u << 0,
  os_sp = 1u << 1,
  firewall = 1u << 2,
  firewall_exceptions = 1u << 3,
};

// The exceptions the checklist asks for on each subject of its firewall
// section ("Identifying Ports and Services Required If Windows Firewall Is
// Enabled"): every one on a Windows Server 2003 SP1 site system; statview.exe
// (queries), unsecapp.exe and TCP 135 (the console's asynchronous results) on
// a computer running the SMS Administrator console; the remote control ports
// (TCP 2701-2704) and File and Printer Sharing (Client Push Installation) on a
// client computer running Windows Server 2003 SP1.
inline constexpr uint32_t kAllFirewallExceptions = 0x1FFu;
inline constexpr uint32_t kConsoleFirewallExceptions = static_cast<uint32_t>(FirewallException::statview) |
                                                       static_cast<uint32_t>(FirewallException::unsecapp) |
                                                       static_cast<uint32_t>(FirewallException::tcp_135);
inline constexpr uint32_t kRemoteControlExceptions =
    static_cast<uint32_t>(FirewallException::rc_2701) | static_cast<uint32_t>(FirewallException::rc_2702) |
    static_cast<uint32_t>(FirewallException::rc_2703) | static_cast<uint32_t>(FirewallException::rc_2704);
inline constexpr uint32_t kClientFirewallExceptions =
    kRemoteControlExceptions | static_cast<uint32_t>(FirewallException::file_printer_sharing);
// Windows Firewall as the checklist speaks of it: Windows Server 2003 SP1 or later.
inline bool w2003_sp1(const WinVersion& os) { return os.family == WinFamily::w2003 && os.sp >= 1; }

struct DbTestResult {
  int64_t data_mb_after = 0;
  int64_t log_mb_after = 0;
};

struct Database {
  std::string server;
  std::string name;  // default SMS_<code>
  SqlVersion sql;
  bool replication = false;
  int64_t data_mb = 0;
  int64_t log_mb = 0;
  int64_t free_disk_mb = 0;
  bool autogrow = true;
  std::optional<DbTestResult> dbtest;
  uint32_t unknown = 0;  // DbFact bits
  SourceLoc loc;

  bool unknown_fact(DbFact f) const { return (unknown & static_cast<uint32_t>(f)) != 0; }
};

struct SiteSystem {
  std::string host;
  WinVersion os;
  Edition edition = Edition::standard;
  uint32_t roles = 0;  // Role bits
  bool bits = false;
  bool firewall = false;
  bool scw = false;
  bool scw_before_role_change = false;
  bool sms_client_installed = false;
  bool service_account = true;
  uint32_t firewall_exceptions = 0;  // FirewallException bits
  uint32_t dcom_fixed = 0;           // DcomFix bits
  uint32_t unknown = 0;              // SystemFact bits
  SourceLoc loc;                     // the system's mapping
  SourceLoc host_loc;                // its host: value
  std::string path;                  // key path, "sites[2].systems[0]"

  bool has(Role r) const { return (roles & static_cast<uint32_t>(r)) != 0; }
  bool has(FirewallException e) const { return (firewall_exceptions & static_cast<uint32_t>(e)) != 0; }
  bool has(DcomFix f) const { return (dcom_fixed & static_cast<uint32_t>(f)) != 0; }
  bool unknown_fact(SystemFact f) const { return (unknown & static_cast<uint32_t>(f)) != 0; }
};

struct Console {
  std::string host;
  SmsVersion version;
  WinVersion os;                     // unknown (ConsoleFact::os) unless given
  bool firewall = false;             // unknown unless given
  uint32_t firewall_exceptions = 0;  // FirewallException bits; unknown unless given
  uint8_t unknown = 0;               // ConsoleFact bits
  SourceLoc loc;

  bool has(FirewallException e) const { return (firewall_exceptions & static_cast<uint32_t>(e)) != 0; }
  bool unknown_fact(ConsoleFact f) const { return (unknown & static_cast<uint8_t>(f)) != 0; }
};

// A site backup older than this many days when the upgrade begins is stale:
// the checklist backs every site up right before its upgrade, and a restore
// from an older backup loses what changed since (the rule backup-stale, and
// the twin's verdict).
inline constexpr int kBackupMaxAgeDays = 7;

struct Site {
  std::string code;
  std::string name;
  SiteType type = SiteType::primary;
  std::string parent;  // empty for the central site
  SmsVersion version;
  Security security = Security::standard;
  bool advanced_security_ready = false;
  int http_port = 80;
  bool client_auth_encryption = false;
  bool drw_passed = false;
  std::optional<Method> method;  // overrides the hierarchy's method
  std::string install_dir = "C:\\SMS";
  std::vector<std::string> foreign_files;
  std::optional<Date> last_backup;   // stale after kBackupMaxAgeDays
  std::optional<Database> database;  // primary sites only
  std::vector<SiteSystem> systems;
  std::vector<Console> consoles;
  uint32_t unknown = 0;  // SiteFact bits
  SourceLoc loc;         // the site's mapping
  SourceLoc code_loc;    // its code: value
  SourceLoc parent_loc;  // its parent: value (or the mapping)
  std::string path;      // key path, "sites[2]"

  // Filled by the loader after validation.
  int parent_index = -1;
  std::vector<int> children;
  int depth = 0;

  bool is_central() const { return parent_index < 0; }
  bool is_primary() const { return type == SiteType::primary; }
  bool unknown_fact(SiteFact f) const { return (unknown & static_cast<uint32_t>(f)) != 0; }
  // The host with role site_server (validated to exist).
  const SiteSystem& site_server() const;
};

enum class ClientKind : uint8_t { legacy, advanced };
enum class Arch : uint8_t { x86, x64 };

struct Client {
  std::string name;
  int site = -1;  // index into Hierarchy::sites
  ClientKind kind = ClientKind::advanced;
  WinVersion os;
  Arch arch = Arch::x86;
  uint8_t unknown = 0;  // ClientFact bits
  int ie_tenths = -1;   // IE 5.5 -> 55; -1 unknown
  SmsLevel version = SmsLevel::sp1;
  bool autoupgrade_disabled = false;
  int reassign_to = -1;  // site index, -1 none
  int http_port = 80;
  int line = 0;                      // CSV line
  bool firewall = false;             // Windows Firewall on (ClientFact::firewall when unknown)
  uint16_t firewall_exceptions = 0;  // FirewallException bits

  bool has(FirewallException e) const { return (firewall_exceptions & static_cast<uint32_t>(e)) != 0; }
  bool unknown_fact(ClientFact f) const { return (unknown & static_cast<uint8_t>(f)) != 0; }
};

struct Hierarchy {
  std::string name;
  Method method = Method::interactive;
  std::vector<Site> sites;  // in file order
  std::vector<Client> clients;
  std::string source;          // the inventory file
  std::string clients_source;  // the clients CSV, if any
  std::string sha256;          // digest of the YAML and the CSV bytes

  // Derived by the loader.
  int central = -1;
  std::vector<int> top_down;  // site indices, parents before children (BFS)

  Method method_of(const Site& s) const { return s.method.value_or(method); }
  int find_site(std::string_view code) const;
  int64_t clients_of(int site) const;
};

}  // namespace smsup
