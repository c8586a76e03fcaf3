#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "helpers.h"
#include "order_rules.h"
#include "inventory/inventory.h"
#include "model/client_fate.h"
#include "plan/instructions.h"
#include "plan/planner.h"

namespace smsup::testing {
namespace {

using plan::Options;
using plan::Plan;
using rules::Gravity;

bool waits_for(const Plan& p, const std::string& id, const std::string& dep) {
  const auto* s = p.find(id);
  return s && std::find(s->after.begin(), s->after.end(), dep) != s->after.end();
}

TEST(Planner, RefusesWhileBlockersRemainAndNamesEach) {
  auto h = small();
  rules::Report r;
  r.findings.push_back(finding("sql-version", Gravity::blocker, 1, "PR101"));
  r.findings.push_back(finding("drw-required", Gravity::blocker, 0, "CEN"));
  r.findings.push_back(finding("backup-stale", Gravity::warning, 0, "CEN"));
  try {
    plan::make_plan(h, r, {});
    FAIL() << "planned despite blockers";
  } catch (const plan::Refused& e) {
    ASSERT_EQ(e.blockers().size(), 2u);
    EXPECT_EQ(e.blockers()[0].rule, "sql-version");
    EXPECT_EQ(e.blockers()[0].object, "PR101");
    EXPECT_EQ(e.blockers()[1].rule, "drw-required");
  }
  Options o;
  o.waived = {"sql-version"};
  EXPECT_THROW(plan::make_plan(h, r, o), plan::Refused);
}

TEST(Planner, WaivedBlockersAreRecordedOnTheReadinessStep) {
  auto h = small();
  rules::Report r;
  r.findings.push_back(finding("sql-version", Gravity::blocker, 1, "PR101"));
  Options o;
  o.waived = {"sql-version"};
  auto p = plan::make_plan(h, r, o);
  ASSERT_EQ(p.steps.front().id, "*/readiness");
  EXPECT_EQ(p.steps.front().why, std::vector<std::string>{"sql-version"});
  EXPECT_EQ(p.options.waived, o.waived);
}

TEST(Planner, BadOptionsAreInputErrors) {
  auto h = small();
  Options o;
  o.waived = {"no-such-rule"};
  EXPECT_THROW(plan::make_plan(h, {}, o), InputError);
  o = {};
  o.max_parallel = 0;
  EXPECT_THROW(plan::make_plan(h, {}, o), InputError);
  o = {};
  o.method = "fast";
  EXPECT_THROW(plan::make_plan(h, {}, o), InputError);
}

TEST(Planner, AWaivedRuleIdWithATypoNamesTheNearestRule) {
  Options o;
  o.waived = {"drw-requred"};
  try {
    plan::make_plan(small(), {}, o);
    FAIL() << "a rule id with a typo was accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "--waive");
    EXPECT_NE(e.message().find("did you mean 'drw-required'?"), std::string::npos) << e.what();
  }
  o.waived = {"no-such-rule"};
  try {
    plan::make_plan(small(), {}, o);
  } catch (const InputError& e) {
    EXPECT_EQ(e.message().find("did you mean"), std::string::npos) << e.what();
  }
}

TEST(Planner, SiteAlreadyAtSp2GetsNoStepsAndItsChildWaitsForTheSiteAbove) {
  auto p = plan::make_plan(small(), {}, {});
  for (const auto& s : p.steps) EXPECT_NE(s.site, "PR2") << s.id;
  ASSERT_TRUE(p.find("PR3/upgrade"));
  EXPECT_TRUE(waits_for(p, "PR3/upgrade", "CEN/verify"));
}

TEST(Planner, AutogrowOffMakesTheDiskCheckAPersonsStepThatTurnsItOn) {
  auto h = small();
  auto p = plan::make_plan(h, {}, {});
  const auto* on = p.find("CEN/disk-check");
  ASSERT_TRUE(on);
  EXPECT_FALSE(on->manual);
  EXPECT_FALSE(on->params.contains("enable_autogrow"));
  h.sites[static_cast<size_t>(h.find_site("CEN"))].database->autogrow = false;
  p = plan::make_plan(h, {}, {});
  const auto* off = p.find("CEN/disk-check");
  ASSERT_TRUE(off);
  EXPECT_TRUE(off->manual);
  EXPECT_EQ(off->params["enable_autogrow"], true);
  EXPECT_NE(off->title.find("autogrow"), std::string::npos);
}

TEST(Planner, HierarchyAlreadyAtSp2GetsOnlyTheReadinessStep) {
  auto h = small();
  for (auto& s : h.sites) s.version = *parse_sms_version("sp2");
  auto p = plan::make_plan(h, {}, {});
  ASSERT_EQ(p.steps.size(), 1u);
  EXPECT_EQ(p.steps[0].id, "*/readiness");
}

TEST(Planner, QuietUpgradeRunsUpdateExeFromExtractedMedia) {
  auto p = plan::make_plan(small(), {}, {});
  const auto* up = p.find("CEN/upgrade");
  ASSERT_TRUE(up);
  EXPECT_EQ(up->params["method"], "update-quiet");
  EXPECT_EQ(up->params["command"], "Update.exe /quiet");
  EXPECT_EQ(up->params["extract"], "SMS2003SP2.exe /X:C:\\SMS2003SP2");
  EXPECT_FALSE(up->manual);
  EXPECT_EQ(up->host, "CEN01");
  EXPECT_EQ(up->title, "Upgrade CEN to SMS 2003 SP2");
}

TEST(Planner, PassiveAndInteractiveMethodsGiveTheirCommands) {
  auto p = plan::make_plan(small(), {}, {});
  EXPECT_EQ(p.find("PR1/upgrade")->params["command"], "Update.exe /passive");
  EXPECT_FALSE(p.find("PR1/upgrade")->manual);
  EXPECT_EQ(p.find("PR3/upgrade")->params["command"], "Autorun.exe");
  EXPECT_TRUE(p.find("PR3/upgrade")->manual);
  Options o;
  o.method = "update-passive";  // the default for primaries without a method of their own
  auto q = plan::make_plan(small(), {}, o);
  EXPECT_EQ(q.find("CEN/upgrade")->params["command"], "Update.exe /passive");
  EXPECT_EQ(q.find("PR3/upgrade")->params["command"], "Autorun.exe");
}

TEST(Planner, SecondaryIsUpgradedByHandFromItsParentAfterTheDrwThere) {
  auto p = plan::make_plan(small(), {}, {});
  const auto* drw = p.find("SE1/drw");
  const auto* up = p.find("SE1/upgrade");
  ASSERT_TRUE(drw && up);
  EXPECT_EQ(drw->host, "PR101");  // run on the parent primary
  EXPECT_TRUE(drw->manual);
  EXPECT_TRUE(waits_for(p, "SE1/drw", "PR1/verify"));
  EXPECT_TRUE(waits_for(p, "SE1/upgrade", "SE1/drw"));
  EXPECT_TRUE(up->manual);
  EXPECT_EQ(up->params["method"], "parent-console");
  EXPECT_EQ(p.find("SE1/backup"), nullptr);  // no database of its own
}

TEST(Planner, RtmPrimaryWithoutDrwGetsTheWizardBeforeSetup) {
  auto h = small();
  h.sites[1].drw_passed = false;  // PR1, rtm, update-passive
  auto p = plan::make_plan(h, {}, {});
  ASSERT_TRUE(p.find("PR1/drw"));
  EXPECT_EQ(p.find("PR1/drw")->why, std::vector<std::string>{"drw-prompt"});
  EXPECT_TRUE(waits_for(p, "PR1/upgrade", "PR1/drw"));
  EXPECT_EQ(p.find("CEN/drw"), nullptr);  // CEN is at SP1: no DRW needed
}

TEST(Planner, DbtestRunsTestdbupgradeOnACopyNamingTheDatabase) {
  auto p = plan::make_plan(small(), {}, {});
  const auto* t = p.find("CEN/dbtest");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->params["command"], "setup.exe /testdbupgrade SMS_CEN");
  EXPECT_EQ(t->params["never_on"], "CENSQL");
  EXPECT_EQ(t->why, std::vector<std::string>{});  // no report given
  EXPECT_TRUE(waits_for(p, "CEN/dbtest", "CEN/backup"));
  EXPECT_TRUE(waits_for(p, "CEN/disk-check", "CEN/dbtest"));
}

TEST(Planner, TestedDatabaseSkipsDbtestAndChecksMeasuredGrowth) {
  auto p = plan::make_plan(small(), {}, {});
  EXPECT_EQ(p.find("PR1/dbtest"), nullptr);
  const auto* d = p.find("PR1/disk-check");
  ASSERT_TRUE(d);
  // The measured growth and 512 KB of software inventory for each of the 5
  // clients whose inventory PR1's database holds (4 own, 1 of SE1): 3 MB.
  EXPECT_EQ(d->params["growth_mb"], (1300 - 900) + (700 - 200));
  EXPECT_EQ(d->params["clients_held"], 5);
  EXPECT_EQ(d->params["software_inventory_mb"], 3);
  EXPECT_EQ(d->params["required_mb"], (1300 - 900) + (700 - 200) + 3);
  EXPECT_TRUE(waits_for(p, "PR1/disk-check", "PR1/backup"));
}

TEST(Planner, ReplicationIsDisabledBeforeBackupAndEnabledAfterVerify) {
  auto p = plan::make_plan(small(), {}, {});
  EXPECT_TRUE(waits_for(p, "CEN/backup", "CEN/replication-disable"));
  EXPECT_TRUE(waits_for(p, "CEN/replication-enable", "CEN/verify"));
  EXPECT_TRUE(p.find("CEN/replication-disable")->manual);
  EXPECT_EQ(p.find("PR1/replication-disable"), nullptr);
}

TEST(Planner, ConsolesBelowSp2AreUpgradedAfterTheirSiteIsVerified) {
  auto p = plan::make_plan(small(), {}, {});
  EXPECT_TRUE(waits_for(p, "CEN/console-upgrade/ADM01", "CEN/verify"));
  EXPECT_EQ(p.find("PR3/console-upgrade/ADM03"), nullptr);  // already SP2
}

// The plan's count of Legacy Clients that upgrade by themselves is the twin's
// and `smsup clients`' count: one classification (model/client_fate.h), so a
// client that will never upgrade by itself (autoupgrade disabled, unsupported
// platform) is listed apart and never counted as upgrading.
TEST(Planner, LegacyAutoupgradeCountsOnlyClientsThatWillUpgrade) {
  Hierarchy h = inventory::load(std::string(SMSUP_SOURCE_DIR) + "/examples/contoso/contoso.yaml");
  std::map<int, int64_t> ccim;
  int64_t total = 0;
  for (const auto& c : h.clients)
    if (classify(c) == ClientFate::ccim) ++ccim[c.site], ++total;
  ASSERT_GT(total, 0);
  auto p = plan::make_plan(h, {}, {});
  int64_t planned = 0;
  for (const auto& st : p.steps) {
    if (st.kind != "legacy-autoupgrade") continue;
    int site = -1;
    for (size_t i = 0; i < h.sites.size(); ++i)
      if (h.sites[i].code == st.site) site = static_cast<int>(i);
    EXPECT_EQ(st.params["count"].get<int64_t>(), ccim[site]) << st.id;
    planned += st.params["count"].get<int64_t>();
    for (const char* key : {"will_not_upgrade", "ie_below_5_5", "unsupported_platform"})
      for (const auto& name : st.params[key])
        for (const auto& c : h.clients)
          if (c.name == name.get<std::string>()) {
            EXPECT_NE(classify(c), ClientFate::ccim) << c.name;
          }
  }
  EXPECT_EQ(planned, total);
}

// "You can upgrade your SMS sites first, or you can upgrade your SMS clients
// first": with --clients-first the SP2 Advanced Client is pushed before the
// site's upgrade (and not during it); Legacy Clients still follow the site.
TEST(Planner, ClientsFirstPushesTheAdvancedClientBeforeTheSiteUpgrade) {
  Options o;
  o.clients_first = true;
  auto p = plan::make_plan(small(), {}, o);
  const auto* push = p.find("CEN/advanced-push");
  ASSERT_TRUE(push);
  EXPECT_TRUE(waits_for(p, "CEN/upgrade", "CEN/advanced-push"));
  EXPECT_FALSE(waits_for(p, "CEN/advanced-push", "CEN/verify"));
  EXPECT_TRUE(push->params["before_site_upgrade"].get<bool>());
  EXPECT_TRUE(waits_for(p, "PR1/legacy-autoupgrade", "PR1/verify"));
  EXPECT_TRUE(order_violations(small(), p).empty());
  auto back = plan::from_json(plan::to_json(p), "memory");
  EXPECT_TRUE(back.options.clients_first);
  // Without the option the push follows the site's verify, as before.
  auto q = plan::make_plan(small(), {}, {});
  EXPECT_TRUE(waits_for(q, "CEN/advanced-push", "CEN/verify"));
}

// "Or detach the db if testing on the same server and then create the db and
// restore": --dbtest-same-server makes the site's dbtest a same-server test,
// and the plan file says so (params.mode), with the sub-steps in their order.
TEST(Planner, DbtestSameServerRecordsItsModeAndOrderInThePlanFile) {
  Options o;
  o.dbtest_same_server = {"CEN"};
  auto p = plan::make_plan(small(), {}, o);
  const auto* t = p.find("CEN/dbtest");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->params["mode"], "same-server");
  EXPECT_EQ(t->host, "CENSQL");  // the site's own SQL Server, where the copy mode never runs
  EXPECT_EQ(t->params["server"], "CENSQL");
  EXPECT_EQ(t->params["site_server"], "CEN01");
  EXPECT_EQ(t->params["sequence"].get<std::vector<std::string>>(), plan::same_server_sequence());
  EXPECT_EQ(t->params["test_files"]["data"], "SMS_CEN_dbtest.mdf");
  // A second copy of data (4200) and log (900) plus the growth, on the same disks.
  EXPECT_GT(t->params["room_mb"].get<int64_t>(), 4200 + 900);
  EXPECT_FALSE(t->params.contains("never_on"));
  EXPECT_TRUE(waits_for(p, "CEN/dbtest", "CEN/backup"));
  EXPECT_TRUE(waits_for(p, "CEN/disk-check", "CEN/dbtest"));
  auto j = plan::to_json(p);
  EXPECT_EQ(j["options"]["dbtest_same_server"], nlohmann::json::array({"CEN"}));
  auto back = plan::from_json(j, "memory");
  EXPECT_EQ(back.options.dbtest_same_server, std::vector<std::string>{"CEN"});
  EXPECT_TRUE(plan::same_server_dbtest(*back.find("CEN/dbtest")));
  // Without the option (and with "all" on a site that has none to make) the
  // test is on a copy, and says so.
  auto q = plan::make_plan(small(), {}, {});
  EXPECT_EQ(q.find("CEN/dbtest")->params["mode"], "copy");
  EXPECT_FALSE(plan::same_server_dbtest(*q.find("CEN/dbtest")));
  o.dbtest_same_server = {"all"};
  auto a = plan::make_plan(small(), {}, o);
  EXPECT_EQ(a.find("CEN/dbtest")->params["mode"], "same-server");
  EXPECT_EQ(a.find("PR1/dbtest"), nullptr);  // tested already (the inventory's dbtest block)
}

