// The upgrade itself: SP2 setup on a site, the 30-minute settle, and the
// verification of the milestones (shared/spec/twin.md, "What it enforces").
#include <algorithm>
#include <fmt/format.h>

#include "twin/world.h"

namespace smsup::twin {
namespace {

Decision refuse(World& w, int site, VTime t, std::string msg) {
  w.setup_log(site, t, "SMS Setup started. Upgrading the site to SMS 2003 SP2.");
  w.setup_log(site, t + kMinute, "~ERROR: " + msg);
  w.setup_log(site, t + kMinute, "SMS Setup failed. The site was not upgraded.");
  return {false, std::move(msg), 2 * kMinute};
}

VTime setup_duration(const World& w, const TwinSite& s, const StepRun& rec) {
  const auto& d = w.opt.durations;
  double m = d.secondary_upgrade + d.upgrade_per_system * s.systems;
  if (s.primary) {
    double gb = s.db ? static_cast<double>(s.db->data_mb + s.db->log_mb) / 1024.0 : 0;
    m = d.upgrade_base + d.upgrade_per_gb * gb + d.upgrade_per_system * s.systems +
        d.upgrade_per_10k_clients * static_cast<double>(s.clients) / 10000.0;
  }
  return minutes(m * w.jitter(rec.step.id, rec.attempt));
}

// Setup stops in its database step: the database is half upgraded and no
// longer usable by the old version, so the site is `failed` until a restore
// (or `down` when there is no backup to restore).
Decision fail_midway(World& w, int site, const StepRun& rec, VTime t, std::string why) {
  TwinSite& s = w.sites[static_cast<size_t>(site)];
  s.db_before = s.db;
  if (s.db) s.db->sp1_compatible = false;
  s.state = w.has_backup(site) ? SiteState::failed : SiteState::down;
  s.failure = why;
  w.later_setup_log(site, t, "~ERROR: Failed to upgrade the site database: " + why);
  w.later_setup_log(site, t, "SMS Setup failed. The site database must be restored from a backup.");
  std::string msg = fmt::format(
      "{}; site {} is {}{}", why, s.code, to_string(s.state),
      s.state == SiteState::down ? " (no backup to restore)" : " until its database is restored from the backup");
  return {false, msg, t - rec.start};
}

Decision upgrade(World& w, StepRun& rec) {
  TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
  VTime t = rec.start;
  if (s.version == SmsLevel::sp2 && s.state != SiteState::failed && s.state != SiteState::down) {
    return {true, fmt::format("{} is already SMS 2003 SP2", s.code), kMinute};
  }
  if (s.state != SiteState::running) {
    return {false, fmt::format("{} is {}{}{}", s.code, to_string(s.state), s.failure.empty() ? "" : ": ", s.failure),
            kMinute};
  }
  if (s.version == SmsLevel::sms20) {
    return refuse(w, rec.site, t, "the site runs SMS 2.0: SMS 2003 SP2 setup upgrades SMS 2003 RTM or SP1 sites only");
  }
  if (s.parent >= 0) {
    const TwinSite& p = w.sites[static_cast<size_t>(s.parent)];
    if (p.version != SmsLevel::sp2) {
      return refuse(w, rec.site, t,
                    fmt::format("the parent site {} is at SMS 2003 {}: upgrade top-down, the parent{} first", p.code,
                                to_string(p.version), s.primary ? "" : " primary of a secondary site"));
    }
  }
  for (int hi : w.hosts_of(rec.site)) {
    const TwinHost& h = w.hosts[static_cast<size_t>(hi)];
    if (!sp2_site_system_supported(h.os)) {
      return refuse(w, rec.site, t,
                    fmt::format("site system {} runs {}; SMS 2003 SP2 site systems need Windows 2000 SP4 or later",
                                h.host, describe(h.os)));
    }
  }
  if (s.db && !sp2_site_database_supported(s.db->sql)) {
    return refuse(
        w, rec.site, t,
        fmt::format("the site database runs {}; SP2 needs SQL Server 7.0 SP3, 2000 SP3a or 2005", describe(s.db->sql)));
  }
  Method m = s.method;
  if (rec.step.params.contains("method") && rec.step.params["method"].is_string()) {
    m = parse_method(rec.step.params["method"].get<std::string>()).value_or(m);
  }
  VTime dur = setup_duration(w, s, rec);
  w.setup_log(rec.site, t,
              fmt::format("SMS Setup started. Upgrading the site {} to SMS 2003 SP2 ({}).", s.code, command_of(m)));
  s.state = SiteState::upgrading;
  s.setup_start = t;
  s.version_before = s.version;
  if (s.version == SmsLevel::rtm && !s.drw_passed) {
    if (m == Method::update_quiet) {
      s.state = SiteState::running;
      w.setup_log(
          rec.site, t + kMinute,
          "~ERROR: The Deployment Readiness Wizard has not been run on this site. Update.exe /quiet cannot continue.");
      w.setup_log(rec.site, t + kMinute, "SMS Setup failed. The site was not upgraded.");
      return {false, "Update.exe /quiet on an RTM site whose DRW has not passed: setup fails; run the DRW first",
              2 * kMinute};
    }
    // /passive and interactive setup stop on the DRW page; the operator
    // selects Run Now (rehearsals take that as done at once).
    w.setup_log(rec.site, t + kMinute, "Deployment Readiness Wizard page shown: waiting for Run Now.");
    dur += minutes(w.opt.durations.drw);
    s.drw_passed = true;
    w.later_setup_log(rec.site, t + minutes(w.opt.durations.drw),
                      "Deployment Readiness Wizard completed with no errors.");
  }
  if (!s.primary && rec.step.params.value("method", "") == "parent-console" && s.parent >= 0) {
    w.activity(s.parent, t, "an Administrator console connection (secondary upgrade)");
  }
  // Setup starts here: how old is the backup a failure would restore?
  s.backup_age_at_upgrade = s.backups.empty() ? -1 : t - s.backups.back().time;
  auto fault = fault_for(w.opt.faults, plan::name(plan::Kind::upgrade), s.code, rec.step.id, rec.attempt, w.opt.seed);
  if (s.db) {
    VTime db_at = t + dur / 3;
    w.later_setup_log(rec.site, db_at, fmt::format("Upgrading the site database {} on {}.", s.db->name, s.db->server));
    if (s.db->replication) {
      s.state = SiteState::running;
      w.later_setup_log(rec.site, db_at,
                        fmt::format("~ERROR: The site database {} is published for replication. Disable publishing and "
                                    "delete the subscriptions, then run setup again.",
                                    s.db->name));
      w.later_setup_log(rec.site, db_at, "SMS Setup failed. The site was not upgraded.");
      return {false,
              fmt::format("site database {} has replication enabled: setup fails in the database step", s.db->name),
              db_at - t};
    }
    int64_t growth = s.db->growth_data_mb + s.db->growth_log_mb;
    if (growth > s.db->free_disk_mb || (!s.db->autogrow && growth > 0)) {
      std::string why =
          !s.db->autogrow
              ? fmt::format("the database files cannot grow (autogrow is off) by the {} MB the upgrade needs", growth)
              : fmt::format("disk full: the upgrade needs {} MB, {} MB free on {}", growth, s.db->free_disk_mb,
                            s.db->server);
      return fail_midway(w, rec.site, rec, t + dur / 2, why);
    }
    if (fault == FaultEffect::fail) {
      return fail_midway(w, rec.site, rec, t + dur / 2, "the database step failed (injected fault)");
    }
  } else if (fault == FaultEffect::fail) {
    s.state = SiteState::running;
    w.later_setup_log(rec.site, t + dur / 2,
                      "~ERROR: Setup failed while reinstalling site components (injected fault).");
    w.later_setup_log(rec.site, t + dur / 2, "SMS Setup failed. The site was not upgraded.");
    return {false, "setup failed (injected fault)", dur / 2};
  }
  // Setup removes the old SMS tree: whatever else was in it is gone.
  for (const auto& f : s.foreign_files) {
    w.later_setup_log(rec.site, t + dur / 2, fmt::format("Deleting {} (not an SMS file) from the SMS folder tree.", f));
    s.lost_files.push_back(f);
  }
  s.foreign_files.clear();
  if (s.db) {
    s.db_before = s.db;
    s.db->data_mb += s.db->growth_data_mb;
    s.db->log_mb += s.db->growth_log_mb;
    s.db->free_disk_mb -= s.db->growth_data_mb + s.db->growth_log_mb;
    if (w.dbs && !s.db->file.empty()) w.dbs->upgrade(s, {s.db->data_mb, s.db->log_mb});
  }
  w.schedule(t + dur, EventKind::milestone, rec.site, 0, s.gen);
  std::string msg = fmt::format("setup completed ({})", command_of(m));
  if (!s.lost_files.empty()) msg += fmt::format("; deleted {} non-SMS file(s) in the SMS folder", s.lost_files.size());
  if (s.backup_age_at_upgrade > static_cast<VTime>(kBackupMaxAgeDays) * kDay) {
    msg += fmt::format("; the last backup was {:.1f} days old when setup began",
                       static_cast<double>(s.backup_age_at_upgrade) / static_cast<double>(kDay));
  }
  return {true, msg, dur};
}

Decision settle(World& w, StepRun& rec) {
  TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
  if (s.setup_start == kNever || s.state == SiteState::running || s.state == SiteState::failed ||
      s.state == SiteState::down) {
    return {false, fmt::format("{} has no completed setup to settle after (state {})", s.code, to_string(s.state)),
            kMinute};
  }
  VTime until = std::max(rec.start + minutes(w.opt.durations.settle), s.expected_done);
  if (s.setup_end != kNever) until = std::max(until, s.setup_end + minutes(w.opt.durations.settle));
  return {true, "no console, site reset or configuration change for 30 minutes", until - rec.start};
}

Decision verify(World& w, StepRun& rec) {
  TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
  VTime check = rec.start + minutes(w.opt.durations.verify);
  VTime limit = rec.start + minutes(w.opt.durations.verify_wait);
  if (s.setup_start == kNever || s.state == SiteState::failed || s.state == SiteState::down) {
    return {
        false,
        fmt::format("{} was not upgraded (state {}); no milestones after a setup start", s.code, to_string(s.state)),
        check - rec.start};
  }
  // Milestones still to come are waited for, up to the limit (as a driver
  // following the logs would).
  VTime last = s.expected_done;
  if (last != kNever && last > check && last <= limit) check = last + kMinute;
  std::vector<std::string> missing;
  static const char* names[] = {"SMSSetup.log: SMS Setup completed successfully",
                                "sitecomp.log: Processing site shutdown transaction",
                                "sitecomp.log: Site shutdown complete",
                                "sitecomp.log: Waiting for changes to the Sitectrl.box or Sitecomp.box directories",
                                "hman.log: Wait for site control changes",
                                "inboxmgr.log: Waiting for changes inbox definition"};
  bool setup_done = s.setup_end != kNever && s.setup_end <= check;
  bool all_done = setup_done && s.expected_done != kNever && s.expected_done <= check;
  for (int i = 0; i < kMilestones && !all_done; ++i) {
    if (!setup_done || (i > 0 && s.milestones[static_cast<size_t>(i)] == kNever)) missing.push_back(names[i]);
  }
  if (!missing.empty()) {
    std::string m = "missing milestones: " + missing.front();
    for (size_t i = 1; i < missing.size(); ++i) m += "; " + missing[i];
    return {false, m, check - rec.start};
  }
  std::string msg = "all six milestones present, in order, the last 30 minutes or more after setup began";
  if (s.reinstall_restarts > 0) {
    msg += fmt::format(" (component reinstallation restarted {} time(s) by activity during the settle)",
                       s.reinstall_restarts);
  }
  return {true, msg, check - rec.start};
}

}  // namespace

Decision begin_upgrade_step(World& w, StepRun& rec, plan::Kind k) {
  if (k == plan::Kind::upgrade) return upgrade(w, rec);
  if (k == plan::Kind::settle) return settle(w, rec);
  return verify(w, rec);
}

}  // namespace smsup::twin
