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

// /testdbupgrade on a database restored from a backup taken while
// replication was on fails halfway (twin.md), on a copy elsewhere or on the
// same server alike: true, and its setup log says so.
bool failed_on_replicated_backup(World& w, const StepRun& rec, const std::string& database, const std::string& host,
                                 VTime dur) {
  if (!w.sites[static_cast<size_t>(rec.site)].backups.back().with_replication) return false;
  w.later_setup_log(
      rec.site, rec.start + dur / 2,
      fmt::format("~ERROR: /testdbupgrade failed on {}: it was restored from a database with replication enabled.",
                  database),
      host);
  return true;
}

// The same-server test (params.mode "same-server", planner_site.cpp): the
// sub-steps of params.sequence, in that order, on the site's own SQL Server,
// each judged by what SQL Server would do in the state the earlier ones left.
// In the plan's order (stop services, backup, detach, create, restore WITH
// MOVE, test, drop, reattach, start services) the original is never touched;
// in another order the original is detached and left so, or it is what the
// test, the restore or the DROP acts on. After a sub-step fails the operator
// only cleans up, as the runbook says: the drop (of a test database only),
// reattach and start-services still to come are done, nothing else.
struct SameServerRun {
  bool services = true;                                               // the SMS services run on the site server
  bool attached = true;                                               // the original is attached under its name
  enum class TestDb { none, created, restored } test = TestDb::none;  // under the original's name
  bool backup = false;                                                // a backup taken by the step itself
  bool tested = false;
  bool dropped = false;  // DROP DATABASE took the original and its files
  std::string failed;    // the first sub-step that failed, and why
  std::string damage;    // what touched the original (first)
};