// A plan written before the mode existed has neither the option nor
// params.mode: it still reads, and its dbtest is a test on a copy.
TEST(Planner, PlanWithoutDbtestModeStillReadsAsACopyTest) {
  auto j = plan::to_json(plan::make_plan(small(), {}, {}));
  j["options"].erase("dbtest_same_server");
  for (auto& s : j["steps"]) s["params"].erase("mode");
  auto p = plan::from_json(j, "old.json");
  EXPECT_TRUE(p.options.dbtest_same_server.empty());
  const auto* t = p.find("CEN/dbtest");
  ASSERT_TRUE(t);
  EXPECT_FALSE(plan::same_server_dbtest(*t));
  auto in = plan::instructions_for(*t);
  EXPECT_NE(in.todo[1].find("never on CENSQL"), std::string::npos) << in.todo[1];
}

TEST(Planner, DbtestSameServerNamesPrimarySitesOfTheInventory) {
  Options o;
  o.dbtest_same_server = {"CEM"};
  try {
    plan::make_plan(small(), {}, o);
    FAIL() << "planned with a site that does not exist";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "--dbtest-same-server");
    EXPECT_NE(std::string(e.what()).find("did you mean 'CEN'"), std::string::npos) << e.what();
  }
  o.dbtest_same_server = {"SE1"};
  try {
    plan::make_plan(small(), {}, o);
    FAIL() << "planned a same-server test for a secondary site";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("secondary site"), std::string::npos) << e.what();
  }
  EXPECT_EQ(plan::parse_same_server_sites("CEN, PR1,CEN"), (std::vector<std::string>{"CEN", "PR1"}));
  EXPECT_EQ(plan::parse_same_server_sites("all"), std::vector<std::string>{"all"});
  for (const char* bad : {"", "CEN,", "cen", "CENTRAL", "all,CEN", "C N"}) {
    EXPECT_THROW(plan::parse_same_server_sites(bad), InputError) << bad;
  }
}

