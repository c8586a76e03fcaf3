// The site's own life after setup: component reinstallation and its six
// milestones, activity that restarts it, and the Windows Server 2003 SP1
// problems of its hosts.
#include <algorithm>
#include <array>
#include <fmt/format.h>

#include "twin/world.h"

namespace smsup::twin {
namespace {

struct Milestone {
  const char* log;
  const char* component;
};

constexpr std::array<Milestone, kMilestones> kMilestoneLogs{{
    {"", "SMS_SETUP"},
    {"sitecomp.log", "SMS_SITE_COMPONENT_MANAGER"},
    {"sitecomp.log", "SMS_SITE_COMPONENT_MANAGER"},
    {"sitecomp.log", "SMS_SITE_COMPONENT_MANAGER"},
    {"hman.log", "SMS_HIERARCHY_MANAGER"},
    {"inboxmgr.log", "SMS_INBOX_MANAGER"},
}};

std::string milestone_text(const TwinSite& s, int i) {
  switch (i) {
    case 0:
      return "SMS Setup completed successfully.";
    case 1:
      return "Processing site shutdown transaction.";
    case 2:
      return "Site shutdown complete.";
    case 3: {
      std::string box = s.install_dir + "\\Inboxes\\";
      return fmt::format(
          "Waiting for changes to the \"{}Sitectrl.box\" or \"{}Sitecomp.box\" directories, updates will be polled "
          "every 600 seconds...",
          box, box);
    }
    case 4:
      return "Wait for site control changes for maximum 3600 seconds...";
    default:
      return "Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds.";
  }
}

constexpr std::array<const char*, 6> kComponents{"SMS_EXECUTIVE",
                                                 "SMS_SITE_BACKUP",
                                                 "SMS_MP_CONTROL_MANAGER",
                                                 "SMS_DISTRIBUTION_MANAGER",
                                                 "SMS_INVENTORY_DATA_LOADER",
                                                 "SMS_POLICY_PROVIDER"};

bool on_sp1(const TwinHost& h) { return h.os.family == WinFamily::w2003 && h.os.sp >= 1; }

}  // namespace

void World::schedule_reinstall(int site, VTime from) {
  TwinSite& s = sites[static_cast<size_t>(site)];
  s.reinstall_start = from;
  const auto& d = opt.durations;
  double f = jitter(s.code + "/reinstall", s.gen);
  VTime m1 = from + kMinute;
  VTime m2 = from + 3 * kMinute;
  VTime m3 = m2 + minutes((d.reinstall_base + d.reinstall_per_system * s.systems) * f);
  VTime m4 = m3 + 2 * kMinute;
  VTime m5 = std::max(m4 + 2 * kMinute, s.setup_start + minutes(d.settle) + kMinute);
  schedule(m1, EventKind::milestone, site, 1, s.gen);
  schedule(m2, EventKind::milestone, site, 2, s.gen);
  for (size_t i = 0; i < kComponents.size(); ++i) {
    VTime t = m2 + (m3 - m2) * static_cast<VTime>(i + 1) / static_cast<VTime>(kComponents.size() + 1);
    later_site_log(site, "sitecomp.log", "SMS_SITE_COMPONENT_MANAGER", t,
                   fmt::format("Reinstalling component {} on this site server.", kComponents[i]));
  }
  schedule(m3, EventKind::milestone, site, 3, s.gen);
  schedule(m4, EventKind::milestone, site, 4, s.gen);
  schedule(m5, EventKind::milestone, site, 5, s.gen);
  s.expected_done = m5;
}

void on_milestone(World& w, const Event& e) {
  TwinSite& s = w.sites[static_cast<size_t>(e.site)];
  if (e.a > 0 && e.gen != s.gen) return;  // superseded by a restart
  if (s.state == SiteState::failed || s.state == SiteState::down) return;
  const auto& m = kMilestoneLogs[static_cast<size_t>(e.a)];
  std::string text = milestone_text(s, e.a);
  if (e.a == 0) {
    w.setup_log(e.site, e.time, text);
  } else {
    w.site_log(e.site, m.log, m.component, e.time, text);
  }
  s.milestones[static_cast<size_t>(e.a)] = e.time;
  if (e.a == 0) {
    s.version = SmsLevel::sp2;
    s.state = SiteState::settling;
    s.setup_end = e.time;
    w.schedule_reinstall(e.site, e.time);
  } else if (e.a == 3) {
    // Components are back on every site system, the MP among them.
    for (int hi : w.hosts_of(e.site)) {
      TwinHost& h = w.hosts[static_cast<size_t>(hi)];
      if (h.has(Role::management_point) && h.sms_client_installed && on_sp1(h) &&
          (h.problems & static_cast<uint32_t>(HostProblem::mp_1603)) == 0) {
        h.problems |= static_cast<uint32_t>(HostProblem::mp_1603);
        w.host_log(hi, "mpsetup.log", "SMS_MP_CONTROL_MANAGER", e.time,
                   "MSI: Setup failed due to unexpected circumstances. The error code is 1603 (an SMS client was "
                   "installed on this host before the management point).");
      }
    }
  } else if (e.a == kMilestones - 1) {
    s.state = SiteState::upgraded;
    start_ccim(w, e.site, e.time);
  }
}

void World::activity(int site, VTime t, std::string_view what) {
  TwinSite& s = sites[static_cast<size_t>(site)];
  bool in_window = s.state == SiteState::settling || (s.state == SiteState::upgraded && s.setup_end != kNever &&
                                                      t < s.setup_end + minutes(opt.durations.settle));
  if (!in_window) return;
  ++s.gen;
  ++s.reinstall_restarts;
  for (size_t i = 1; i < s.milestones.size(); ++i) s.milestones[i] = kNever;
  s.state = SiteState::settling;
  site_log(site, "sitecomp.log", "SMS_SITE_COMPONENT_MANAGER", t,
           fmt::format("~{} less than 30 minutes after setup: the component reinstallation starts over.", what));
  schedule_reinstall(site, t);
}

void World::refresh_host_problems(int site, VTime t, bool write_logs) {
  const TwinSite& s = sites[static_cast<size_t>(site)];
  int server = host_index(s.server);
  bool server_sp1 = server >= 0 && on_sp1(hosts[static_cast<size_t>(server)]);
  bool server_fix = server >= 0 && hosts[static_cast<size_t>(server)].kb906570;
  for (int hi : hosts_of(site)) {
    TwinHost& h = hosts[static_cast<size_t>(hi)];
    uint32_t p = h.problems & static_cast<uint32_t>(HostProblem::mp_1603);
    auto set = [&](HostProblem x, bool on) {
      if (on) p |= static_cast<uint32_t>(x);
    };
    bool sp1 = on_sp1(h);
    set(HostProblem::slp_dcom, sp1 && h.has(Role::server_locator_point) && !h.fixed(DcomFix::slp_iusr));
    set(HostProblem::rp_dcom, sp1 && h.has(Role::reporting_point) && !h.fixed(DcomFix::rp_reporting_users));
    set(HostProblem::admins_dcom,
        sp1 && (h.has(Role::site_server) || h.has(Role::provider)) && !h.fixed(DcomFix::sms_admins_remote));
    // Error 997 until the fix (KB906570) is applied, unless the MP moved to
    // SP1 in one step group with its site server, as the checklist's reports
    // say avoids it.
    set(HostProblem::remote_mp_997, sp1 && h.has(Role::management_point) && !h.has(Role::site_server) &&
                                        !h.service_account && !h.kb906570 && !server_fix &&
                                        !(h.sp1_grouped && server_sp1));
    uint32_t appeared = p & ~h.problems;
    uint32_t gone = h.problems & ~p;
    h.problems = p;
    if (!write_logs) continue;
    for (uint32_t bit = 1; bit <= static_cast<uint32_t>(HostProblem::mp_1603); bit <<= 1) {
      auto x = static_cast<HostProblem>(bit);
      if (appeared & bit) {
        log_problem(hi, x, t);
      } else if (gone & bit) {
        host_log(hi, "smsprov.log", "SMS Provider", t, fmt::format("Resolved on {}: {}.", h.host, describe(x)));
      }
    }
  }
}

void World::log_problem(int hi, HostProblem x, VTime t) {
  const TwinHost& h = hosts[static_cast<size_t>(hi)];
  switch (x) {
    case HostProblem::slp_dcom:
      host_log(hi, "slp.log", "SMS_SERVER_LOCATOR_POINT", t,
               "DCOM launch of SMS_SERVER_LOCATOR_POINT denied for IUSR_" + h.host +
                   " (Local Launch/Local Activation): site lookups fail.");
      break;
    case HostProblem::rp_dcom:
      host_log(hi, "rp.log", "SMS_REPORTING_POINT", t,
               "DCOM launch of SMS_REPORTING_POINT denied for SMS Reporting Users: reports fail.");
      break;
    case HostProblem::admins_dcom:
      host_log(hi, "smsprov.log", "SMS Provider", t,
               "Remote Activation denied for SMS Admins: non-administrators cannot open the SMS Administrator "
               "console.");
      break;
    case HostProblem::remote_mp_997:
      site_log(h.site, "sitecomp.log", "SMS_SITE_COMPONENT_MANAGER", t,
               fmt::format("Failed to read the registry of management point {} (error 997: Overlapped I/O "
                           "operation in progress).",
                           h.host));
      break;
    case HostProblem::mp_1603:
      // Written by the component reinstallation that fails (mpsetup.log).
      break;
  }
}

std::string_view describe(HostProblem p) {
  switch (p) {
    case HostProblem::slp_dcom:
      return "server locator point lookups fail (DCOM, IUSR)";
    case HostProblem::rp_dcom:
      return "reports fail (DCOM, SMS Reporting Users)";
    case HostProblem::admins_dcom:
      return "non-administrators cannot open the console (DCOM, SMS Admins)";
    case HostProblem::remote_mp_997:
      return "error 997 reading the remote management point's registry";
    case HostProblem::mp_1603:
      return "management point setup failed with 1603 (client installed first)";
  }
  return "?";
}

std::string_view to_string(SiteState s) {
  switch (s) {
    case SiteState::running:
      return "running";
    case SiteState::upgrading:
      return "upgrading";
    case SiteState::settling:
      return "settling";
    case SiteState::upgraded:
      return "upgraded";
    case SiteState::failed:
      return "failed";
    case SiteState::down:
      return "down";
  }
  return "?";
}

std::optional<SiteState> parse_site_state(std::string_view s) {
  for (auto x : {SiteState::running, SiteState::upgrading, SiteState::settling, SiteState::upgraded, SiteState::failed,
                 SiteState::down}) {
    if (to_string(x) == s) return x;
  }
  return std::nullopt;
}

}  // namespace smsup::twin