Decision same_server_dbtest(World& w, StepRun& rec) {
  TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
  SiteDb& db = *s.db;
  const auto& d = w.opt.durations;
  const plan::Step& step = rec.step;
  VTime dur = scaled(w, rec, d.dbtest_base + d.dbtest_per_gb * db_gb(s) + d.backup_base + d.backup_per_gb * db_gb(s));
  std::string host = !step.host.empty() ? step.host : step.params.value("server", db.server);
  std::vector<std::string> seq;
  auto it = step.params.find("sequence");
  if (it == step.params.end()) {
    seq = plan::same_server_sequence();
  } else if (!it->is_array()) {
    return {false, "params.sequence is not a list of sub-steps", kMinute};
  } else {
    const auto known = plan::same_server_sequence();
    for (const auto& x : *it) {
      std::string t = x.is_string() ? x.get<std::string>() : x.dump();
      if (std::find(known.begin(), known.end(), t) == known.end()) {
        return {
            false,
            fmt::format("'{}' is not a sub-step of a same-server test; expected one of: {}", t, fmt::join(known, ", ")),
            kMinute};
      }
      seq.push_back(t);
    }
  }
  // The services cannot be stopped under another step of the site.
  for (const auto& r : w.steps) {
    if (r.site == rec.site && !r.finished && r.start <= rec.start && rec.start < r.end && r.step.id != step.id) {
      return {false,
              fmt::format("{} is running on {}: its SMS services cannot be stopped for a same-server database test "
                          "now; the test waits for every other step of the site",
                          r.step.id, s.code),
              kMinute};
    }
  }
  const bool with_move = step.params.value("with_move", true);
  const int64_t room = db.data_mb + db.log_mb + db.growth_data_mb + db.growth_log_mb;
  SameServerRun st;
  using T = SameServerRun::TestDb;
  auto fail = [&](const std::string& tok, std::string why) {
    if (st.failed.empty()) st.failed = fmt::format("{}: {}", tok, why);
  };
  auto touch = [&](std::string why) {
    if (st.damage.empty()) st.damage = std::move(why);
  };
  for (const auto& tok : seq) {
    if (!st.failed.empty() && tok != "drop" && tok != "reattach" && tok != "start-services") continue;
    if (tok == "stop-services") {
      st.services = false;
      s.services_down_until = std::max(s.services_down_until, rec.start + dur);
    } else if (tok == "start-services") {
      st.services = true;
    } else if (tok == "backup") {
      if (!st.attached) {
        fail(tok, fmt::format("{} is detached: there is nothing to back up", db.name));
      } else {
        st.backup = true;
        s.backups.push_back({rec.start, db.replication, false, {}});
      }
    } else if (tok == "detach") {
      if (st.services) {
        fail(tok,
             fmt::format("sp_detach_db refused: {} is in use (the SMS services of {} still run)", db.name, s.code));
      } else if (st.attached) {
        st.attached = false;
      } else {
        fail(tok, fmt::format("{} is not attached", db.name));
      }
    } else if (tok == "create") {
      if (st.attached || st.test != T::none) {
        fail(tok, fmt::format("CREATE DATABASE refused: a database named {} already exists (detach the original "
                              "first)",
                              db.name));
      } else {
        st.test = T::created;
      }
    } else if (tok == "restore") {
      if (!st.backup && !w.has_backup(rec.site)) {
        fail(tok, fmt::format("no backup of {} to restore", db.name));
      } else if (st.attached && st.test == T::none) {
        touch(
            fmt::format("the backup was restored over the attached original {} (RESTORE ... WITH REPLACE): "
                        "what the site wrote since the backup is lost",
                        db.name));
      } else if (!with_move) {
        touch(fmt::format("the backup was restored without WITH MOVE, onto the files of the detached original {}",
                          db.name));
        st.test = T::restored;
      } else if (db.free_disk_mb < room) {
        fail(tok, fmt::format("{} MB free on {}; the test database needs {} MB (a copy of data and log and the "
                              "upgrade's growth)",
                              db.free_disk_mb, db.server, room));
      } else {
        st.test = T::restored;
      }
    } else if (tok == "test") {
      w.setup_log(rec.site, rec.start, fmt::format("Setup /testdbupgrade {} started.", db.name), host);
      if (st.test == T::restored) {
        st.tested = true;
      } else if (st.test == T::created) {
        fail(tok, fmt::format("{} is the empty database just created, not an SMS site database: restore the "
                              "backup into it first",
                              db.name));
      } else if (st.attached) {
        touch(
            fmt::format("/testdbupgrade ran on the site's own database {}: it is no longer compatible with SMS "
                        "2003 {}",
                        db.name, to_string(s.version)));
      } else {
        fail(tok, fmt::format("there is no database named {} (the original is detached, no test database was "
                              "made)",
                              db.name));
      }
    } else if (tok == "drop") {
      if (st.test != T::none) {
        st.test = T::none;
      } else if (st.attached && st.failed.empty()) {  // cleaning up, the operator checks the files first
        touch(fmt::format("DROP DATABASE {} dropped the original: the site has no database", db.name));
        st.attached = false;
        st.dropped = true;
      }
    } else if (tok == "reattach") {
      if (st.test != T::none) {
        fail(tok,
             fmt::format("sp_attach_db refused: a database named {} exists (drop the test database first)", db.name));
      } else if (st.dropped) {
        fail(tok, fmt::format("sp_attach_db failed: the files of {} were deleted with it", db.name));
      } else {
        st.attached = true;
      }
    }
  }
  std::string order = fmt::format("sub-steps {}", fmt::join(seq, ", "));
  if (!st.damage.empty()) {
    s.db_before = s.db;
    db.sp1_compatible = false;
    s.state = SiteState::down;
    s.failure = st.damage;
    w.later_setup_log(rec.site, rec.start + dur, "~ERROR: the original site database was touched: " + st.damage, host);
    return {false,
            fmt::format("same-server test out of order ({}): {}; site {} goes down until it is restored from a backup",
                        order, st.damage, s.code),
            dur};
  }
  if (!st.attached || !st.services) {
    s.state = SiteState::down;
    s.failure = !st.attached
                    ? fmt::format("its database {} is detached (the same-server test did not reattach it)", db.name)
                    : fmt::format("its SMS services were left stopped by the same-server test");
    return {false,
            fmt::format("{}{}{}; site {} is down: {}", order, st.failed.empty() ? "" : "; failed at ", st.failed,
                        s.code, s.failure),
            dur};
  }
  if (!st.failed.empty()) {
    w.later_setup_log(rec.site, rec.start + dur, "~ERROR: the database upgrade test did not run: " + st.failed, host);
    return {
        false,
        fmt::format("same-server test failed at {}; the original {} is attached again, untouched", st.failed, db.name),
        dur};
  }
  if (!st.tested) return {false, fmt::format("{}: no /testdbupgrade on a restored test database", order), dur};
  if (failed_on_replicated_backup(w, rec, db.name, host, dur)) {
    return {false,
            "the test database was restored from a backup taken while replication was on: /testdbupgrade fails on it; "
            "disable replication first; the original is attached again, untouched",
            dur};
  }
  w.later_setup_log(rec.site, rec.start + dur,
                    fmt::format("The database upgrade test of {} completed successfully.", db.name), host);
  return {true,
          fmt::format("tested on {} beside the detached original (same server): data {} -> {} MB, log {} -> {} MB; "
                      "test database dropped, original reattached untouched",
                      db.server, db.data_mb, db.data_mb + db.growth_data_mb, db.log_mb, db.log_mb + db.growth_log_mb),
          dur};
}

Decision dbtest(World& w, StepRun& rec) {
  TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
  if (!s.db) return {false, fmt::format("{} is a secondary site: it has no site database to test", s.code), kMinute};
  if (plan::same_server_dbtest(rec.step)) return same_server_dbtest(w, rec);
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
  if (failed_on_replicated_backup(w, rec, copy, host, dur)) {
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