// The site is down while its database is detached: the planner orders every
// other step of the site before or after the same-server dbtest (with
// --clients-first the push would otherwise run beside it).
TEST(Planner, SameServerDbtestKeepsTheSiteDownWindowToItself) {
  Options o;
  o.dbtest_same_server = {"all"};
  o.clients_first = true;
  auto p = plan::make_plan(small(), {}, o);
  ASSERT_TRUE(p.find("CEN/advanced-push"));
  ASSERT_TRUE(p.find("CEN/legacy-to-advanced"));
  EXPECT_TRUE(waits_for(p, "CEN/dbtest", "CEN/advanced-push"));
  EXPECT_TRUE(waits_for(p, "CEN/dbtest", "CEN/legacy-to-advanced"));
  EXPECT_EQ(order_violations(small(), p), std::vector<std::string>{});
  // The order rule sees an overlap when the edge is missing.
  auto& after = const_cast<plan::Step*>(p.find("CEN/dbtest"))->after;
  after.erase(std::find(after.begin(), after.end(), "CEN/advanced-push"));
  auto v = order_violations(small(), p);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_NE(v[0].find("CEN/advanced-push may run while CEN/dbtest holds the site down"), std::string::npos) << v[0];
}

// What an administrator reads for a same-server test: the whole sequence,
// the T-SQL, and the risk in words.
TEST(Planner, SameServerDbtestRunbookSpellsTheSequenceTheTsqlAndTheRisk) {
  Options o;
  o.dbtest_same_server = {"CEN"};
  auto p = plan::make_plan(small(), {}, o);
  auto in = plan::instructions_for(*p.find("CEN/dbtest"));
  std::string text;
  for (const auto& t : in.todo) text += t + "\n";
  auto at = [&](std::string_view needle) {
    auto k = text.find(needle);
    EXPECT_NE(k, std::string::npos) << needle << " not in:\n" << text;
    return k;
  };
  // In the order the checklist's line asks: detach, create, restore; then test, drop, reattach.
  size_t stop = at("net stop SMS_SITE_COMPONENT_MANAGER");
  size_t backup = at("BACKUP DATABASE [SMS_CEN] TO DISK");
  size_t detach = at("EXEC sp_detach_db @dbname = N'SMS_CEN'");
  size_t create =
      at("CREATE DATABASE [SMS_CEN] ON (NAME = N'SMS_CEN_dbtest', FILENAME = N'<data folder>\\SMS_CEN_dbtest.mdf'");
  size_t restore = at("RESTORE DATABASE [SMS_CEN] FROM DISK");
  size_t move = at("WITH REPLACE, MOVE N'<logical data name>' TO N'<data folder>\\SMS_CEN_dbtest.mdf'");
  size_t test = at("setup.exe /testdbupgrade SMS_CEN");
  size_t drop = at("DROP DATABASE [SMS_CEN]");
  size_t attach = at("EXEC sp_attach_db @dbname = N'SMS_CEN', @filename1 = N'<original data file>'");
  size_t start = at("net start SMS_SITE_COMPONENT_MANAGER");
  EXPECT_LT(stop, backup);
  EXPECT_LT(backup, detach);
  EXPECT_LT(detach, create);
  EXPECT_LT(create, restore);
  EXPECT_LE(restore, move);
  EXPECT_LT(move, test);
  EXPECT_LT(test, drop);
  EXPECT_LT(drop, attach);
  EXPECT_LT(attach, start);
  // The risk, in words, before anything is done.
  size_t risk = at("RISK: the site CEN is DOWN for this whole step");
  EXPECT_LT(risk, stop);
  at("If the original cannot be attached again, the site has no database: keep the backup");
  at("Never run this while a replication or backup job runs on CENSQL");
  EXPECT_NE(in.section.find("same server"), std::string::npos);
  EXPECT_EQ(text.find("NOT ENOUGH DISK"), std::string::npos);  // CENSQL has 30000 MB free
}

