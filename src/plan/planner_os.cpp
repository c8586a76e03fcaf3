// The Windows Server 2003 SP1 track of one site (--with-os-sp1) and the fixes
// the SP1 rules ask for on hosts that are, or will be, at SP1: DCOM resets,
// firewall exceptions, Security Configuration Wizard follow-ups, MP reinstall.
#include <algorithm>
#include <fmt/format.h>

#include "plan/planner_build.h"

namespace smsup::plan::detail {
namespace {

bool at_w2003_sp1(const WinVersion& os) { return os.family == WinFamily::w2003 && os.sp >= 1; }
bool takes_sp1(const WinVersion& os) { return os.family == WinFamily::w2003 && os.sp < 1; }

// Error 997 (remote-mp-997): a management point away from the site server
// while SMS runs under the computer account.
bool remote_mp_997(const SiteSystem& sys, const SiteSystem& server) {
  return sys.has(Role::management_point) && sys.host != server.host &&
         (!sys.service_account || !server.service_account);
}

struct Fix {
  Kind kind;
  const char* title;
};

std::vector<Fix> fixes_of(const Site& s, const SiteSystem& sys) {
  std::vector<Fix> out;
  if (sys.scw_before_role_change) out.push_back({Kind::scw_rerun, "Run the Security Configuration Wizard again"});
  if (sys.has(Role::server_locator_point) && !sys.has(DcomFix::slp_iusr)) {
    out.push_back({Kind::dcom_slp, "Reset DCOM launch permissions of the server locator point"});
  }
  if (sys.has(Role::reporting_point) && !sys.has(DcomFix::rp_reporting_users)) {
    out.push_back({Kind::dcom_rp, "Reset DCOM launch permissions of the reporting point"});
  }
  if ((sys.has(Role::site_server) || sys.has(Role::provider)) && !sys.has(DcomFix::sms_admins_remote)) {
    out.push_back({Kind::dcom_sms_admins, "Give SMS Admins Remote Activation"});
  }
  if (sys.firewall && (sys.firewall_exceptions & kAllFirewallExceptions) != kAllFirewallExceptions) {
    out.push_back({Kind::firewall_exceptions, "Add the Windows Firewall exceptions SMS needs"});
  }
  if (sys.scw && sys.has(Role::provider)) out.push_back({Kind::scw_remote_wmi, "Enable Remote WMI in the SCW policy"});
  if (sys.scw && sys.has(Role::database_server) && !sys.has(Role::site_server)) {
    out.push_back({Kind::scw_sql_monitor, "Open the SMS_SQL_MONITOR ports in the SCW policy"});
  }
  if (sys.scw && sys.has(Role::distribution_point) && sys.bits) {
    out.push_back({Kind::scw_bits_dp, "Enable Remote administration for IIS in the SCW policy"});
  }
  if (sys.scw && sys.has(Role::site_server) && !sys.has(Role::client_access_point)) {
    out.push_back({Kind::scw_cap_misdetect, "Deselect the CAP role the SCW assumes"});
  }
  if (sys.has(Role::management_point) && sys.sms_client_installed) {
    out.push_back({Kind::mp_reinstall, "Reinstall the management point (ccmclean)"});
  }
  (void)s;
  return out;
}

// The Security Configuration Wizard's follow-ups, re-run first when asked.
bool is_scw(Kind k) {
  return k == Kind::scw_remote_wmi || k == Kind::scw_sql_monitor || k == Kind::scw_bits_dp ||
         k == Kind::scw_cap_misdetect || k == Kind::scw_rerun;
}

// The netsh commands for the exceptions `needed` asks for and `present` lacks.
nlohmann::json firewall_params(uint32_t present, uint32_t needed) {
  using nlohmann::json;
  static const std::vector<std::pair<FirewallException, const char*>> all{
      {FirewallException::rc_2701, "netsh firewall add portopening TCP 2701 SMS-RemoteControl-2701"},
      {FirewallException::rc_2702, "netsh firewall add portopening TCP 2702 SMS-RemoteControl-2702"},
      {FirewallException::rc_2703, "netsh firewall add portopening TCP 2703 SMS-RemoteControl-2703"},
      {FirewallException::rc_2704, "netsh firewall add portopening TCP 2704 SMS-RemoteControl-2704"},
      {FirewallException::helpsvc,
       "netsh firewall add allowedprogram %windir%\\PCHealth\\HelpCtr\\Binaries\\helpsvc.exe helpsvc ENABLE"},
      {FirewallException::tcp_135, "netsh firewall add portopening TCP 135 DCOM-135"},
      {FirewallException::file_printer_sharing, "netsh firewall set service FILEANDPRINT ENABLE"},
      {FirewallException::statview, "netsh firewall add allowedprogram statview.exe statview ENABLE"},
      {FirewallException::unsecapp,
       "netsh firewall add allowedprogram %windir%\\system32\\wbem\\unsecapp.exe unsecapp ENABLE"}};
  json missing = json::array(), commands = json::array();
  for (const auto& [e, cmd] : all) {
    auto bit = static_cast<uint32_t>(e);
    if ((needed & bit) == 0 || (present & bit) != 0) continue;
    missing.push_back(to_string(e));
    commands.push_back(cmd);
  }
  return {{"missing", missing}, {"commands", commands}};
}

nlohmann::json fix_params(Kind kind, const SiteSystem& sys) {
  using nlohmann::json;
  if (kind == Kind::dcom_slp) {
    return {{"component", "SMS_SERVER_LOCATOR_POINT"},
            {"account", "IUSR_" + sys.host},
            {"permissions", {"Local Launch", "Local Activation"}}};
  }
  if (kind == Kind::dcom_rp) {
    // The field report (Richard Wright, 8/31/05) grants all four as the fix;
    // the checklist's note: "may only need" the remote two, "test to confirm".
    return {{"component", "SMS_REPORTING_POINT"},
            {"account", "SMS Reporting Users"},
            {"permissions", {"Local Launch", "Remote Launch", "Local Activation", "Remote Activation"}}};
  }
  if (kind == Kind::dcom_sms_admins) {
    return {{"where", "My Computer > COM Security > Launch and Activation Permissions > Edit Limits"},
            {"account", "SMS Admins (local group)"},
            {"permissions", {"Remote Activation"}}};
  }
  if (kind == Kind::firewall_exceptions) return firewall_params(sys.firewall_exceptions, kAllFirewallExceptions);
  if (kind == Kind::mp_reinstall) {
    return {{"commands", {"ccmclean /MP", "ccmclean /ALL"}},
            {"then", "reinstall the management point, then push the client again"}};
  }
  if (is_scw(kind)) return {{"wizard", "Security Configuration Wizard"}};
  return json::object();
}

}  // namespace

void add_os_track(Builder& b, int i) {
  const Site& s = b.h.sites[i];
  auto& sp = b.sites[i];
  const SiteSystem& server = s.site_server();
  // Rule 7: the central site's hosts first, then top-down: wait for the OS
  // installs of the nearest ancestor that has any.
  std::vector<std::string> above;
  for (int a = s.parent_index; a >= 0 && above.empty(); a = b.h.sites[a].parent_index) {
    above = b.sites[a].os_sp1;
  }
  bool group = b.opts.with_os_sp1 && takes_sp1(server.os);
  std::string group_id = group ? fmt::format("{}/{}/{}", s.code, name(Kind::os_sp1), server.host) : "";
  // The site server first, so that a remote MP can join its step group.
  std::vector<const SiteSystem*> hosts{&server};
  for (const auto& sys : s.systems) {
    if (&sys != &server) hosts.push_back(&sys);
  }
  for (const SiteSystem* h : hosts) {
    const SiteSystem& sys = *h;
    bool moves = b.opts.with_os_sp1 && takes_sp1(sys.os);
    if (!moves && !at_w2003_sp1(sys.os)) continue;
    std::string os;
    if (moves) {
      os = b.add(s.code, Kind::os_sp1, sys.host, sys.host,
                 fmt::format("Install Windows Server 2003 SP1 on {}", sys.host), {});
      auto& st = b.at(os);
      st.params = {{"command", "WindowsServer2003-KB889101-SP1-x86-ENU.exe /quiet /forcerestart"},
                   {"close_programs", true},
                   {"uninstall_folder", "C:\\WINDOWS\\$NtServicePackUninstall$"},
                   {"keep_uninstall", true},
                   {"reboot", true},
                   {"role", sys.has(Role::site_server) ? "site server" : "site system"}};
      if (group && remote_mp_997(sys, server)) {
        st.params["group"] = group_id;
        st.why.emplace_back("remote-mp-997");
        b.at(group_id).params["group"] = group_id;
        if (std::find(b.at(group_id).why.begin(), b.at(group_id).why.end(), "remote-mp-997") ==
            b.at(group_id).why.end()) {
          b.at(group_id).why.emplace_back("remote-mp-997");
        }
      }
      if (!group && remote_mp_997(sys, server)) {
        // The site server cannot move with it: the KB906570 fix instead.
        st.params["fix"] = "KB906570";
        st.why.emplace_back("remote-mp-997");
      }
      b.wait_all(os, above);
      sp.os_sp1.push_back(os);
      sp.os_work.push_back(os);
    }
    for (const auto& f : fixes_of(s, sys)) {
      std::string id = b.add(s.code, f.kind, sys.host, sys.host, fmt::format("{} on {}", f.title, sys.host), {});
      b.at(id).params = fix_params(f.kind, sys);
      // Each fix is named after the rule that asks for it, but one.
      b.at(id).why.emplace_back(f.kind == Kind::mp_reinstall ? "mp-client-first" : name(f.kind));
      b.wait(id, os);
      // The SCW is re-run before its other follow-ups on the same host.
      if (is_scw(f.kind) && f.kind != Kind::scw_rerun) {
        std::string rerun = fmt::format("{}/{}/{}", s.code, name(Kind::scw_rerun), sys.host);
        if (b.has(rerun)) b.wait(id, rerun);
      }
      sp.os_work.push_back(id);
    }
    // KB906570 as a step of its own where no OS step carries it: the MP is at
    // SP1 already (no step group can cover it), or both hosts move together
    // (the field report saw error 997 even then). On the site server, after
    // the site's OS work, before its backup.
    bool grouped = group && moves;
    if (remote_mp_997(sys, server) && (grouped || (!moves && at_w2003_sp1(sys.os)))) {
      std::string fix = fmt::format("{}/{}/{}", s.code, name(Kind::kb906570), server.host);
      if (!b.has(fix)) {
        fix = b.add(s.code, Kind::kb906570, server.host, server.host,
                    fmt::format("Apply the fix of KB906570 on {} (error 997 reading the registry of "
                                "management point {})",
                                server.host, sys.host),
                    {});
        b.at(fix).params = {
            {"kb", "KB906570"}, {"management_point", sys.host}, {"alternative", "run SMS under a service account"}};
        b.at(fix).why.emplace_back("remote-mp-997");
        sp.os_work.push_back(fix);
      }
      b.wait_all(fix, sp.os_sp1);
    }
  }
  // The consoles' computers at Windows Server 2003 SP1 with Windows Firewall
  // on: statview.exe, unsecapp.exe and TCP 135 (firewall-exceptions). A
  // console on a site system of the site has that host's step already; an
  // unknown fact makes no step (check says it cannot judge).
  for (const auto& c : s.consoles) {
    if (c.unknown != 0 || !w2003_sp1(c.os) || !c.firewall) continue;
    if ((c.firewall_exceptions & kConsoleFirewallExceptions) == kConsoleFirewallExceptions) continue;
    std::string id = fmt::format("{}/{}/{}", s.code, name(Kind::firewall_exceptions), c.host);
    if (b.has(id)) continue;
    bool site_system = false;
    for (const auto& sys : s.systems) site_system = site_system || sys.host == c.host;
    if (site_system) continue;
    id = b.add(s.code, Kind::firewall_exceptions, c.host, c.host,
               fmt::format("Add the Windows Firewall exceptions of the SMS Administrator console on {}", c.host), {});
    b.at(id).params = firewall_params(c.firewall_exceptions, kConsoleFirewallExceptions);
    b.at(id).params["console"] = c.host;
    b.at(id).why.emplace_back(name(Kind::firewall_exceptions));
    sp.os_work.push_back(id);
  }
}

}  // namespace smsup::plan::detail
