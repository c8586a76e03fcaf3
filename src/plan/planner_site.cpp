// The steps of one site (shared/spec/plan.md, order rules 1-5): database
// preparation, readiness wizard, setup, the 30-minute wait, verification,
// and what follows it.
#include <fmt/format.h>

#include "model/db_growth.h"
#include "plan/planner_build.h"

namespace smsup::plan::detail {
namespace {

constexpr const char* kMedia = "C:\\SMS2003SP2";

void add_media(nlohmann::json& params) {
  params["media"] = kMedia;
  params["extract"] = fmt::format("SMS2003SP2.exe /X:{}", kMedia);
}

// The checklist's other way: "Or detach the db if testing on the same server
// and then create the db and restore." The test runs on the site's own SQL
// Server, beside the original, which is detached (so that the test database
// can take its name) and attached again afterwards: the site is down for the
// whole step. The order of its sub-steps is the plan's (params.sequence), so
// that the runbook, a shell command ({mode}) and the twin follow the same one.
std::string add_same_server_dbtest(Builder& b, int i, const std::string& backup) {
  const Site& s = b.h.sites[i];
  const Database& db = *s.database;
  std::string t =
      b.add(s.code, Kind::dbtest, "", db.server,
            fmt::format("Test the upgrade of {} on its own SQL Server {} (original detached)", db.name, db.server),
            b.work_of(i));
  DiskNeed need = disk_need(db, b.clients_held[static_cast<size_t>(i)]);
  auto& p = b.at(t).params;
  p = {{"mode", kDbtestSameServer},
       {"database", db.name},
       {"server", db.server},
       {"site_server", s.site_server().host},
       {"command", fmt::format("setup.exe /testdbupgrade {}", db.name)},
       {"args", {"/testdbupgrade", db.name}},
       {"sql", db.sql.text},
       {"data_mb", db.data_mb},
       {"log_mb", db.log_mb},
       // The test database is a second copy on the same disks, and grows by the upgrade.
       {"room_mb", db.data_mb + db.log_mb + need.growth.total_mb()},
       {"free_disk_mb", db.free_disk_mb},
       {"backup_file", fmt::format("{}_dbtest.bak", db.name)},
       {"test_files",
        {{"data", fmt::format("{}_dbtest.mdf", db.name)}, {"log", fmt::format("{}_dbtest_log.ldf", db.name)}}},
       {"services", {"SMS_SITE_COMPONENT_MANAGER", "SMS_EXECUTIVE", "SMS_SQL_MONITOR"}},
       {"sequence", same_server_sequence()},
       {"log", "SMSSETUP.log at the root of the system drive"}};
  add_media(p);
  b.wait(t, backup);
  return t;
}

// replication-disable -> backup -> dbtest -> disk-check; returns disk-check.
std::string add_database_steps(Builder& b, int i) {
  const Site& s = b.h.sites[i];
  const Database& db = *s.database;
  const auto& sp = b.sites[i];
  const std::string& code = s.code;
  Workload w = b.work_of(i);
  std::string repl;
  if (db.replication) {
    repl = b.add(code, Kind::replication_disable, "", db.server,
                 fmt::format("Disable SQL Server replication of {} (publisher {})", db.name, db.server), w);
    b.at(repl).params = {{"publisher", db.server},
                         {"database", db.name},
                         {"delete_subscriptions", "on every remote subscriber (KB324401)"}};
    b.wait_all(repl, sp.os_work);
  }
  std::string backup =
      b.add(code, Kind::backup, "", db.server, fmt::format("Back up the site database {} of {}", db.name, code), w);
  b.at(backup).params = {{"database", db.name},
                         {"server", db.server},
                         {"size_mb", db.data_mb + db.log_mb},
                         {"method", "Backup SMS Site Server task"},
                         {"alternative",
                          "stop all SMS services on the site server and SQL Server, then back up "
                          "with SQL Server Enterprise Manager"},
                         {"last_backup", s.last_backup ? nlohmann::json(to_string(*s.last_backup)) : nlohmann::json()}};
  b.wait(backup, repl);
  b.wait_all(backup, sp.os_work);
  std::string before_disk = backup;
  if (!db.dbtest && same_server_dbtest(b.opts, code)) {
    before_disk = add_same_server_dbtest(b, i, backup);
  } else if (!db.dbtest) {
    std::string t =
        b.add(code, Kind::dbtest, "", "", fmt::format("Test the upgrade of {} on a restored copy", db.name), w);
    auto& p = b.at(t).params;
    p = {{"mode", kDbtestCopy},
         {"database", db.name},
         {"command", fmt::format("setup.exe /testdbupgrade {}", db.name)},
         {"args", {"/testdbupgrade", db.name}},
         {"sql", db.sql.text},
         {"restore_on", fmt::format("another computer running {}", describe(db.sql))},
         {"never_on", db.server},
         {"data_mb", db.data_mb},
         {"log_mb", db.log_mb},
         {"log", "SMSSETUP.log at the root of the system drive"}};
    add_media(p);
    b.wait(t, backup);
    before_disk = t;
  }
  std::string disk =
      b.add(code, Kind::disk_check, "", db.server, fmt::format("Check free disk and autogrow for {}", db.name), {});
  // The db-disk-space rule's figure: the upgrade's growth and the software
  // inventory headroom (model/db_growth.h).
  DiskNeed need = disk_need(db, b.clients_held[static_cast<size_t>(i)]);
  b.at(disk).params = {{"server", db.server},
                       {"database", db.name},
                       {"free_disk_mb", db.free_disk_mb},
                       {"required_mb", need.total_mb()},
                       {"growth_mb", need.growth.total_mb()},
                       {"software_inventory_mb", need.headroom_mb},
                       {"clients_held", need.clients_held},
                       {"growth_from", db.dbtest ? "dbtest result in the inventory"
                                                 : fmt::format("{}/dbtest (estimate until then)", code)},
                       {"autogrow", db.autogrow}};
  if (!db.autogrow) {
    // The checklist: "ensure that SQL Server is configured to autogrow" before
    // the upgrade. With autogrow off this is a person's job in Enterprise
    // Manager, so the step becomes manual and says so.
    b.at(disk).manual = true;
    b.at(disk).params["enable_autogrow"] = true;
    b.at(disk).title = fmt::format("Turn on autogrow and check free disk for {}", db.name);
  }
  b.wait(disk, before_disk);
  return disk;
}

// The DRW: for a secondary site, on its parent primary after the parent's
// upgrade is verified; for a primary at RTM, on its own site server.
std::string add_drw(Builder& b, int i) {
  const Site& s = b.h.sites[i];
  bool rtm_unchecked = s.version.level <= SmsLevel::rtm && !s.drw_passed;
  if (s.is_primary() && !rtm_unchecked) return "";
  if (!s.is_primary() && s.drw_passed) return "";
  std::string host = s.is_primary() ? s.site_server().host : b.h.sites[s.parent_index].site_server().host;
  std::string id = b.add(s.code, Kind::drw, "", host,
                         fmt::format("Run the SP2 Deployment Readiness Wizard for {}", s.code), b.work_of(i));
  auto& p = b.at(id).params;
  p = {
      {"program", "DRW.exe"}, {"folder", "SMSSETUP\\BIN\\I386\\ on the SP2 CD or extracted files"}, {"target", s.code}};
  if (!s.is_primary()) p["run_on_parent"] = b.h.sites[s.parent_index].code;
  if (s.is_primary()) {
    b.at(id).why.emplace_back(s.method.value_or(b.default_method) == Method::update_quiet ? "drw-required"
                                                                                          : "drw-prompt");
  } else {
    b.at(id).why.emplace_back("secondary-manual");
  }
  b.wait_all(id, b.sites[i].os_work);
  if (!s.is_primary() && b.sites[i].nearest >= 0) b.wait(id, b.sites[b.sites[i].nearest].verify);
  return id;
}

std::string add_upgrade(Builder& b, int i) {
  const Site& s = b.h.sites[i];
  std::string id;
  if (s.is_primary()) {
    Method m = s.method.value_or(b.default_method);
    bool manual = m == Method::interactive;
    id = b.add(s.code, Kind::upgrade, "", s.site_server().host, fmt::format("Upgrade {} to SMS 2003 SP2", s.code),
               b.work_of(i));
    b.at(id).manual = manual;
    auto& p = b.at(id).params;
    p = {{"method", to_string(m)}, {"command", command_of(m)}};
    if (m == Method::interactive) {
      p["media"] = "SMS 2003 SP2 CD or extracted files";
    } else {
      add_media(p);
    }
    if (s.version.level <= SmsLevel::rtm && m != Method::update_quiet) p["drw_page"] = true;
  } else {
    const Site& parent = b.h.sites[s.parent_index];
    bool on_server = s.method.has_value();
    id = b.add(s.code, Kind::upgrade, "", on_server ? s.site_server().host : parent.site_server().host,
               fmt::format("Upgrade secondary site {} to SMS 2003 SP2", s.code), b.work_of(i));
    b.at(id).manual = true;  // from the parent's console, or Update.exe on its server: a person
    auto& p = b.at(id).params;
    if (on_server) {
      p = {{"method", to_string(*s.method)}, {"command", command_of(*s.method)}};
      if (*s.method != Method::interactive) add_media(p);
    } else {
      p = {{"method", "parent-console"},
           {"console", parent.code},
           {"alternative", "Update.exe or Autorun.exe on the secondary site server"}};
    }
    b.at(id).why.emplace_back("secondary-manual");
  }
  auto& p = b.at(id).params;
  p["install_dir"] = s.install_dir;
  if (!s.foreign_files.empty()) p["foreign_files"] = s.foreign_files;
  if (s.security == Security::standard && s.advanced_security_ready) {
    p["advanced_security_offer"] = true;
  }
  if (b.sites[i].nearest >= 0) b.wait(id, b.sites[b.sites[i].nearest].verify);
  return id;
}

nlohmann::json milestones(const Site& s) {
  std::string logs = s.install_dir + "\\Logs";
  return nlohmann::json::array(
      {{{"log", "C:\\SMSSetup.log"}, {"text", "SMS Setup completed successfully"}},
       {{"log", logs + "\\sitecomp.log"}, {"text", "Processing site shutdown transaction"}},
       {{"log", logs + "\\sitecomp.log"}, {"text", "Site shutdown complete"}},
       {{"log", logs + "\\sitecomp.log"},
        {"text", "Waiting for changes to the \"" + s.install_dir + "\\Inboxes\\Sitectrl.box\" or \"" + s.install_dir +
                     "\\Inboxes\\Sitecomp.box\" directories"}},
       {{"log", logs + "\\hman.log"}, {"text", "Wait for site control changes for maximum 3600 seconds"}},
       {{"log", logs + "\\inboxmgr.log"},
        {"text",
         "Waiting for changes inbox definition, inbox rules and inbox replication files, "
         "max wait = 3600 seconds"}}});
}

}  // namespace

void add_site_steps(Builder& b, int i) {
  const Site& s = b.h.sites[i];
  const std::string& code = s.code;
  const std::string host = s.site_server().host;
  std::string l2a = add_legacy_to_advanced(b, i);
  add_os_track(b, i);
  std::string disk = s.is_primary() ? add_database_steps(b, i) : "";
  std::string drw = add_drw(b, i);
  std::string up = add_upgrade(b, i);
  b.sites[i].upgrade = up;
  b.wait(up, disk);
  b.wait(up, drw);
  b.wait(up, l2a);
  if (!s.is_primary()) b.wait_all(up, b.sites[i].os_work);
  std::string settle = b.add(code, Kind::settle, "", host, fmt::format("Wait 30 minutes for {} to settle", code), {});
  b.at(settle).params = {
      {"wait_min", 30},
      {"do_not", {"open the SMS Administrator console", "run a site reset", "change the site configuration"}}};
  b.wait(settle, up);
  std::string verify =
      b.add(code, Kind::verify, "", host, fmt::format("Verify the upgrade of {} in its logs", code), b.work_of(i));
  b.at(verify).params = {{"install_dir", s.install_dir}, {"milestones", milestones(s)}};
  b.wait(verify, settle);
  b.sites[i].verify = verify;
  if (s.database && s.database->replication) {
    std::string on = b.add(code, Kind::replication_enable, "", s.database->server,
                           fmt::format("Re-enable SQL Server replication of {}", s.database->name), {});
    b.at(on).params = {{"publisher", s.database->server},
                       {"database", s.database->name},
                       {"reference", "http://go.microsoft.com/fwlink/?LinkId=41116"}};
    b.wait(on, verify);
  }
  for (const auto& c : s.consoles) {
    if (c.version.level >= SmsLevel::sp2) continue;
    std::string id = b.add(code, Kind::console_upgrade, c.host, c.host,
                           fmt::format("Upgrade the SMS Administrator console on {} to SP2", c.host), {});
    b.at(id).params = {{"console", c.host}, {"from", c.version.text}, {"site", code}};
    b.at(id).why.emplace_back("console-version");
    b.wait(id, verify);
  }
  add_after_verify_client_steps(b, i);
}

}  // namespace smsup::plan::detail