// The test database is a second copy on the same disks: a server without
// the room is told in the runbook, before anything is stopped.
TEST(Planner, SameServerDbtestWithoutRoomSaysSoFirst) {
  auto h = small();
  h.sites[0].database->free_disk_mb = 6000;  // CEN: 4200 + 900 MB and the growth do not fit
  Options o;
  o.dbtest_same_server = {"CEN"};
  auto p = plan::make_plan(h, {}, o);
  const auto& t = *p.find("CEN/dbtest");
  int64_t room = t.params["room_mb"].get<int64_t>();
  EXPECT_EQ(plan::same_server_short_mb(t), room - 6000);
  auto in = plan::instructions_for(t);
  EXPECT_EQ(
      in.todo[0].rfind(
          "NOT ENOUGH DISK: CENSQL has 6000 MB free and the test database needs " + std::to_string(room) + " MB", 0),
      0u)
      << in.todo[0];
  EXPECT_EQ(plan::same_server_short_mb(*plan::make_plan(small(), {}, o).find("CEN/dbtest")), 0);
}

TEST(Planner, ClientStepsFollowTheChecklist) {
  auto p = plan::make_plan(small(), {}, {});
  const auto* l2a = p.find("CEN/legacy-to-advanced");
  ASSERT_TRUE(l2a);
  EXPECT_EQ(l2a->params["clients"], nlohmann::json::array({"WS003"}));
  EXPECT_TRUE(waits_for(p, "CEN/upgrade", "CEN/legacy-to-advanced"));
  const auto* push = p.find("CEN/advanced-push");
  ASSERT_TRUE(push);
  EXPECT_EQ(push->params["clients"], nlohmann::json::array({"WS001"}));
  EXPECT_EQ(push->params["cannot_upgrade"], nlohmann::json::array({"WS002"}));
  const auto* auto_up = p.find("PR1/legacy-autoupgrade");
  ASSERT_TRUE(auto_up);
  EXPECT_EQ(auto_up->params["cycle_hours"], 25);
  EXPECT_EQ(auto_up->params["will_not_upgrade"], nlohmann::json::array({"WS005"}));
  EXPECT_EQ(auto_up->params["ie_below_5_5"], nlohmann::json::array({"WS004"}));
  EXPECT_EQ(p.find("SE1/legacy-autoupgrade")->params["cycle_hours"], 23);  // SMS 2.0 client
  EXPECT_EQ(p.find("PR3/advanced-push")->params["count"], 1);              // WS009 is already SP2
  const auto* itmu = p.find("*/itmu");
  ASSERT_TRUE(itmu);
  EXPECT_EQ(&p.steps.back(), itmu);
}

