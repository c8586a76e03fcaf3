// The twin's log lines: which file, which component, what text.
#include <array>
#include <fmt/format.h>

#include "twin/faults.h"
#include "twin/log_format.h"
#include "twin/world.h"

namespace smsup::twin {
namespace {

int thread_of(std::string_view component) {
  // A stable, believable thread id per component.
  return 1000 + static_cast<int>(hash64(0, component) % 4000);
}

struct Background {
  const char* log;
  const char* component;
  const char* message;
};

// Lines other components write all the time; a reader must skip them.
constexpr std::array<Background, 6> kBackground{{
    {"ddm.log", "SMS_DISCOVERY_DATA_MANAGER", "Processing file {}.DDR..."},
    {"statmgr.log", "SMS_STATUS_MANAGER", "Processing file {}.SVF (1 status message)..."},
    {"distmgr.log", "SMS_DISTRIBUTION_MANAGER", "Used 0 out of 3 allowed processing threads."},
    {"policypv.log", "SMS_POLICY_PROVIDER", "Successfully updated policy for {} resources."},
    {"sitecomp.log", "SMS_SITE_COMPONENT_MANAGER", "Checking the status of component {} on this site server."},
    {"inboxmgr.log", "SMS_INBOX_MANAGER", "Inbox source is local on {}."},
}};

}  // namespace

void World::write_line(std::string_view path, std::string_view component, VTime t, std::string_view msg, int thread) {
  ++lines;
  if (sink == nullptr) return;
  if (component == "SMS_SETUP") {
    sink->write(path, setup_line(msg, opt.epoch_s, t));
  } else {
    sink->write(path, trace_line(msg, component, opt.epoch_s, t, thread));
  }
}

void World::site_log(int site, std::string_view log, std::string_view component, VTime t, std::string_view msg) {
  const TwinSite& s = sites[static_cast<size_t>(site)];
  write_line(site_log_path(s.server, s.install_dir, log), component, t, msg, thread_of(component));
}

void World::host_log(int host, std::string_view log, std::string_view component, VTime t, std::string_view msg) {
  const TwinHost& h = hosts[static_cast<size_t>(host)];
  const TwinSite& s = sites[static_cast<size_t>(h.site)];
  write_line(site_log_path(h.host, s.install_dir, log), component, t, msg, thread_of(component));
}

void World::setup_log(int site, VTime t, std::string_view msg, std::string_view host) {
  const TwinSite& s = sites[static_cast<size_t>(site)];
  write_line(setup_log_path(host.empty() ? std::string_view(s.server) : host), "SMS_SETUP", t, msg,
             thread_of("SMS_SETUP"));
}

void World::later_site_log(int site, std::string_view log, std::string_view component, VTime t, std::string_view msg) {
  const TwinSite& s = sites[static_cast<size_t>(site)];
  pending.push_back({site, site_log_path(s.server, s.install_dir, log), std::string(component), std::string(msg),
                     thread_of(component)});
  schedule(t, EventKind::line, site, static_cast<int>(pending.size() - 1));
}

void World::later_setup_log(int site, VTime t, std::string_view msg, std::string_view host) {
  const TwinSite& s = sites[static_cast<size_t>(site)];
  pending.push_back({site, setup_log_path(host.empty() ? std::string_view(s.server) : host), "SMS_SETUP",
                     std::string(msg), thread_of("SMS_SETUP")});
  schedule(t, EventKind::line, site, static_cast<int>(pending.size() - 1));
}

void World::background(int site, VTime t, uint64_t salt) {
  const TwinSite& s = sites[static_cast<size_t>(site)];
  static constexpr std::array<const char*, 6> kNames{"SMS_EXECUTIVE",
                                                     "SMS_SITE_BACKUP",
                                                     "SMS_MP_CONTROL_MANAGER",
                                                     "SMS_DISTRIBUTION_MANAGER",
                                                     "SMS_INVENTORY_DATA_LOADER",
                                                     "SMS_POLICY_PROVIDER"};
  uint64_t h = hash64(opt.seed, s.code, salt);
  const auto& b = kBackground[h % kBackground.size()];
  std::string arg = b.log == std::string_view("sitecomp.log")   ? std::string(kNames[(h >> 8) % kNames.size()])
                    : b.log == std::string_view("policypv.log") ? std::to_string((h >> 8) % 500 + 1)
                    : b.log == std::string_view("inboxmgr.log") ? s.server
                                                                : fmt::format("{:08X}", h >> 32);
  std::string msg = fmt::format(fmt::runtime(b.message), arg);
  site_log(site, b.log, b.component, t, msg);
}

// What a site's logs already held: an earlier site reset three days before the
// twin started. Its milestone-like lines must not count for the upgrade.
void on_history(World& w, int site) {
  const TwinSite& s = w.sites[static_cast<size_t>(site)];
  VTime t = -3 * kDay;
  const std::string box = s.install_dir + "\\Inboxes\\";
  w.site_log(site, "sitecomp.log", "SMS_SITE_COMPONENT_MANAGER", t, "Processing site shutdown transaction.");
  w.site_log(site, "sitecomp.log", "SMS_SITE_COMPONENT_MANAGER", t + 2 * kMinute, "Site shutdown complete.");
  w.site_log(site, "sitecomp.log", "SMS_SITE_COMPONENT_MANAGER", t + 12 * kMinute,
             fmt::format("Waiting for changes to the \"{}Sitectrl.box\" or \"{}Sitecomp.box\" directories, updates "
                         "will be polled every 600 seconds...",
                         box, box));
  w.site_log(site, "hman.log", "SMS_HIERARCHY_MANAGER", t + 14 * kMinute,
             "Wait for site control changes for maximum 3600 seconds...");
  w.site_log(site, "inboxmgr.log", "SMS_INBOX_MANAGER", t + 15 * kMinute,
             "Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds.");
  // Problems its site systems already have (an inventory with a DCOM fix
  // missing on a host already on Windows Server 2003 SP1, a remote MP with
  // error 997...): the lines the real components write, where an operator
  // looks, at the start.
  for (int hi : w.hosts_of(site)) {
    uint32_t open = w.hosts[static_cast<size_t>(hi)].problems;
    for (uint32_t bit = 1; bit <= static_cast<uint32_t>(HostProblem::mp_1603); bit <<= 1) {
      if (open & bit) w.log_problem(hi, static_cast<HostProblem>(bit), 0);
    }
  }
}

}  // namespace smsup::twin
