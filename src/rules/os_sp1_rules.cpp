// Windows Server 2003 SP1 rules (rules.md "Windows Server 2003 SP1 on site
// systems"). The evaluator calls them only on hosts where Context::os_sp1()
// holds: on SP1 already, or moved to SP1 by the plan with --with-os-sp1.
#include <fmt/format.h>

#include "rules/rule.h"

namespace smsup::rules {
namespace {

std::string os_of(const SiteSystem& sys) {
  if (sys.os.sp >= 1) return describe(sys.os);
  return describe(sys.os) + ", to be moved to SP1";
}

void dcom_slp(const Context&, const Site&, const SiteSystem& sys, Emit& e) {
  if (!sys.has(Role::server_locator_point)) return;
  if (sys.unknown_fact(SystemFact::dcom_fixed)) return e.unknown(sys.host, "dcom_fixed");
  if (sys.has(DcomFix::slp_iusr)) return;
  e.fire(sys.host,
         fmt::format("{} is a server locator point on {} without Local Launch and Local Activation "
                     "for IUSR_{} on SMS_SERVER_LOCATOR_POINT",
                     sys.host, os_of(sys), sys.host),
         fmt::format("In dcomcnfg on {}, DCOM Config > SMS_SERVER_LOCATOR_POINT > Properties > "
                     "Security > Launch and Activation: allow Local Launch and Local Activation "
                     "for the Internet Guest Account (IUSR_{}).",
                     sys.host, sys.host));
}

void dcom_rp(const Context&, const Site&, const SiteSystem& sys, Emit& e) {
  if (!sys.has(Role::reporting_point)) return;
  if (sys.unknown_fact(SystemFact::dcom_fixed)) return e.unknown(sys.host, "dcom_fixed");
  if (sys.has(DcomFix::rp_reporting_users)) return;
  e.fire(sys.host,
         fmt::format("{} is a reporting point on {} without Local Launch and Local Activation for "
                     "SMS Reporting Users on SMS_REPORTING_POINT",
                     sys.host, os_of(sys)),
         fmt::format("In dcomcnfg on {}, DCOM Config > SMS_REPORTING_POINT > Properties > Security > "
                     "Launch and Activation: allow SMS Reporting Users Local Launch, Remote Launch, "
                     "Local Activation and Remote Activation (the field report's fix; the remote two "
                     "alone may do: test to confirm).",
                     sys.host));
}

void dcom_sms_admins(const Context&, const Site&, const SiteSystem& sys, Emit& e) {
  if (!sys.has(Role::site_server) && !sys.has(Role::provider)) return;
  if (sys.unknown_fact(SystemFact::dcom_fixed)) return e.unknown(sys.host, "dcom_fixed");
  if (sys.has(DcomFix::sms_admins_remote)) return;
  e.fire(sys.host,
         fmt::format("{} is a {} on {} and SMS Admins lacks Remote Activation: non-administrators "
                     "cannot open the SMS Administrator console",
                     sys.host, sys.has(Role::site_server) ? "site server" : "provider", os_of(sys)),
         fmt::format("In dcomcnfg on {}, My Computer > Properties > COM Security > Launch and "
                     "Activation Permissions > Edit Limits: give the local SMS Admins group Remote "
                     "Activation.",
                     sys.host));
}

void remote_mp_997(const Context&, const Site& s, const SiteSystem& sys, Emit& e) {
  if (!sys.has(Role::management_point) || sys.has(Role::site_server)) return;
  const SiteSystem& server = s.site_server();
  if (sys.unknown_fact(SystemFact::service_account)) return e.unknown(sys.host, "service_account");
  if (server.unknown_fact(SystemFact::service_account)) return e.unknown(server.host, "service_account");
  if (sys.service_account && server.service_account) return;
  e.fire(sys.host,
         fmt::format("{} is a management point on {}, apart from site server {}, and SMS uses the "
                     "computer account: the site server gets error 997 reading its registry",
                     sys.host, os_of(sys), server.host),
         fmt::format("Upgrade {} and {} to SP1 together, or apply the fix of KB906570 (or run SMS "
                     "under a service account).",
                     server.host, sys.host));
}

void mp_client_first(const Context&, const Site&, const SiteSystem& sys, Emit& e) {
  if (!sys.has(Role::management_point)) return;
  if (sys.unknown_fact(SystemFact::sms_client_installed)) return e.unknown(sys.host, "sms_client_installed");
  if (!sys.sms_client_installed) return;
  e.fire(sys.host,
         fmt::format("{} had an SMS client installed before its management point role: MP setup "
                     "fails with 1603",
                     sys.host),
         fmt::format("Remove the management point of {}, run ccmclean /MP then ccmclean /ALL, "
                     "reinstall the management point, then push the client again.",
                     sys.host));
}

void readonly_push(const Context& c, Emit& e) {
  if (!c.any_os_sp1_host) return;
  e.fire(c.h.name,
         "With Windows Server 2003 SP1 site systems, users with read-only rights on a collection "
         "can install clients",
         "Obtain and apply the hotfix of KB843362 from Microsoft support (name the SMS 2003 "
         "version: RTM or SP1).");
}

void scw_remote_wmi(const Context&, const Site&, const SiteSystem& sys, Emit& e) {
  if (!sys.has(Role::provider)) return;
  if (sys.unknown_fact(SystemFact::scw)) return e.unknown(sys.host, "scw");
  if (!sys.scw) return;
  e.fire(sys.host,
         fmt::format("{} holds the SMS Provider and has a Security Configuration Wizard policy: the "
                     "wizard does not recognise the provider",
                     sys.host),
         fmt::format("Run the SCW on {} again and enable Remote WMI on the Select Administration and "
                     "Other Options page, or consoles cannot connect.",
                     sys.host));
}

void scw_sql_monitor(const Context&, const Site& s, const SiteSystem& sys, Emit& e) {
  if (!sys.has(Role::database_server) || sys.has(Role::site_server)) return;
  if (sys.unknown_fact(SystemFact::scw)) return e.unknown(sys.host, "scw");
  if (!sys.scw) return;
  e.fire(sys.host,
         fmt::format("{} is the site database server of {}, apart from site server {}, and has an "
                     "SCW policy: the SMS_SQL_MONITOR ports are not opened",
                     sys.host, s.code, s.site_server().host),
         fmt::format("On the Open Ports and Approve Applications page of the SCW on {}, select Ports "
                     "used by SMS_SQL_MONITOR_{}.",
                     sys.host, sys.host));
}

void scw_bits_dp(const Context&, const Site&, const SiteSystem& sys, Emit& e) {
  if (!sys.has(Role::distribution_point)) return;
  if (sys.unknown_fact(SystemFact::scw) || sys.unknown_fact(SystemFact::bits)) {
    return e.unknown(sys.host, sys.unknown_fact(SystemFact::scw) ? "scw" : "bits");
  }
  if (!sys.scw || !sys.bits) return;
  e.fire(sys.host,
         fmt::format("{} is a BITS-enabled distribution point with an SCW policy: Distribution "
                     "Manager cannot create its virtual directories",
                     sys.host),
         fmt::format("On the Installed Options page of the SCW on {}, select Remote administration "
                     "for IIS and related components.",
                     sys.host));
}

void scw_cap_misdetect(const Context&, const Site&, const SiteSystem& sys, Emit& e) {
  if (!sys.has(Role::site_server) || sys.has(Role::client_access_point)) return;
  if (sys.unknown_fact(SystemFact::scw)) return e.unknown(sys.host, "scw");
  if (!sys.scw) return;
  e.fire(sys.host,
         fmt::format("{} is a site server without the client access point role: the SCW assumes a "
                     "CAP on it",
                     sys.host),
         fmt::format("Deselect the CAP role on the Select Administration and Other Options page of "
                     "the SCW on {}.",
                     sys.host));
}

void scw_rerun(const Context&, const Site&, const SiteSystem& sys, Emit& e) {
  if (sys.unknown_fact(SystemFact::scw_before_role_change)) return e.unknown(sys.host, "scw_before_role_change");
  if (!sys.scw_before_role_change) return;
  e.fire(sys.host, fmt::format("{} had site system roles added or changed after its SCW policy was applied", sys.host),
         fmt::format("Run the Security Configuration Wizard on {} again.", sys.host));
}

// The checklist's exceptions, grouped by the SMS feature that needs them.
struct Feature {
  std::string_view name;
  std::vector<std::pair<FirewallException, std::string_view>> needs;
};

const std::vector<Feature>& firewall_features() {
  using F = FirewallException;
  static const std::vector<Feature> features{
      {"remote control",
       {{F::rc_2701, "TCP 2701"}, {F::rc_2702, "TCP 2702"}, {F::rc_2703, "TCP 2703"}, {F::rc_2704, "TCP 2704"}}},
      {"remote assistance", {{F::helpsvc, "helpsvc.exe"}, {F::tcp_135, "TCP 135"}}},
      {"event viewer, system monitor and client push", {{F::file_printer_sharing, "File and Printer Sharing"}}},
      {"console queries", {{F::statview, "statview.exe"}}},
      {"SMS Administrator console", {{F::unsecapp, "unsecapp.exe"}, {F::tcp_135, "TCP 135"}}},
  };
  return features;
}

// "remote control: TCP 2701, TCP 2702" for each feature some of whose
// exceptions `needed` asks for and `present` lacks; empty when none is missing.
std::vector<std::string> missing_by_feature(uint32_t present, uint32_t needed) {
  std::vector<std::string> missing;
  for (const auto& feature : firewall_features()) {
    std::vector<std::string_view> lacking;
    for (const auto& [exception, label] : feature.needs) {
      auto bit = static_cast<uint32_t>(exception);
      if ((needed & bit) != 0 && (present & bit) == 0) lacking.push_back(label);
    }
    if (!lacking.empty()) missing.push_back(fmt::format("{}: {}", feature.name, fmt::join(lacking, ", ")));
  }
  return missing;
}

constexpr std::string_view kRemoteToolsAdvice =
    " Where the system has them, Remote Assistance or Remote Desktop are the recommended practice instead of the SMS "
    "Remote Tools ports (ports: KB256884).";

// On a site system every exception of the section: the server is what the
// section is about ("If you enable the Windows Firewall on a Windows Server
// 2003 SP1 server ...").
void firewall_exceptions(const Context&, const Site&, const SiteSystem& sys, Emit& e) {
  if (sys.unknown_fact(SystemFact::firewall)) return e.unknown(sys.host, "firewall");
  if (!sys.firewall) return;
  if (sys.unknown_fact(SystemFact::firewall_exceptions)) return e.unknown(sys.host, "firewall_exceptions");
  auto missing = missing_by_feature(sys.firewall_exceptions, kAllFirewallExceptions);
  if (missing.empty()) return;
  e.fire(sys.host,
         fmt::format("{} has Windows Firewall on without the exceptions for {}", sys.host, fmt::join(missing, "; ")),
         fmt::format("Add these exceptions to Windows Firewall on {}.{} There is no workaround for Windows "
                     "Diagnostics from the SMS Administrator console.",
                     sys.host, kRemoteToolsAdvice));
}

// On a computer running the SMS Administrator console: statview.exe
// ("Queries") and unsecapp.exe with TCP 135 ("SMS Administrator Console").
void firewall_console(const Context&, const Site& s, const Console& c, Emit& e) {
  const std::string& object = c.host;  // as console-version names it: the plan's step SITE/firewall-exceptions/HOST
  if (c.unknown_fact(ConsoleFact::os)) return e.unknown(object, "the console's os");
  if (c.os.family != WinFamily::w2003) return;
  if (c.unknown_fact(ConsoleFact::os_sp)) return e.unknown(object, "the console's os_sp");
  if (!w2003_sp1(c.os)) return;
  if (c.unknown_fact(ConsoleFact::firewall)) return e.unknown(object, "the console's firewall");
  if (!c.firewall) return;
  if (c.unknown_fact(ConsoleFact::firewall_exceptions)) return e.unknown(object, "the console's firewall_exceptions");
  auto missing = missing_by_feature(c.firewall_exceptions, kConsoleFirewallExceptions);
  if (missing.empty()) return;
  e.fire(object,
         fmt::format("The SMS Administrator console on {} ({}, site {}) has Windows Firewall on without the "
                     "exceptions for {}",
                     c.host, describe(c.os), s.code, fmt::join(missing, "; ")),
         fmt::format("Add these exceptions to Windows Firewall on {}: without statview.exe queries fail the first "
                     "time they run; without unsecapp.exe and TCP 135 the console gets no asynchronous results "
                     "(KB875605).",
                     c.host));
}

// On a client running Windows Server 2003 SP1: the remote control ports
// ("Remote Control") and File and Printer Sharing ("Client Push Installation").
void firewall_client(const Context&, const Client& c, Emit& e) {
  if (!w2003_sp1(c.os)) return;
  if (c.unknown_fact(ClientFact::firewall)) return e.unknown(c.name, "firewall");
  if (!c.firewall) return;
  if (c.unknown_fact(ClientFact::firewall_exceptions)) return e.unknown(c.name, "firewall_exceptions");
  auto missing = missing_by_feature(c.firewall_exceptions, kClientFirewallExceptions);
  if (missing.empty()) return;
  bool no_push = !c.has(FirewallException::file_printer_sharing);
  bool no_rc = (c.firewall_exceptions & kRemoteControlExceptions) != kRemoteControlExceptions;
  std::string effects;
  if (no_push) effects = "Client Push Installation to it fails";
  if (no_rc) effects += fmt::format("{}SMS Remote Tools cannot manage it", effects.empty() ? "" : " and ");
  e.fire(c.name,
         fmt::format("{} is a client on {} with Windows Firewall on without the exceptions for {}: {}", c.name,
                     describe(c.os), fmt::join(missing, "; "), effects),
         fmt::format("Add these exceptions to Windows Firewall on {} (File and Printer Sharing before the "
                     "push).{}",
                     c.name, no_rc ? std::string(kRemoteToolsAdvice) : std::string()));
}

using namespace section;
const Rule kOsSp1Rules[] = {
    {"dcom-slp", Gravity::action, kDcom, "a server locator point lacks the IUSR DCOM launch permission", dcom_slp,
     true},
    {"dcom-rp", Gravity::action, kDcom, "a reporting point lacks the SMS Reporting Users DCOM permissions", dcom_rp,
     true},
    {"dcom-sms-admins", Gravity::action, kRealWorld, "a site server or provider lacks SMS Admins Remote Activation",
     dcom_sms_admins, true},
    {"remote-mp-997", Gravity::warning, kRealWorld, "a remote management point with the computer account: error 997",
     remote_mp_997, true},
    {"mp-client-first", Gravity::warning, kRealWorld,
     "a management point host had an SMS client first: MP setup fails (1603)", mp_client_first, true},
    {"readonly-push", Gravity::info, kRealWorld, "read-only users on a collection can install clients", readonly_push,
     true},
    {"scw-remote-wmi", Gravity::action, kScwWmi, "an SCW policy on a provider host without Remote WMI", scw_remote_wmi,
     true},
    {"scw-sql-monitor", Gravity::action, kScwSqlMonitor,
     "an SCW policy on a remote database server without the SQL monitor ports", scw_sql_monitor, true},
    {"scw-bits-dp", Gravity::action, kScwBits,
     "an SCW policy on a BITS distribution point without IIS remote administration", scw_bits_dp, true},
    {"scw-cap-misdetect", Gravity::action, kScwCap, "the SCW assumes a CAP role on a site server that has none",
     scw_cap_misdetect, true},
    {"scw-rerun", Gravity::action, kScwRerun, "roles changed after the SCW policy was applied", scw_rerun, true},
    {"firewall-exceptions", Gravity::action, kFirewall,
     "Windows Firewall is on and exceptions SMS needs are missing (site systems, consoles, W2003 SP1 clients)",
     firewall_exceptions, true, firewall_console, firewall_client},
};

}  // namespace

std::span<const Rule> os_sp1_rules() { return kOsSp1Rules; }

}  // namespace smsup::rules