TEST(Planner, OsTrackPutsCentralFirstAndKeepsTheUninstallFolder) {
  Options o;
  o.with_os_sp1 = true;
  auto p = plan::make_plan(small(), {}, o);
  const auto* os = p.find("CEN/os-sp1/CEN01");
  ASSERT_TRUE(os);
  EXPECT_TRUE(os->params["keep_uninstall"].get<bool>());
  EXPECT_TRUE(os->params["reboot"].get<bool>());
  EXPECT_EQ(os->params["command"].get<std::string>().find("/n "), std::string::npos);
  EXPECT_TRUE(waits_for(p, "SE1/os-sp1/SE101", "CEN/os-sp1/CEN01"));
  EXPECT_EQ(p.find("PR1/os-sp1/PR101"), nullptr);   // Windows 2000 takes no 2003 SP1
  EXPECT_EQ(p.find("CEN/os-sp1/CENSQL"), nullptr);  // already at SP1
  // The fixes come after the host's SP1 and before the backup.
  EXPECT_TRUE(waits_for(p, "CEN/dcom-slp/CEN01", "CEN/os-sp1/CEN01"));
  ASSERT_TRUE(p.find("CEN/dcom-rp/CEN01"));
  // The reporting point's fix is the field report's: all four permissions, not a fallback.
  EXPECT_EQ(p.find("CEN/dcom-rp/CEN01")->params["permissions"],
            nlohmann::json::array({"Local Launch", "Remote Launch", "Local Activation", "Remote Activation"}));
  EXPECT_TRUE(p.find("CEN/dcom-sms-admins/CEN01")->manual);
  EXPECT_TRUE(waits_for(p, "CEN/backup", "CEN/dcom-slp/CEN01"));
  const auto* fw = p.find("CEN/firewall-exceptions/CEN01");
  ASSERT_TRUE(fw);
  EXPECT_EQ(fw->params["missing"].size(), 7u);
  EXPECT_TRUE(p.find("CEN/mp-reinstall/CENMP"));
  EXPECT_TRUE(p.find("CEN/scw-sql-monitor/CENSQL"));
  EXPECT_TRUE(order_violations(small(), p).empty());
}

