// Host and console steps: Windows Server 2003 SP1, the DCOM, firewall and SCW
// fixes, the MP reinstallation, the KB906570 fix, console upgrades.
#include <fmt/format.h>

#include "twin/world.h"

namespace smsup::twin {
namespace {

// The hosts a step acts on: its host, or every host of its site with the role
// the fix is about.
std::vector<int> targets(World& w, const StepRun& rec, uint32_t role_bits) {
  std::vector<int> out;
  if (!rec.step.host.empty()) {
    int h = w.host_index(rec.step.host);
    if (h >= 0) out.push_back(h);
    return out;
  }
  for (int h : w.hosts_of(rec.site)) {
    if (role_bits == 0 || (w.hosts[static_cast<size_t>(h)].roles & role_bits) != 0) out.push_back(h);
  }
  return out;
}

using plan::Kind;

uint32_t role_bits_of(Kind k) {
  if (k == Kind::dcom_slp) return static_cast<uint32_t>(Role::server_locator_point);
  if (k == Kind::dcom_rp) return static_cast<uint32_t>(Role::reporting_point);
  if (k == Kind::dcom_sms_admins)
    return static_cast<uint32_t>(Role::site_server) | static_cast<uint32_t>(Role::provider);
  if (k == Kind::mp_reinstall || k == Kind::remote_mp_997 || k == Kind::kb906570) {
    return static_cast<uint32_t>(Role::management_point);
  }
  return 0;
}

}  // namespace

Decision begin_host_step(World& w, StepRun& rec, Kind k) {
  const auto& d = w.opt.durations;
  double f = w.jitter(rec.step.id, rec.attempt);
  if (k == Kind::console_upgrade) {
    for (const auto& c : w.consoles) {
      if (c.host == rec.step.host)
        return {true, fmt::format("console on {} upgraded to SP2", c.host), minutes(d.console_upgrade * f)};
    }
    return {false, fmt::format("no Administrator console on '{}'", rec.step.host), kMinute};
  }
  auto hosts = targets(w, rec, role_bits_of(k));
  if (k == Kind::firewall_exceptions && hosts.empty()) {
    // A console's computer that is no site system (planner_os.cpp).
    for (const auto& c : w.consoles) {
      if (c.host == rec.step.host)
        return {true, fmt::format("{} applied on {} (SMS Administrator console)", rec.step.kind, c.host),
                minutes(d.fix * f)};
    }
  }
  if (hosts.empty()) {
    return {false,
            rec.step.host.empty() ? fmt::format("no host of {} for {}", rec.step.site, rec.step.kind)
                                  : fmt::format("no site system '{}' in the twin", rec.step.host),
            kMinute};
  }
  if (k == Kind::os_sp1) {
    const TwinHost& h = w.hosts[static_cast<size_t>(hosts.front())];
    if (h.os.family != WinFamily::w2003) {
      return {false,
              fmt::format("{} runs {}: Windows Server 2003 SP1 installs on Windows Server 2003 only", h.host,
                          describe(h.os)),
              kMinute};
    }
    if (h.os.sp >= 1) return {true, fmt::format("{} already runs {}", h.host, describe(h.os)), kMinute};
    return {true, fmt::format("Windows Server 2003 SP1 installed on {} (uninstall folder kept), rebooted", h.host),
            minutes(d.os_sp1 * f)};
  }
  double m = k == Kind::mp_reinstall ? d.mp_reinstall : d.fix;
  std::string what = k == Kind::mp_reinstall ? "management point removed, ccmclean /MP and /ALL, reinstalled"
                                             : rec.step.kind + " applied";
  return {true, fmt::format("{} on {}", what, w.hosts[static_cast<size_t>(hosts.front())].host), minutes(m * f)};
}

void finish_host_step(World& w, StepRun& rec, Kind k) {
  if (k == Kind::console_upgrade) {
    for (auto& c : w.consoles) {
      if (c.host == rec.step.host) c.version = SmsLevel::sp2;
    }
    return;
  }
  if (k == Kind::firewall_exceptions) {
    for (auto& c : w.consoles) {
      if (c.host == rec.step.host) c.firewall_exceptions = kAllFirewallExceptions;
    }
  }
  for (int hi : targets(w, rec, role_bits_of(k))) {
    TwinHost& h = w.hosts[static_cast<size_t>(hi)];
    h.fixes.push_back(rec.step.kind);
    if (k == Kind::os_sp1) {
      h.os.sp = std::max(h.os.sp, 1);
      // The planner moves a remote MP together with its site server (params.group)
      // or, when the server cannot move, applies KB906570 (params.fix).
      std::string fix = rec.step.params.value("fix", "");
      if (fix == "KB906570" || rec.step.params.value("kb906570", false)) h.kb906570 = true;
      if (!rec.step.params.value("group", "").empty()) h.sp1_grouped = true;
    } else if (k == Kind::dcom_slp) {
      h.dcom_fixed |= static_cast<uint32_t>(DcomFix::slp_iusr);
    } else if (k == Kind::dcom_rp) {
      h.dcom_fixed |= static_cast<uint32_t>(DcomFix::rp_reporting_users);
    } else if (k == Kind::dcom_sms_admins) {
      h.dcom_fixed |= static_cast<uint32_t>(DcomFix::sms_admins_remote);
    } else if (k == Kind::firewall_exceptions) {
      h.firewall_exceptions = kAllFirewallExceptions;
    } else if (k == Kind::mp_reinstall) {
      h.sms_client_installed = false;
      h.problems &= ~static_cast<uint32_t>(HostProblem::mp_1603);
      w.host_log(hi, "mpsetup.log", "SMS_MP_CONTROL_MANAGER", rec.end, "Installation was successful.");
    } else if (k == Kind::remote_mp_997 || k == Kind::kb906570) {
      h.kb906570 = true;
    }
  }
  w.refresh_host_problems(rec.site, rec.end);
}

}  // namespace smsup::twin
