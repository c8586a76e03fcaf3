// Site and platform rules (rules.md "Site and platform"). Rules about the
// upgrade of a site itself stay silent on a site already at SP2: the plan
// skips it, so there is nothing to prepare (see docs/rules.md).
#include <fmt/format.h>

#include "model/db_growth.h"
#include "rules/rule.h"

namespace smsup::rules {
namespace {

bool upgrades(const Site& s) { return s.version.level < SmsLevel::sp2; }

std::string version_text(const SmsVersion& v) {
  static constexpr std::string_view names[] = {"SMS 2.0", "SMS 2003 RTM", "SMS 2003 SP1", "SMS 2003 SP2"};
  std::string out(names[static_cast<size_t>(v.level)]);
  if (!v.text.empty() && v.text != smsup::to_string(v.level)) out += " (" + v.text + ")";
  return out;
}

// The method a site is upgraded with: the top-level method is for primary
// sites; a secondary has one only when its own entry names it.
std::optional<Method> method_for(const Hierarchy& h, const Site& s) {
  if (s.is_primary()) return h.method_of(s);
  return s.method;
}

void sms_version_path(const Context&, const Site& s, Emit& e) {
  if (s.version.level != SmsLevel::sms20) return;
  e.fire(s.code,
         fmt::format("{} runs {}; this path upgrades SMS 2003 RTM or SP1 sites only", s.code, version_text(s.version)),
         "Upgrade the site to SMS 2003 first (Planning and Deployment guide, Appendix H), then "
         "to SP2.");
}

void already_sp2(const Context&, const Site& s, Emit& e) {
  if (s.version.level != SmsLevel::sp2) return;
  e.fire(s.code, fmt::format("{} already runs {}: the plan skips it", s.code, version_text(s.version)),
         "Nothing to upgrade on this site; its consoles and clients are still checked.");
}

void site_system_os(const Context&, const Site& s, const SiteSystem& sys, Emit& e) {
  if (!upgrades(s)) return;
  if (sys.unknown_fact(SystemFact::os)) return e.unknown(sys.host, "os");
  // Windows 2000 and Virtual Server 2005 are supported from one SP on.
  bool sp_matters = sys.os.family == WinFamily::w2000 || sys.os.family == WinFamily::vs2005;
  if (sp_matters && sys.unknown_fact(SystemFact::os_sp)) return e.unknown(sys.host, "os_sp");
  if (sp2_site_system_supported(sys.os)) return;
  std::string remedy =
      sys.os.family == WinFamily::w2000
          ? fmt::format("Install Windows 2000 Service Pack 4 on {} before upgrading {}.", sys.host, s.code)
      : sys.os.family == WinFamily::vs2005
          ? fmt::format("Install Virtual Server 2005 SP1 on {} before upgrading {}.", sys.host, s.code)
          : fmt::format(
                "Move the site system roles of {} to a server running Windows 2000 SP4 or "
                "Windows Server 2003 before upgrading {}.",
                sys.host, s.code);
  e.fire(sys.host,
         fmt::format("{} runs {}; SMS 2003 SP2 site systems need Windows 2000 SP4 or later, "
                     "Windows Server 2003 or Virtual Server 2005 SP1 or later",
                     sys.host, describe(sys.os)),
         std::move(remedy));
}

void sql_version(const Context&, const Site& s, Emit& e) {
  if (!upgrades(s) || !s.database) return;
  if (s.database->unknown_fact(DbFact::sql)) return e.unknown(s.database->server, "database.sql");
  if (sp2_site_database_supported(s.database->sql)) return;
  const Database& db = *s.database;
  std::string remedy = db.sql.major == 70 ? fmt::format("Install SQL Server 7.0 SP3 or later on {}.", db.server)
                       : db.sql.major == 80
                           ? fmt::format("Install SQL Server 2000 SP3a or SP4 on {}.", db.server)
                           : fmt::format("Move {} to SQL Server 2000 SP3a or later (or SQL Server 2005).", db.name);
  e.fire(db.server,
         fmt::format("{} hosts {} on {}; the SP2 site database needs SQL Server 7.0 SP3 or later, "
                     "SQL Server 2000 SP3a or later, or SQL Server 2005",
                     db.server, db.name, describe(db.sql)),
         std::move(remedy));
}

void sql_replication(const Context&, const Site& s, Emit& e) {
  if (!upgrades(s) || !s.database) return;
  if (s.database->unknown_fact(DbFact::replication)) return e.unknown(s.database->server, "database.replication");
  if (!s.database->replication) return;
  const Database& db = *s.database;
  e.fire(db.server, fmt::format("{} on {} is published for SQL Server replication", db.name, db.server),
         fmt::format("On {} disable publishing (Enterprise Manager: Tools > Replication > Disable "
                     "Publishing), delete the subscriptions on remote subscribers (KB324401), and "
                     "re-enable replication only after {} is upgraded and verified.",
                     db.server, s.code));
}

std::string drw_where(const Hierarchy& h, const Site& s) {
  if (s.is_primary()) return fmt::format("on {}", s.site_server().host);
  return fmt::format("from its parent {} (Site Selection page)", h.sites[s.parent_index].code);
}

void drw_required(const Context& c, const Site& s, Emit& e) {
  auto m = method_for(c.h, s);
  if (s.version.level != SmsLevel::rtm || m != Method::update_quiet) return;
  if (s.unknown_fact(SiteFact::drw_passed)) return e.unknown(s.code, "drw_passed");
  if (s.drw_passed) return;
  e.fire(s.code,
         fmt::format("{} runs SMS 2003 RTM, is to be upgraded with {} and has no clean Deployment "
                     "Readiness Wizard run (drw_passed: false): setup /quiet fails unless the DRW "
                     "ran first",
                     s.code, command_of(*m)),
         fmt::format("Run DRW.exe (SMSSETUP\\BIN\\I386 on the SP2 CD) {}, correct every error it "
                     "reports, then record drw_passed: true.",
                     drw_where(c.h, s)));
}

void drw_prompt(const Context& c, const Site& s, Emit& e) {
  auto m = method_for(c.h, s);
  if (s.version.level != SmsLevel::rtm || !m || m == Method::update_quiet) return;
  if (s.unknown_fact(SiteFact::drw_passed)) return e.unknown(s.code, "drw_passed");
  if (s.drw_passed) return;
  e.fire(s.code,
         fmt::format("{} runs SMS 2003 RTM and is to be upgraded with {} without a clean DRW run: "
                     "the Deployment Readiness Wizard page appears during setup",
                     s.code, command_of(*m)),
         "Choose Run Now on the DRW page and continue (cancelling aborts setup), or run DRW.exe "
         "before the upgrade and correct its errors.");
}

void db_upgrade_untested(const Context&, const Site& s, Emit& e) {
  if (!upgrades(s) || !s.is_primary() || !s.database || s.database->dbtest) return;
  const Database& db = *s.database;
  e.fire(s.code,
         fmt::format("{} has no database upgrade test result for {} ({} MB data, {} MB log)", s.code, db.name,
                     with_commas(db.data_mb), with_commas(db.log_mb)),
         fmt::format("Restore a recent backup of {} on a test SQL Server of the same version, run "
                     "setup.exe /testdbupgrade {} from the SP2 files, read C:\\SMSsetup.log, and "
                     "record the data and log sizes after the test (smsup dbtest).",
                     db.name, db.name));
}

void db_disk_space(const Context& c, const Site& s, Emit& e) {
  if (!upgrades(s) || !s.database) return;
  const Database& db = *s.database;
  if (db.unknown_fact(DbFact::free_disk_mb)) return e.unknown(db.server, "database.free_disk_mb");
  if (!db.dbtest && (db.unknown_fact(DbFact::data_mb) || db.unknown_fact(DbFact::log_mb))) {
    return e.unknown(db.server, "database.data_mb and database.log_mb (or a dbtest result)");
  }
  // The upgrade's growth and, as the checklist asks, room for the software
  // inventory its clients report afterwards (model/db_growth.h).
  DiskNeed need = disk_need(db, c.clients_held[c.index_of(s)]);
  if (db.free_disk_mb >= need.total_mb()) return;
  const DbGrowth& g = need.growth;
  std::string how =
      g.measured
          ? fmt::format("the upgrade test grew it by {} MB (data {} to {} MB, log {} to {} MB)",
                        with_commas(g.total_mb()), with_commas(db.data_mb), with_commas(db.dbtest->data_mb_after),
                        with_commas(db.log_mb), with_commas(db.dbtest->log_mb_after))
          : fmt::format(
                "the upgrade is estimated to grow it by {} MB (no upgrade test: data "
                "+{} MB and log +{} MB for its {} MB of data)",
                with_commas(g.total_mb()), with_commas(g.data_mb), with_commas(g.log_mb), with_commas(db.data_mb));
  e.fire(db.server,
         fmt::format("{} has {} MB free for {}, needs {} MB: {}, and the software inventory of its {} clients "
                     "needs {} MB after it ({} KB each, smsup's assumption)",
                     db.server, with_commas(db.free_disk_mb), db.name, with_commas(need.total_mb()), how,
                     with_commas(need.clients_held), with_commas(need.headroom_mb), kSoftwareInventoryKbPerClient),
         fmt::format("Free at least {} MB more on the volumes of {} on {}{}.",
                     with_commas(need.total_mb() - db.free_disk_mb), db.name, db.server,
                     g.measured ? "" : ", or run the database upgrade test for a measured figure"));
}

void db_autogrow_off(const Context&, const Site& s, Emit& e) {
  if (!s.database) return;
  if (s.database->unknown_fact(DbFact::autogrow)) return e.unknown(s.database->server, "database.autogrow");
  if (s.database->autogrow) return;
  const Database& db = *s.database;
  e.fire(db.server, fmt::format("{} on {} does not autogrow", db.name, db.server),
         fmt::format("Set the data and log files of {} to autogrow before the upgrade: it moves "
                     "large amounts of inventory data.",
                     db.name));
}

void foreign_files(const Context&, const Site& s, Emit& e) {
  if (!upgrades(s)) return;
  if (s.unknown_fact(SiteFact::foreign_files)) return e.unknown(s.code, "foreign_files");
  if (s.foreign_files.empty()) return;
  e.fire(s.code,
         fmt::format("{} has {} non-SMS item(s) inside {}: {}", s.code, s.foreign_files.size(), s.install_dir,
                     fmt::join(s.foreign_files, ", ")),
         fmt::format("Move them out of {} before the upgrade: setup deletes every non-SMS file and "
                     "folder in the SMS folder tree. If one is lost all the same, the Backup SMS Site "
                     "Server task's copy of the SMS folder tree holds it: restore it from there.",
                     s.install_dir));
}

void backup_stale(const Context& c, const Site& s, Emit& e) {
  if (!upgrades(s)) return;
  std::string remedy = fmt::format(
      "Run the Backup SMS Site Server task for {} and keep the backup "
      "until the upgrade is verified.",
      s.code);
  if (!s.last_backup) {
    e.fire(s.code, fmt::format("{} has no recorded site backup (last_backup is empty)", s.code), std::move(remedy));
    return;
  }
  auto days = (c.opts.as_of - *s.last_backup).count();
  if (days <= kBackupMaxAgeDays) return;
  e.fire(s.code,
         fmt::format("{} was last backed up on {}, {} days before {}", s.code, smsup::to_string(*s.last_backup), days,
                     smsup::to_string(c.opts.as_of)),
         std::move(remedy));
}

void parent_not_upgraded_first(const Context& c, const Site& s, Emit& e) {
  if (s.is_central()) return;
  const Site& parent = c.h.sites[s.parent_index];
  if (s.version <= parent.version) return;
  e.fire(s.code,
         fmt::format("{} runs {} while its parent {} runs {}", s.code, version_text(s.version), parent.code,
                     version_text(parent.version)),
         fmt::format("Upgrade top-down: {} before the sites below it.", parent.code));
}

void secondary_manual(const Context& c, const Site& s, Emit& e) {
  if (s.is_primary() || !upgrades(s)) return;
  const Site& parent = c.h.sites[s.parent_index];
  e.fire(s.code,
         fmt::format("{} is a secondary site of {}: SMS setup does not upgrade secondary sites", s.code, parent.code),
         fmt::format("After {} is upgraded, run the DRW against {} from {}, then upgrade {} from {}'s "
                     "console or with Update.exe or Autorun.exe on {}.",
                     parent.code, s.code, parent.code, s.code, parent.code, s.site_server().host));
}

void console_version(const Context&, const Site& s, Emit& e) {
  if (s.unknown_fact(SiteFact::consoles)) return e.unknown(s.code, "consoles");
  for (const auto& con : s.consoles) {
    if (con.version.level >= SmsLevel::sp2) continue;
    e.fire(con.host,
           fmt::format("{} has an SMS Administrator console at {} for {}: a console below SP2 cannot "
                       "open an SP2 site",
                       con.host, version_text(con.version), s.code),
           fmt::format("Upgrade the SMS Administrator console on {} to SP2 along with {}.", con.host, s.code));
  }
}

void advanced_security_offer(const Context&, const Site& s, Emit& e) {
  if (upgrades(s) && (s.unknown_fact(SiteFact::security) || s.unknown_fact(SiteFact::advanced_security_ready))) {
    return e.unknown(s.code, s.unknown_fact(SiteFact::security) ? "security" : "advanced_security_ready");
  }
  if (!upgrades(s) || s.security != Security::standard || !s.advanced_security_ready) return;
  e.fire(s.code,
         fmt::format("{} runs standard security and meets the advanced security requirements: "
                     "setup will offer to migrate it",
                     s.code),
         "Decide beforehand: the migration is optional and can be cancelled during setup.");
}

void itmu_after_upgrade(const Context& c, Emit& e) {
  e.fire(c.h.name,
         "The Inventory Tool for Microsoft Updates needs the sites and clients at SP2; Update.exe "
         "does not install it",
         "After every site and client runs SP2, run Autorun.exe (Inventory Tool for Microsoft "
         "Updates) or SMSITMU.msi from the Scantools folder of the SP2 files.");
}

using namespace section;
const Rule kSiteRules[] = {
    {"sms-version-path", Gravity::blocker, kChecklist, "the site runs SMS 2.0: only RTM and SP1 upgrade to SP2",
     sms_version_path},
    {"already-sp2", Gravity::info, kUpgradeSite, "the site is already at SP2: the plan skips it", already_sp2},
    {"site-system-os", Gravity::blocker, kPrerequisites, "a site system runs an operating system SP2 does not support",
     site_system_os},
    {"sql-version", Gravity::blocker, kPrerequisites, "the site database's SQL Server is below 7.0 SP3 or 2000 SP3a",
     sql_version},
    {"sql-replication", Gravity::action, kReplication, "the site database is published for SQL Server replication",
     sql_replication},
    {"drw-required", Gravity::blocker, kReadiness,
     "an RTM site upgraded with /quiet has no clean Deployment Readiness Wizard run", drw_required},
    {"drw-prompt", Gravity::action, kReadiness, "an RTM site without a clean DRW run: setup shows the DRW page",
     drw_prompt},
    {"db-upgrade-untested", Gravity::action, kDbTest, "a primary site's database upgrade was not tested on a copy",
     db_upgrade_untested},
    {"db-disk-space", Gravity::blocker, kDbTest, "the database's free disk is below its upgrade growth", db_disk_space},
    {"db-autogrow-off", Gravity::warning, kDbTest, "the site database's files do not autogrow", db_autogrow_off},
    {"foreign-files", Gravity::warning, kUpgradeSite, "non-SMS files in the SMS folder tree, which setup deletes",
     foreign_files},
    {"backup-stale", Gravity::warning, kUpgradeSite, "no site backup, or one more than 7 days old", backup_stale},
    {"parent-not-upgraded-first", Gravity::info, kPreparing, "a child site runs a higher version than its parent",
     parent_not_upgraded_first},
    {"secondary-manual", Gravity::action, kSecondaries, "a secondary site to upgrade: setup does not upgrade it",
     secondary_manual},
    {"console-version", Gravity::action, kPreparing, "a remote console below SP2 cannot open an SP2 site",
     console_version},
    {"advanced-security-offer", Gravity::info, kAdvancedSecurity, "setup will offer the advanced security migration",
     advanced_security_offer},
    {"itmu-after-upgrade", Gravity::info, kItmu, "install ITMU only after every site and client is at SP2",
     itmu_after_upgrade},
};

}  // namespace

std::span<const Rule> site_rules() { return kSiteRules; }

}  // namespace smsup::rules