TEST(Planner, RemoteMpGoesToSp1TogetherWithItsSiteServer) {
  Options o;
  o.with_os_sp1 = true;
  auto p = plan::make_plan(small(), {}, o);
  const auto* mp = p.find("CEN/os-sp1/CENMP");
  const auto* server = p.find("CEN/os-sp1/CEN01");
  ASSERT_TRUE(mp && server);
  EXPECT_EQ(mp->params["group"], "CEN/os-sp1/CEN01");
  EXPECT_EQ(server->params["group"], "CEN/os-sp1/CEN01");
  EXPECT_EQ(mp->after, server->after);
  EXPECT_EQ(mp->why, std::vector<std::string>{"remote-mp-997"});
}

TEST(Planner, GroupedRemoteMpAlsoGetsTheKb906570FixAfterBothMove) {
  Options o;
  o.with_os_sp1 = true;
  auto p = plan::make_plan(small(), {}, o);
  const auto* fix = p.find("CEN/kb906570/CEN01");
  ASSERT_TRUE(fix) << "no KB906570 step for the grouped pair";
  EXPECT_EQ(fix->host, "CEN01");
  EXPECT_EQ(fix->why, std::vector<std::string>{"remote-mp-997"});
  EXPECT_TRUE(waits_for(p, "CEN/kb906570/CEN01", "CEN/os-sp1/CENMP"));
  EXPECT_TRUE(waits_for(p, "CEN/kb906570/CEN01", "CEN/os-sp1/CEN01"));
  EXPECT_TRUE(waits_for(p, "CEN/backup", "CEN/kb906570/CEN01"));
  EXPECT_TRUE(order_violations(small(), p).empty());
}

