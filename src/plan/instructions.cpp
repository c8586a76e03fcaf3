// The runbook's text for each step kind: a table of small functions, each
// writing out the checklist's procedure with the step's own values.
#include "plan/instructions.h"

#include <fmt/format.h>

#include "plan/instructions_by_kind.h"
#include "plan/step_kinds.h"

namespace smsup::plan {
namespace {

using nlohmann::json;

std::string str(const Step& s, const char* key) {
  auto it = s.params.find(key);
  if (it == s.params.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

// The strings of an array param (a hand-edited plan may hold anything).
std::vector<std::string> list(const Step& s, const char* key) {
  std::vector<std::string> out;
  auto it = s.params.find(key);
  if (it == s.params.end() || !it->is_array()) return out;
  for (const auto& x : *it) out.push_back(x.is_string() ? x.get<std::string>() : x.dump());
  return out;
}

bool flag(const Step& s, const char* key) {
  auto it = s.params.find(key);
  return it != s.params.end() && it->is_boolean() && it->get<bool>();
}

// "A, B, C and 97 more (the full list is in the plan, step X, params.KEY)".
std::string names(const Step& s, const char* key, size_t shown = 10) {
  auto it = s.params.find(key);
  if (it == s.params.end() || !it->is_array() || it->empty()) return "none";
  std::vector<std::string> v;
  for (size_t i = 0; i < it->size() && i < shown; ++i) {
    const auto& x = (*it)[i];
    v.push_back(x.is_string() ? x.get<std::string>() : x.dump());
  }
  std::string out = fmt::format("{}", fmt::join(v, ", "));
  if (it->size() > shown) {
    out += fmt::format(" and {} more (full list: plan step {}, params.{})", it->size() - shown, s.id, key);
  }
  return out;
}

const std::vector<std::string> kMilestoneCheck{
    "C:\\SMSSetup.log holds `SMS Setup completed successfully`.",
    "Then, in order, sitecomp.log: `Processing site shutdown transaction`, `Site shutdown complete`, "
    "`Waiting for changes to the \"...\\Sitectrl.box\" or \"...\\Sitecomp.box\" directories`; "
    "hman.log: `Wait for site control changes for maximum 3600 seconds`; inboxmgr.log: `Waiting for "
    "changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds`.",
    "`smsup verify <site> --logs <dir>` reports all six milestones."};

}  // namespace

namespace runbook {

Instructions readiness(const Step&) {
  return {"Preparing to Upgrade to SMS 2003 SP2",
          {"Run `smsup check <inventory>` on the current inventory.",
           "Read every warning and action; the blockers listed in this step's why were waived on purpose."},
          {"`smsup check` exits 0, or only the waived blockers remain."}};
}

Instructions legacy_to_advanced(const Step& s) {
  return {"Platform Changes in SP2: Legacy Client Support",
          {fmt::format("Create the collection `{}` with these {} computers: {}.", str(s, "collection"), str(s, "count"),
                       names(s, "clients")),
           "Install the SMS 2003 SP2 Advanced Client on them: Client Push Installation, or advertise "
           "the Advanced Client package to the collection.",
           s.params.contains("assign_to")
               ? fmt::format("Assign the new Advanced Clients to primary site {} (a secondary site takes "
                             "no Advanced Clients).",
                             str(s, "assign_to"))
               : "Keep them assigned to this site."},
          {"The computers report as Advanced Clients in the console; none of them is left a Legacy Client."}};
}

Instructions os_sp1(const Step& s) {
  Instructions in{
      "Steps to Upgrade Windows 2003 and SMS (steps 1-6)",
      {"Download Windows Server 2003 SP1 to the server.", "Close all programs.",
       fmt::format("Run `{}`. Do NOT use /n: keep the uninstall folder ({}) as the way back.", str(s, "command"),
                   str(s, "uninstall_folder")),
       "Let the install run, then reboot the server."},
      {"After the reboot, winver (or System properties) shows Service Pack 1.", "The uninstall folder is present."}};
  if (s.params.contains("group")) {
    in.todo.insert(in.todo.begin(),
                   fmt::format("Do this together with the other hosts of group {} (remote management point "
                               "and its site server: error 997 otherwise; KB906570).",
                               str(s, "group")));
  }
  if (s.params.contains("fix")) {
    in.todo.push_back(
        fmt::format("Its site server does not move to SP1 with it: apply the fix of {} "
                    "(error 997 reading the remote registry) or run SMS under a service account.",
                    str(s, "fix")));
  }
  return in;
}

}  // namespace runbook

namespace {

Instructions dcom(const Step& s, Kind kind, const char* what) {
  std::string perms = fmt::format("{}", fmt::join(list(s, "permissions"), ", "));
  Instructions in{"Resetting the DCOM permissions to pre-Windows Server 2003 SP1 levels",
                  {fmt::format("On {}, Start > Run: `dcomcnfg.exe`.", s.host)},
                  {}};
  if (kind == Kind::dcom_sms_admins) {
    in.section = "Real World Problems and Solutions to Upgrading (console access)";
    in.todo.push_back("Component Services > Computers > My Computer: right-click, Properties, COM Security tab.");
    in.todo.push_back("In Launch and Activation Permissions click Edit Limits.");
    in.todo.push_back(fmt::format("Add the local SMS Admins group and allow: {}.", perms));
    in.check.push_back(
        "A user who is in SMS Admins but not a server administrator opens the SMS Administrator console.");
    return in;
  }
  in.todo.push_back(
      fmt::format("Component Services > Computers > My Computer > DCOM Config > {}; Action > Properties.", what));
  in.todo.push_back("Security tab: Launch and Activation Permissions > Customize > Edit.");
  in.todo.push_back(fmt::format("Add {} and allow: {}.", str(s, "account"), perms));
  if (kind == Kind::dcom_rp) {
    in.todo.push_back(
        "The field report grants all four; it notes that Remote Launch and Remote Activation alone may "
        "do: test to confirm before taking any away.");
    in.check.push_back("A member of SMS Reporting Users opens the web reports.");
  } else {
    in.check.push_back("Clients find their site through the server locator point again.");
  }
  return in;
}

}  // namespace

namespace runbook {

Instructions dcom_slp(const Step& s) { return dcom(s, Kind::dcom_slp, "SMS_SERVER_LOCATOR_POINT"); }
Instructions dcom_rp(const Step& s) { return dcom(s, Kind::dcom_rp, "SMS_REPORTING_POINT"); }
Instructions dcom_sms_admins(const Step& s) { return dcom(s, Kind::dcom_sms_admins, ""); }

Instructions firewall(const Step& s) {
  Instructions in{"Identifying Ports and Services Required If Windows Firewall Is Enabled",
                  {fmt::format("Missing on {}: {}.", s.host, names(s, "missing", 20))},
                  {}};
  for (const auto& c : list(s, "commands")) in.todo.push_back(fmt::format("Run `{}`.", c));
  in.todo.push_back(
      "Remote control: where the OS has them, Remote Assistance or Remote Desktop are the recommended "
      "practice instead of opening the SMS Remote Tools ports (ports: KB256884).");
  in.todo.push_back(
      "Windows Diagnostics cannot be reached from the SMS Administrator console on Windows Server 2003 "
      "SP1: there is no workaround (Event Viewer and System Monitor need File and Printer Sharing).");
  in.todo.push_back("unsecapp.exe and TCP 135 for the console: KB875605.");
  in.check.push_back("`netsh firewall show state` lists every exception above.");
  return in;
}

Instructions scw(const Step& s) {
  std::pair<const char*, const char*> what;  // what to do in the wizard, how to know it worked
  switch (kind_of(s.kind).value_or(Kind::scw_rerun)) {
    case Kind::scw_remote_wmi:
      what = {
          "On Select Administration and Other Options, enable Remote WMI (the wizard does not recognise the SMS "
          "Provider).",
          "Consoles connect to the SMS namespace in WMI."};
      break;
    case Kind::scw_sql_monitor:
      what = {"On Open Ports and Approve Applications, select Ports used by SMS_SQL_MONITOR_<ServerName>.",
              "The site server reaches the database monitor (no SMS_SQL_MONITOR errors)."};
      break;
    case Kind::scw_bits_dp:
      what = {"On Installed Options, select Remote administration for IIS and related components.",
              "Distribution Manager creates virtual directories on the distribution point."};
      break;
    case Kind::scw_cap_misdetect:
      what = {"On Select Administration and Other Options, deselect the Client Access Point role (not on this server).",
              "The applied policy lists no CAP role for this server."};
      break;
    default:
      what = {
          "Roles changed after the policy was applied: run the Security Configuration Wizard again and apply the new "
          "policy.",
          "The policy in force was made after the last role change."};
      break;
  }
  return {"Additional Configuration Tasks if you Run the Security Configuration Wizard",
          {fmt::format("On {}, start the Security Configuration Wizard.", s.host), what.first},
          {what.second}};
}

Instructions mp_reinstall(const Step& s) {
  return {"Real World Problems and Solutions to Upgrading (MP setup error 1603)",
          {fmt::format("Symptoms: mpsetup.log ends with error 1603; the MP troubleshooter says \"can not create "
                       "Active X component\". Cause: the SMS client was installed on {} before its management point.",
                       s.host),
           fmt::format("Remove the management point role of {} in the SMS Administrator console.", s.host),
           "On the host run `ccmclean /MP`, then `ccmclean /ALL`.",
           "If IIS itself is damaged (bad IIS user accounts): uninstall IIS, delete the IUSR_ and IWAM_ accounts, "
           "reinstall IIS so it makes good accounts.",
           "Install the management point again.",
           "Push the Advanced Client to the host again from the console (it does not come back by itself)."},
          {"mpsetup.log shows no error 1603; the MP troubleshooter is clean."}};
}

Instructions kb906570(const Step& s) {
  std::string mp = s.params.contains("management_point") ? str(s, "management_point") : "the management point";
  return {"Real World Problems and Solutions to Upgrading (error 997, KB906570)",
          {fmt::format("Symptom: on {}, reading the registry of remote management point {} fails with error 997 "
                       "(SMS runs under the computer account; Windows Server 2003 SP1 changed remote registry access).",
                       s.host, mp),
           fmt::format("Apply the fix of Microsoft Knowledge Base article KB906570 on {}.", s.host),
           "Or run SMS under a service account instead of the computer account."},
          {fmt::format("The site status of {} shows no error 997 for {}.", s.host, mp)}};
}

Instructions replication_disable(const Step& s) {
  return {
      "Disable SQL Replication of the SMS Site Database If You Enabled It",
      {fmt::format("In SQL Server Enterprise Manager, select the site database server {} (the publisher).",
                   str(s, "publisher")),
       "Tools > Replication > Disable Publishing.", "Welcome page: Next.",
       "Disable Publishing page: Yes, disable publishing; Next.", "Confirm Dropping of Publications: Next.",
       "Completing the wizard: Finish. If it says the database is in use: OK, then Cancel; refresh Enterprise Manager.",
       "Delete the subscription information on every remote subscriber (KB324401, "
       "http://go.microsoft.com/fwlink/?LinkId=39603)."},
      {fmt::format("Enterprise Manager no longer lists a publication of {}.", str(s, "database"))}};
}

Instructions backup(const Step& s) {
  return {"Test the Database Upgrade Process (back up the site database)",
          {fmt::format("Run the Backup SMS Site Server task for {} ({} MB).", str(s, "database"), str(s, "size_mb")),
           "Or: stop all SMS services on the site server and SQL Server, and back up the database with SQL Server "
           "Enterprise Manager."},
          {"The backup folder holds today's backup; the task's status messages show success."}};
}

// The same-server test (params.mode "same-server"). The checklist gives one
// line ("Or detach the db if testing on the same server and then create the
// db and restore"); the sub-steps, the T-SQL and the risks are smsup's own
// wording of what that line takes on SQL Server 2000 / 2005.
Instructions dbtest_same_server(const Step& s) {
  const std::string db = str(s, "database");
  const std::string server = str(s, "server");
  const std::string site_server = str(s, "site_server");
  const std::string bak = str(s, "backup_file");
  std::string data_file = db + "_dbtest.mdf", log_file = db + "_dbtest_log.ldf";
  if (auto it = s.params.find("test_files"); it != s.params.end() && it->is_object()) {
    data_file = it->value("data", data_file);
    log_file = it->value("log", log_file);
  }
  std::vector<std::string> services = list(s, "services");
  if (services.empty()) services = {"SMS_SITE_COMPONENT_MANAGER", "SMS_EXECUTIVE", "SMS_SQL_MONITOR"};
  std::string stop, start;
  for (const auto& x : services) stop += fmt::format("{}`net stop {}`", stop.empty() ? "" : ", ", x);
  for (auto it = services.rbegin(); it != services.rend(); ++it)
    start += fmt::format("{}`net start {}`", start.empty() ? "" : ", ", *it);
  Instructions in{"Test the Database Upgrade Process (on the same server: detach, create, restore)", {}, {}};
  if (same_server_short_mb(s) > 0) {
    in.todo.push_back(
        fmt::format("NOT ENOUGH DISK: {} has {} MB free and the test database needs {} MB: free {} MB "
                    "first, or test on a copy on another SQL Server.",
                    server, str(s, "free_disk_mb"), str(s, "room_mb"), same_server_short_mb(s)));
  }
  in.todo.insert(
      in.todo.end(),
      {fmt::format("RISK: the site {} is DOWN for this whole step: its SMS services are stopped and its database {} is "
                   "detached. If the original cannot be attached again, the site has no database: keep the backup "
                   "taken below until the site is upgraded and verified. Never run this while a replication or "
                   "backup job runs on {} (disable the Backup SMS Site Server task and any SQL Agent backup job for "
                   "the step's time). {} MB free disk is needed on {} for the test database and its growth.",
                   s.site, db, server, str(s, "room_mb"), server),
       fmt::format("Extract the SP2 files: `{}`. Note the original's files (you attach them again at the end): "
                   "`EXEC sp_helpfile` in {}, or `SELECT name, filename FROM {}..sysfiles`.",
                   str(s, "extract"), db, db),
       fmt::format("Stop the SMS services on the site server {}: {}.", site_server, stop),
       fmt::format("Back up the site database: `BACKUP DATABASE [{}] TO DISK = N'<backup folder>\\{}' WITH INIT`. "
                   "Get the logical file names of the backup: `RESTORE FILELISTONLY FROM DISK = N'<backup "
                   "folder>\\{}'`.",
                   db, bak, bak),
       fmt::format("DETACH the original: `USE master; EXEC sp_detach_db @dbname = N'{}'`. Its files stay where "
                   "they are, untouched.",
                   db),
       fmt::format("CREATE the test database under the same name, on NEW files (1 MB data and log are enough): "
                   "`CREATE DATABASE [{}] ON (NAME = N'{}_dbtest', FILENAME = N'<data folder>\\{}', SIZE = 1MB) LOG ON "
                   "(NAME = N'{}_dbtest_log', FILENAME = N'<log folder>\\{}', SIZE = 1MB)`.",
                   db, db, data_file, db, log_file),
       fmt::format("RESTORE the backup into it WITH MOVE to the new file names, never onto the original's files: "
                   "`RESTORE DATABASE [{}] FROM DISK = N'<backup folder>\\{}' WITH REPLACE, MOVE N'<logical data "
                   "name>' TO N'<data folder>\\{}', MOVE N'<logical log name>' TO N'<log folder>\\{}'` (REPLACE: "
                   "the database just created is not the backup's).",
                   db, bak, data_file, log_file),
       fmt::format("Run the database upgrade test: `{}` from the extracted files on {}; record data ({} MB before) "
                   "and log ({} MB before) sizes after it.",
                   str(s, "command"), server, str(s, "data_mb"), str(s, "log_mb")),
       fmt::format("DROP the test database. First check that it is the test one: `EXEC sp_helpfile` in {} lists "
                   "{} and {}, not the original's files. Then `USE master; DROP DATABASE [{}]`.",
                   db, data_file, log_file, db),
       fmt::format("REATTACH the original with its own files: `EXEC sp_attach_db @dbname = N'{}', @filename1 = "
                   "N'<original data file>', @filename2 = N'<original log file>'` (the paths noted at the start).",
                   db),
       fmt::format("Restart the SMS services on {}: {}.", site_server, start),
       "If anything fails after the DETACH: do not stop there. Drop the test database if it exists (check its files "
       "first), reattach the original and restart the services; if the original will not attach, restore the "
       "backup taken in this step under its name onto the original's files."});
  in.check = {
      "SMSSETUP.log at the root of the system drive of " + server +
          " reports the test succeeded; fix any error before the real upgrade.",
      fmt::format("`EXEC sp_helpfile` in {} lists the original's files again; the SMS services run on {} and the site "
                  "status shows no database error.",
                  db, site_server)};
  return in;
}

Instructions dbtest(const Step& s) {
  if (same_server_dbtest(s)) return dbtest_same_server(s);
  return {"Test the Database Upgrade Process",
          {fmt::format("Extract the SP2 files: `{}`.", str(s, "extract")),
           fmt::format("On {} (never on {}), create a database named {} (1 MB data and log are enough).",
                       str(s, "restore_on"), str(s, "never_on"), str(s, "database")),
           "Copy the backup file to a local drive of the test server and restore it with Enterprise Manager (adjust "
           "drive letters).",
           fmt::format("Record data ({} MB before) and log ({} MB before) sizes.", str(s, "data_mb"), str(s, "log_mb")),
           fmt::format("Run `{}` from the extracted files.", str(s, "command")),
           "Record the data and log sizes after the test: the difference is the growth to plan disk for."},
          {"SMSSETUP.log at the root of the test server's system drive reports the test succeeded; fix any error "
           "before the real upgrade."}};
}

Instructions disk_check(const Step& s) {
  Instructions in{
      "Test the Database Upgrade Process (disk space)",
      {s.params.contains("software_inventory_mb")
           ? fmt::format("On {}, free disk on the data and log volumes must be at least {} MB (now {} MB): the "
                         "upgrade's growth, {} MB from {}, and {} MB for the software inventory of {} clients "
                         "afterwards.",
                         str(s, "server"), str(s, "required_mb"), str(s, "free_disk_mb"), str(s, "growth_mb"),
                         str(s, "growth_from"), str(s, "software_inventory_mb"), str(s, "clients_held"))
           : fmt::format("On {}, free disk on the data and log volumes must be at least {} MB (now {} MB; growth "
                         "from {}).",
                         str(s, "server"), str(s, "required_mb"), str(s, "free_disk_mb"), str(s, "growth_from")),
       "In Enterprise Manager, database Properties: both data and log files set to autogrow."},
      {"Free space covers the growth with room for new software inventory; autogrow is on."}};
  if (s.params.value("enable_autogrow", false)) {
    in.todo.insert(in.todo.begin(), fmt::format("Autogrow is OFF for {}: in SQL Server Enterprise Manager, open the "
                                                "database's Properties and set both the data and the log files to "
                                                "grow automatically.",
                                                str(s, "database")));
  }
  return in;
}

Instructions drw(const Step& s) {
  Instructions in{
      "Determine Readiness for SMS 2003 SP2 Upgrade",
      {fmt::format("On {}, start DRW.exe ({}).", s.host, str(s, "folder")), "On the Welcome page, click Next."},
      {"The wizard completes; select the site and click Details: no errors. Fix every error first."}};
  if (s.params.contains("run_on_parent")) {
    in.todo.push_back(fmt::format("On the Site Selection page, select {} and click Next.", str(s, "target")));
  } else {
    in.todo.push_back("If there is a Site Selection page, select Analyze this primary site; Next.");
  }
  in.todo.push_back("On the Tests page, select the tests and click Next.");
  in.todo.push_back("On the Completing page, click Finish.");
  return in;
}

Instructions upgrade(const Step& s) {
  Instructions in{"Upgrading the SMS 2003 Site to SP2", {}, {}};
  std::string m = str(s, "method");
  if (s.params.contains("foreign_files")) {
    in.todo.push_back(
        fmt::format("Copy out these non-SMS files first, setup deletes them: {}.", names(s, "foreign_files")));
  }
  if (m == "parent-console") {
    in.section = "Upgrade Secondary Sites to SMS 2003 SP2";
    in.todo.push_back(fmt::format(
        "In the SMS Administrator console on {} (parent site {}), start the upgrade of the secondary site {}.", s.host,
        str(s, "console"), s.site));
    in.todo.push_back("Or run Update.exe or Autorun.exe from the SP2 files on the secondary site server.");
  } else {
    if (s.params.contains("extract"))
      in.todo.push_back(fmt::format("Extract the SP2 files on {}: `{}`.", s.host, str(s, "extract")));
    in.todo.push_back(fmt::format("On {}, run `{}` from {}.", s.host, str(s, "command"), str(s, "media")));
    if (m == "update-quiet" || m == "update-passive") {
      std::string sw = m == "update-quiet" ? "/quiet" : "/passive";
      in.todo.push_back(
          fmt::format("Or in one step: `SMS2003SP2.exe {}` extracts to a temporary folder and starts "
                      "Update.exe with the same switch.",
                      sw));
    }
    if (flag(s, "drw_page")) {
      in.todo.push_back(
          "The Deployment Readiness Wizard page appears: click Run Now and continue (Cancel aborts setup).");
    }
    if (m == "interactive") in.todo.push_back("Follow the setup wizard; choose to upgrade the site.");
  }
  if (flag(s, "advanced_security_offer")) {
    in.todo.push_back("Setup offers to move the site to advanced security: accept or cancel, as decided (optional).");
  }
  in.todo.push_back(
      "Setup uninstalls and reinstalls all SMS services on all site systems: note the time setup starts.");
  in.check.push_back("C:\\SMSSetup.log holds `SMS Setup completed successfully`.");
  return in;
}

Instructions settle(const Step&) {
  return {"Determining That SMS Setup Has Completed",
          {"Wait at least 30 minutes after setup: do not open the SMS Administrator console, run a site reset, or "
           "change the site configuration.",
           "Watch CPU activity and Task Manager for upgrade processes; wait until activity is back to normal."},
          {"30 minutes have passed and CPU activity is back to normal."}};
}

Instructions verify(const Step& s) {
  return {"Determining That SMS Setup Has Completed",
          {fmt::format("Read C:\\SMSSetup.log and the logs in {}\\Logs on {} (or run `smsup verify {} --logs <dir>`).",
                       str(s, "install_dir"), s.host, s.site)},
          kMilestoneCheck};
}

Instructions replication_enable(const Step& s) {
  return {"Disable SQL Replication of the SMS Site Database If You Enabled It",
          {fmt::format("Reconfigure SQL Server replication of {} on {} as before the upgrade ({}).", str(s, "database"),
                       str(s, "publisher"), str(s, "reference"))},
          {"The publication and its subscriptions are back; the subscribers' management points answer clients."}};
}

Instructions console_upgrade(const Step& s) {
  return {
      "Preparing to Upgrade to SMS 2003 SP2 (remote consoles)",
      {fmt::format("On {}, run Autorun.exe from the SP2 files and upgrade the SMS Administrator console (now {}).",
                   s.host, str(s, "from"))},
      {fmt::format("The console on {} opens site {} (an SMS 2003 console cannot open an SP2 site).", s.host, s.site)}};
}

Instructions legacy_autoupgrade(const Step& s) {
  return {
      "Upgrading Legacy Clients",
      {fmt::format("Nothing to start: {} Legacy Client(s) upgrade at their next CCIM cycle (every {} hours).",
                   str(s, "count"), str(s, "cycle_hours")),
       "To hurry one: restart the SMS Client Service, or Systems Management Properties > Sites > Update Configuration.",
       fmt::format("These will not upgrade by themselves (cliupgrade /disable): {}.", names(s, "will_not_upgrade")),
       fmt::format("Windows 98 with Internet Explorer below 5.5 (will not upgrade until IE is upgraded): {}.",
                   names(s, "ie_below_5_5")),
       fmt::format("On a platform the SP2 Legacy Client does not support (will not upgrade): {}.",
                   names(s, "unsupported_platform"))},
      {"The clients report SMS 2003 SP2 in the console, or the cycle has passed."}};
}

Instructions advanced_push(const Step& s) {
  Instructions in{
      "Upgrading Advanced Clients",
      {fmt::format("Create the collection `{}`: {}.", str(s, "collection"), names(s, "clients")),
       "Client Push Installation Wizard: on Client Installation Options select Always install (repair or upgrade "
       "existing client).",
       "Or advertise the SP2 Advanced Client to the collection with software distribution.",
       fmt::format("Leave apart (their OS is below Windows 2000 SP4 / XP SP1): {}.", names(s, "cannot_upgrade"))},
      {"The clients report version 2.50.4160.2000 in the console."}};
  if (flag(s, "before_site_upgrade")) {
    in.todo.insert(in.todo.begin(),
                   fmt::format("Clients first: {} still runs SMS 2003 RTM or SP1; SP2 Advanced Clients communicate "
                               "with it. Push from the SP2 client files before the site's upgrade.",
                               s.site));
  }
  return in;
}

Instructions itmu(const Step&) {
  return {"Inventory Tool for Microsoft Updates",
          {"Only now that sites and clients are SP2: run Autorun.exe and choose Inventory Tool for Microsoft Updates,",
           "or run SMSITMU.msi from the Scantools folder of the extracted SP2 files (Update.exe did not install it)."},
          {"The ITMU package and its advertisement exist; the scan component reports to the site."}};
}

Instructions title_only(const Step& s) { return {"", {s.title}, {}}; }

}  // namespace runbook

Instructions instructions_for(const Step& s) {
  const KindRow* r = find_kind(s.kind);
  return r ? r->instructions(s) : runbook::title_only(s);
}

}  // namespace smsup::plan
