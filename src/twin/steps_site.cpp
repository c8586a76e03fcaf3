// Site preparation steps: backup, replication, the database test on a copy,
// the disk check, the DRW and the restore from backup; and the effects every
// step kind has when it ends.
#include <algorithm>
#include <fmt/format.h>

#include "model/db_growth.h"
#include "twin/world.h"

namespace smsup::twin {
namespace {

double db_gb(const TwinSite& s) { return s.db ? static_cast<double>(s.db->data_mb + s.db->log_mb) / 1024.0 : 0; }

VTime scaled(const World& w, const StepRun& rec, double m) { return minutes(m * w.jitter(rec.step.id, rec.attempt)); }

// The checklist: run /testdbupgrade on a restored copy, never on the original.
// The planner names the database (the copy keeps its name) and the server it
// must never run on; a step that runs on the site's own database server
// (params.server or its host), or says on_original, is the mistake the twin
// punishes.
bool on_original(const TwinSite& s, const plan::Step& step) {
  if (step.params.value("on_original", false)) return true;
  if (!step.host.empty() && step.host == s.db->server) return true;
  std::string server = step.params.value("server", "");
  std::string db = step.params.value("database", s.db->name);
  return server == s.db->server && db == s.db->name;
}

Decision dbtest(World& w, StepRun& rec) {
  TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
  if (!s.db) return {false, fmt::format("{} is a secondary site: it has no site database to test", s.code), kMinute};
  VTime dur = scaled(w, rec, w.opt.durations.dbtest_base + w.opt.durations.dbtest_per_gb * db_gb(s));
  // Setup writes its log where it runs: the test server holding the copy.
  std::string host = !rec.step.host.empty() ? rec.step.host : rec.step.params.value("server", s.db->server);
  if (host == s.db->server && !on_original(s, rec.step))
    host = "SQLTEST";  // "another computer running the same SQL Server"
  if (on_original(s, rec.step)) {
    w.setup_log(rec.site, rec.start, fmt::format("Setup /testdbupgrade {} started.", s.db->name), host);
    s.db_before = s.db;
    s.db->sp1_compatible = false;
    s.state = SiteState::down;
    s.failure = fmt::format("/testdbupgrade ran on the site database {}", s.db->name);
    w.later_setup_log(
        rec.site, rec.start + dur,
        fmt::format(
            "~WARNING: The database {} has been upgraded for the test and is no longer compatible with SMS 2003 {}.",
            s.db->name, to_string(s.version)),
        host);
    return {false,
            fmt::format("/testdbupgrade ran on the site's own database {}: it is no longer compatible with SMS 2003 "
                        "{}; the site goes down",
                        s.db->name, to_string(s.version)),
            dur};
  }
  if (!w.has_backup(rec.site)) {
    return {false, fmt::format("no backup of {} to restore as a copy; back the site up first", s.db->name), kMinute};
  }
  std::string copy = rec.step.params.value("database", s.db->name + "_TEST");
  w.setup_log(rec.site, rec.start, fmt::format("Setup /testdbupgrade {} started on a restored copy.", copy), host);
  if (s.backups.back().with_replication) {
    w.later_setup_log(
        rec.site, rec.start + dur / 2,
        fmt::format("~ERROR: /testdbupgrade failed on {}: it was restored from a database with replication enabled.",
                    copy),
        host);
    return {false,
            "the copy was restored from a backup taken while replication was on: /testdbupgrade fails on it; disable "
            "replication, back up again",
            dur / 2};
  }
  return {true,
          fmt::format("tested on copy {}: data {} -> {} MB, log {} MB -> {} MB", copy, s.db->data_mb,
                      s.db->data_mb + s.db->growth_data_mb, s.db->log_mb, s.db->log_mb + s.db->growth_log_mb),
          dur};
}

Decision disk_check(World& w, StepRun& rec) {
  TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
  VTime dur = scaled(w, rec, w.opt.durations.disk_check);
  if (!s.db) return {true, "secondary site: no site database", dur};
  // The operator knows the measured growth after a test, the disk rule's
  // estimate before one (the upgrade itself takes what it really takes); on
  // top of it, as the rule and the plan, room for the software inventory its
  // clients report afterwards (model/db_growth.h).
  int64_t growth = s.db->growth_measured ? s.db->growth_data_mb + s.db->growth_log_mb : s.db->estimate_mb;
  int64_t headroom = software_inventory_headroom_mb(s.db->clients_held);
  int64_t need = growth + headroom;
  std::string basis =
      fmt::format("{} MB growth, {}, and {} MB for the software inventory of {} clients", growth,
                  s.db->growth_measured ? "measured" : "estimated (no database test)", headroom, s.db->clients_held);
  if (!s.db->autogrow && rec.step.params.value("enable_autogrow", false)) {
    // The operator turns autogrow on as the (manual) step says.
    s.db->autogrow = true;
  }
  if (!s.db->autogrow)
    return {false, fmt::format("the site database does not autogrow; {} MB needed ({})", need, basis), dur};
  if (s.db->free_disk_mb < need) {
    return {false, fmt::format("{} MB free on {}, {} MB needed ({})", s.db->free_disk_mb, s.db->server, need, basis),
            dur};
  }
  return {true, fmt::format("{} MB free covers the {} MB needed ({})", s.db->free_disk_mb, need, basis), dur};
}

Decision drw(World& w, StepRun& rec) {
  TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
  VTime dur = scaled(w, rec, w.opt.durations.drw);
  if (!s.primary) {
    // The SP2 DRW for a secondary site runs on its parent primary site, which
    // must already be SP2; running it there is activity on the parent.
    const TwinSite& p = w.sites[static_cast<size_t>(s.parent)];
    if (p.version != SmsLevel::sp2) {
      return {false,
              fmt::format(
                  "the DRW for secondary {} runs on its parent {}, which is at SMS 2003 {}: upgrade the parent first",
                  s.code, p.code, to_string(p.version)),
              dur};
    }
    w.activity(s.parent, rec.start, "the Deployment Readiness Wizard");
    w.site_log(s.parent, "drw.log", "SMS_DRW", rec.start, fmt::format("Analyzing secondary site {}.", s.code));
    w.later_site_log(s.parent, "drw.log", "SMS_DRW", rec.start + dur,
                     fmt::format("Deployment Readiness Wizard: secondary site {} passed all tests.", s.code));
    return {true, fmt::format("DRW run from {} against {}: no errors", p.code, s.code), dur};
  }
  w.later_site_log(rec.site, "drw.log", "SMS_DRW", rec.start + dur, "Deployment Readiness Wizard: all tests passed.");
  return {true, "DRW: no errors", dur};
}

}  // namespace

bool World::restore(int site, VTime t, std::string& what) {
  TwinSite& s = sites[static_cast<size_t>(site)];
  if (s.state != SiteState::failed && s.state != SiteState::down) {
    what = fmt::format("{} is {}: nothing to restore", s.code, to_string(s.state));
    return false;
  }
  if (!has_backup(site)) {
    what = fmt::format("{} has no backup: it stays down", s.code);
    return false;
  }
  s.state = SiteState::running;
  s.version = s.version_before;
  if (s.db_before) s.db = s.db_before;
  if (s.db) s.db->sp1_compatible = true;
  s.setup_start = s.setup_end = s.reinstall_start = s.expected_done = kNever;
  s.milestones.fill(kNever);
  ++s.gen;
  s.failure.clear();
  what = fmt::format("{} restored from the backup of {}: running SMS 2003 {}", s.code,
                     iso_time(opt.epoch_s, s.backups.back().time), to_string(s.version));
  site_log(site, "smsbkup.log", "SMS_SITE_BACKUP", t, "Site restored from backup. " + what);
  return true;
}

Decision begin_site_step(World& w, StepRun& rec, plan::Kind k) {
  using plan::Kind;
  TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
  const auto& d = w.opt.durations;
  if (k == Kind::dbtest) return dbtest(w, rec);
  if (k == Kind::disk_check) return disk_check(w, rec);
  if (k == Kind::drw) return drw(w, rec);
  if (k == Kind::backup) {
    if (s.state == SiteState::down || s.state == SiteState::failed) {
      return {false, fmt::format("{} is {}: nothing sound to back up", s.code, to_string(s.state)), kMinute};
    }
    w.site_log(rec.site, "smsbkup.log", "SMS_SITE_BACKUP", rec.start, "Starting site backup (Backup SMS Site Server).");
    VTime dur = scaled(w, rec, d.backup_base + d.backup_per_gb * db_gb(s));
    w.later_site_log(rec.site, "smsbkup.log", "SMS_SITE_BACKUP", rec.start + dur, "Backup completed successfully.");
    return {true,
            s.db && s.db->replication ? "backed up (replication is still on: a copy of this backup cannot be tested)"
                                      : "backed up",
            dur};
  }
  if (k == Kind::replication_disable || k == Kind::replication_enable) {
    if (!s.db) return {false, fmt::format("{} has no site database", s.code), kMinute};
    return {true,
            k == Kind::replication_disable ? "publishing disabled, subscriptions deleted" : "replication re-enabled",
            scaled(w, rec, d.replication)};
  }
  // restore
  std::string what;
  VTime dur = scaled(w, rec, d.restore_base + d.restore_per_gb * db_gb(s));
  bool ok = w.restore(rec.site, rec.start + dur, what);
  return {ok, what, dur};
}

void finish_step(World& w, StepRun& rec) {
  using plan::Kind;
  const plan::KindRow& row = *plan::find_kind(rec.step.kind);
  const Kind k = row.kind;
  TwinSite* s = rec.site >= 0 ? &w.sites[static_cast<size_t>(rec.site)] : nullptr;
  if (k == Kind::backup) {
    s->backups.push_back({rec.end, s->db && s->db->replication, true, s->foreign_files});
  } else if (k == Kind::replication_disable || k == Kind::replication_enable) {
    s->db->replication = k == Kind::replication_enable;
    if (w.dbs && !s->db->file.empty()) w.dbs->set_replication(*s, s->db->replication);
  } else if (k == Kind::drw) {
    s->drw_passed = true;
  } else if (k == Kind::dbtest) {
    s->db->growth_measured = true;
    s->db->copies.push_back(rec.step.params.value("database", s->db->name + "_TEST"));
  } else if (k == Kind::verify) {
    s->verified = true;
  } else if (k == Kind::itmu) {
    for (auto& x : w.sites) x.itmu = true;
  } else if (row.twin == plan::TwinPart::host) {
    finish_host_step(w, rec, k);
  }
}

}  // namespace smsup::twin