TEST(Planner, RemoteMpAlreadyAtSp1GetsTheKb906570FixAsAStep) {
  // No OS step can carry the fix: both hosts are at SP1 already.
  auto h = small();
  for (auto& sys : h.sites[0].systems) {
    if (sys.host == "CENMP" || sys.host == "CEN01") sys.os.sp = 1;
  }
  auto p = plan::make_plan(h, {}, {});
  const auto* fix = p.find("CEN/kb906570/CEN01");
  ASSERT_TRUE(fix) << "the rule fires and the plan has no step applying its fix";
  EXPECT_FALSE(fix->manual);
  EXPECT_EQ(fix->params["management_point"], "CENMP");
  EXPECT_TRUE(waits_for(p, "CEN/backup", "CEN/kb906570/CEN01"));
  EXPECT_FALSE(plan::instructions_for(*fix).todo.empty());
  EXPECT_TRUE(order_violations(h, p).empty());
}

TEST(Planner, WithoutOsTrackOnlyHostsAlreadyAtSp1GetFixes) {
  auto p = plan::make_plan(small(), {}, {});
  for (const auto& s : p.steps) EXPECT_NE(s.kind, "os-sp1") << s.id;
  EXPECT_EQ(p.find("CEN/dcom-slp/CEN01"), nullptr);  // CEN01 stays at SP0
  EXPECT_TRUE(p.find("CEN/scw-sql-monitor/CENSQL"));
  EXPECT_TRUE(p.find("PR3/dcom-rp/PR301") == nullptr);  // no reporting point there
}

