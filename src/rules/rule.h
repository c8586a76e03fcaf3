// How a rule is written: one function per rule, and one table row next to it
// with the rule's id, severity, checklist section and what it checks. Each rule file ends with
// its table; evaluate.cpp (rule_catalog) chains the tables in the spec's order.
#pragma once

#include <span>
#include <string>
#include <variant>
#include <vector>

#include "rules/finding.h"

namespace smsup::rules {

// Checklist section titles (shared/seed/000_45f6a120af3282bb.txt), the
// `reference` of every finding.
namespace section {
inline constexpr std::string_view kChecklist = "SMS 2003 SP2 Upgrade Checklist";
inline constexpr std::string_view kPreparing = "Preparing to Upgrade to SMS 2003 SP2";
inline constexpr std::string_view kPrerequisites = "Ensure Your Site Meets All Support Prerequisites";
inline constexpr std::string_view kReadiness = "Determine Readiness for SMS 2003 SP2 Upgrade";
inline constexpr std::string_view kReplication = "Disable SQL Replication of the SMS Site Database If You Enabled It";
inline constexpr std::string_view kDbTest = "Test the Database Upgrade Process";
inline constexpr std::string_view kUpgradeSite = "Upgrading the SMS 2003 Site to SP2";
inline constexpr std::string_view kSecondaries = "Upgrade Secondary Sites to SMS 2003 SP2";
inline constexpr std::string_view kAdvancedSecurity = "Advanced Security Implementation";
inline constexpr std::string_view kItmu = "Inventory Tool for Microsoft Updates";
inline constexpr std::string_view kAdvClientSupport = "Platform Changes in SP2: Advanced Client Support";
inline constexpr std::string_view kLegacySupport = "Platform Changes in SP2: Legacy Client Support";
inline constexpr std::string_view kLegacyClients = "Upgrading Legacy Clients";
inline constexpr std::string_view kDcom = "Resetting the DCOM permissions to pre- Windows Server 2003 SP1 levels";
inline constexpr std::string_view kRealWorld = "Real World Problems and Solutions to Upgrading";
inline constexpr std::string_view kScwWmi =
    "Enable Remote WMI in the Security Configuration Wizard for Remote Site Database Servers";
inline constexpr std::string_view kScwSqlMonitor =
    "Enable the SMS Database Monitor Ports on Remote SMS Site Database Servers";
inline constexpr std::string_view kScwBits =
    "Enable Remote Administration for IIS and Related Components on BITS-enabled distribution "
    "points";
inline constexpr std::string_view kScwCap = "Deselect the CAP Role if it is not on the Site Server";
inline constexpr std::string_view kScwRerun = "Re-run the Wizard after Changing Site System Roles";
inline constexpr std::string_view kFirewall = "Identifying Ports and Services Required If Windows Firewall Is Enabled";
}  // namespace section

// Facts about the hierarchy that several rules need, computed once so that no
// rule walks the clients for each site.
struct Context {
  const Hierarchy& h;
  const Options& opts;
  std::vector<int64_t> clients_assigned;  // per site: clients assigned to it
  std::vector<int64_t> clients_held;      // per site: clients whose inventory its database holds
  bool any_os_sp1_host = false;           // some site system gets the SP1 rules

  Context(const Hierarchy& hierarchy, const Options& options);
  // A host the Windows Server 2003 SP1 rules apply to: on SP1 or later, or
  // (with --with-os-sp1) a Windows Server 2003 host the plan moves to SP1.
  bool os_sp1(const SiteSystem& s) const;
  // Index of a site of h (rules receive sites by reference).
  size_t index_of(const Site& s) const { return static_cast<size_t>(&s - h.sites.data()); }
};

struct Rule;

// Collects the findings of one rule on one object scope.
class Emit {
 public:
  Emit(const Rule& rule, std::vector<Finding>& out, int site, int client = -1)
      : rule_(rule), out_(out), site_(site), client_(client) {}
  void fire(std::string object, std::string message, std::string remedy);
  // For a rule whose severity depends on the case (http-port-mismatch).
  void fire(Gravity severity, std::string object, std::string message, std::string remedy);
  // The rule cannot be judged on `object`: `fact` (a key of the inventory,
  // like "drw_passed" or "database.sql") is unknown (~). Reported as
  // unknown-fact: a warning that keeps the verdict NOT READY for a blocker
  // rule, info for any other.
  // `as_blocker` false: the rule would fire below blocker in this case.
  void unknown(std::string object, std::string_view fact, bool as_blocker = true);

 private:
  const Rule& rule_;
  std::vector<Finding>& out_;
  int site_;
  int client_;
};

using SiteCheck = void (*)(const Context&, const Site&, Emit&);
using SystemCheck = void (*)(const Context&, const Site&, const SiteSystem&, Emit&);
using ClientCheck = void (*)(const Context&, const Client&, Emit&);
using HierarchyCheck = void (*)(const Context&, Emit&);
using ConsoleCheck = void (*)(const Context&, const Site&, const Console&, Emit&);

struct Rule {
  std::string_view id;
  Gravity severity;
  std::string_view reference;
  std::string_view checks;  // one line: what it checks (`check --list-rules`; docs/rules.md says more)
  std::variant<SiteCheck, SystemCheck, ClientCheck, HierarchyCheck> check;
  bool os_sp1 = false;  // only on hosts where Context::os_sp1() holds
  // A site-system rule whose checklist section has other subjects too
  // (firewall-exceptions: the consoles' computers and the clients running
  // Windows Server 2003 SP1): run on each console of each site and on each
  // client as well, under the same id.
  ConsoleCheck consoles = nullptr;
  ClientCheck clients = nullptr;
};

// The tables, one per rule file, in the spec's order.
std::span<const Rule> site_rules();
std::span<const Rule> hierarchy_rules();
std::span<const Rule> client_rules();
std::span<const Rule> os_sp1_rules();

// "1,234,567": counts in messages are read by people.
std::string with_commas(int64_t n);

}  // namespace smsup::rules