TEST(Planner, WhyNamesTheFindingsEachStepAnswers) {
  auto h = small();
  rules::Report r;
  r.findings.push_back(finding("backup-stale", Gravity::warning, 0, "CEN"));
  r.findings.push_back(finding("db-upgrade-untested", Gravity::action, 0, "CEN"));
  r.findings.push_back(finding("foreign-files", Gravity::warning, 1, "PR1"));
  r.findings.push_back(finding("console-version", Gravity::action, 0, "ADM01"));
  r.findings.push_back(finding("itmu-after-upgrade", Gravity::info, -1, "Fabrikam"));
  auto p = plan::make_plan(h, r, {});
  EXPECT_EQ(p.find("CEN/backup")->why, std::vector<std::string>{"backup-stale"});
  EXPECT_EQ(p.find("CEN/dbtest")->why, std::vector<std::string>{"db-upgrade-untested"});
  EXPECT_EQ(p.find("PR1/upgrade")->why, std::vector<std::string>{"foreign-files"});
  EXPECT_EQ(p.find("CEN/console-upgrade/ADM01")->why, std::vector<std::string>{"console-version"});
  EXPECT_EQ(p.find("*/itmu")->why, std::vector<std::string>{"itmu-after-upgrade"});
}

TEST(Planner, CarriesTheInventoryDigestAndPath) {
  auto h = small();
  auto p = plan::make_plan(h, {}, {});
  EXPECT_EQ(p.format, "smsup-plan/1");
  EXPECT_EQ(p.inventory_sha256, h.sha256);
  EXPECT_EQ(p.inventory_sha256.size(), 64u);
  EXPECT_EQ(p.inventory, h.source);
  EXPECT_EQ(p.hierarchy, "Fabrikam");
}

TEST(Planner, SmallExampleKeepsEveryOrderRule) {
  for (bool os : {false, true}) {
    for (int n : {1, 2, 4}) {
      Options o;
      o.with_os_sp1 = os;
      o.max_parallel = n;
      auto p = plan::make_plan(small(), {}, o);
      EXPECT_EQ(order_violations(small(), p), std::vector<std::string>{});
    }
  }
}

// firewall-exceptions on a console's computer (Windows Server 2003 SP1,
// firewall on): a step for its host with the console's exceptions only,
// before the site's backup, answering the rule's finding on that host.
TEST(Planner, AFirewalledConsoleGetsAFirewallStepWithItsOwnExceptions) {
  auto h = small();
  Console& c = h.sites[0].consoles[0];
  ASSERT_EQ(c.host, "ADM01");
  c.os = {WinFamily::w2003, 1};
  c.unknown = 0;
  c.firewall = true;
  c.firewall_exceptions = static_cast<uint32_t>(FirewallException::statview);
  auto p = plan::make_plan(h, rules::evaluate(h, {}), {});
  const auto* fw = p.find("CEN/firewall-exceptions/ADM01");
  ASSERT_TRUE(fw);
  EXPECT_EQ(fw->params["missing"], nlohmann::json::array({"tcp-135", "unsecapp"}));
  EXPECT_EQ(fw->params["commands"].size(), 2u);
  EXPECT_EQ(fw->params["console"], "ADM01");
  EXPECT_EQ(fw->why, std::vector<std::string>{"firewall-exceptions"});
  EXPECT_TRUE(waits_for(p, "CEN/backup", "CEN/firewall-exceptions/ADM01"));
  EXPECT_TRUE(order_violations(h, p).empty());
  // Every exception there, the firewall off, or a fact unknown: no step.
  for (auto change : {+[](Console& x) { x.firewall_exceptions = kConsoleFirewallExceptions; },
                      +[](Console& x) { x.firewall = false; },
                      +[](Console& x) { x.unknown = static_cast<uint8_t>(ConsoleFact::firewall); },
                      +[](Console& x) { x.os.sp = 0; }}) {
    auto g = h;
    change(g.sites[0].consoles[0]);
    EXPECT_EQ(plan::make_plan(g, {}, {}).find("CEN/firewall-exceptions/ADM01"), nullptr);
  }
}

}  // namespace
}  // namespace smsup::testing
