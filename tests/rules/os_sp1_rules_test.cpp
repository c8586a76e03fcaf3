// Windows Server 2003 SP1 rules: they fire on hosts at SP1 or later, and with
// --with-os-sp1 also on Windows Server 2003 hosts the plan moves to SP1.
#include "fixture.h"

using namespace smsup;
using smsup::test::Fixture;

namespace {

// The site server CEN01 on Windows Server 2003 SP1 with `sys` lines and roles.
Fixture sp1_host(const std::string& roles, const std::string& sys = "") {
  Fixture fx;
  fx.set("os", "w2003").set("os_sp", "1").set("roles", roles).set("sys", sys);
  return fx;
}

const char* kAllDcom = "dcom_fixed: [slp-iusr, rp-reporting-users, sms-admins-remote]";

}  // namespace

TEST(OsSp1Rules, ServerLocatorPointNeedsIusrLaunch) {
  auto f = sp1_host("site_server, server_locator_point", "dcom_fixed: [sms-admins-remote]").fired("dcom-slp");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object, "CEN01");
  EXPECT_NE(f[0].message.find("IUSR_CEN01"), std::string::npos) << f[0].message;
  EXPECT_FALSE(sp1_host("site_server, server_locator_point", kAllDcom).fires("dcom-slp"));
}

TEST(OsSp1Rules, RulesWaitForSp1UnlessThePlanMovesTheHost) {
  Fixture fx;
  fx.set("os", "w2003").set("os_sp", "0").set("roles", "site_server, server_locator_point");
  EXPECT_FALSE(fx.fires("dcom-slp"));
  EXPECT_FALSE(fx.fires("readonly-push"));
  fx.with_os_sp1();
  auto f = fx.fired("dcom-slp");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("to be moved to SP1"), std::string::npos) << f[0].message;
  EXPECT_TRUE(fx.fires("readonly-push"));
}

TEST(OsSp1Rules, Windows2000HostsNeverGetTheSp1Rules) {
  Fixture fx;
  fx.set("os", "w2000").set("os_sp", "4").set("roles", "site_server, server_locator_point").with_os_sp1();
  EXPECT_FALSE(fx.fires("dcom-slp"));
  EXPECT_FALSE(fx.fires("dcom-sms-admins"));
}

TEST(OsSp1Rules, ReportingPointNeedsReportingUsersLaunch) {
  EXPECT_TRUE(sp1_host("site_server, reporting_point", "dcom_fixed: [sms-admins-remote]").fires("dcom-rp"));
  EXPECT_FALSE(sp1_host("site_server, reporting_point", kAllDcom).fires("dcom-rp"));
  EXPECT_FALSE(sp1_host("site_server", "dcom_fixed: [sms-admins-remote]").fires("dcom-rp"));
}

TEST(OsSp1Rules, SiteServerAndProviderNeedSmsAdminsRemoteActivation) {
  EXPECT_TRUE(sp1_host("site_server").fires("dcom-sms-admins"));
  EXPECT_FALSE(sp1_host("site_server", kAllDcom).fires("dcom-sms-admins"));
  auto f = sp1_host("site_server", kAllDcom)
               .set("systems", "- host: PRV01\n  os: w2003\n  os_sp: 2\n  roles: [provider]")
               .fired("dcom-sms-admins");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object, "PRV01");
}

TEST(OsSp1Rules, RemoteManagementPointUnderComputerAccountHits997) {
  auto base = [](const char* account) {
    return sp1_host("site_server", kAllDcom)
        .set("systems", std::string("- host: MP01\n  os: w2003\n  os_sp: 1\n  roles: [management_point]\n"
                                    "  service_account: ") +
                            account);
  };
  auto f = base("false").fired("remote-mp-997");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object, "MP01");
  EXPECT_EQ(f[0].severity, rules::Gravity::warning);
  EXPECT_FALSE(base("true").fires("remote-mp-997"));
  // A management point on the site server itself reads no remote registry.
  EXPECT_FALSE(sp1_host("site_server, management_point", std::string(kAllDcom) + "\nservice_account: false")
                   .fires("remote-mp-997"));
}

TEST(OsSp1Rules, ClientInstalledBeforeManagementPointBreaksMpSetup) {
  EXPECT_TRUE(sp1_host("site_server, management_point", "sms_client_installed: true").fires("mp-client-first"));
  EXPECT_FALSE(sp1_host("site_server", "sms_client_installed: true").fires("mp-client-first"));
  EXPECT_FALSE(sp1_host("site_server, management_point").fires("mp-client-first"));
}

TEST(OsSp1Rules, ReadonlyPushOncePerHierarchy) {
  auto f = sp1_host("site_server")
               .set("systems", "- host: DP01\n  os: w2003\n  os_sp: 1\n  roles: [distribution_point]")
               .fired("readonly-push");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object, "Test");
  EXPECT_EQ(f[0].site, -1);
}

TEST(OsSp1Rules, ScwOnProviderNeedsRemoteWmi) {
  EXPECT_TRUE(sp1_host("site_server, provider, client_access_point", "scw: true").fires("scw-remote-wmi"));
  EXPECT_FALSE(sp1_host("site_server, provider, client_access_point", "scw: false").fires("scw-remote-wmi"));
  EXPECT_FALSE(sp1_host("site_server, client_access_point", "scw: true").fires("scw-remote-wmi"));
}

TEST(OsSp1Rules, ScwOnRemoteDatabaseServerNeedsSqlMonitorPorts) {
  auto remote = sp1_host("site_server, client_access_point")
                    .set("dbhost", "SQL01")
                    .set("systems", "- host: SQL01\n  os: w2003\n  os_sp: 1\n  roles: [database_server]\n  scw: true");
  auto f = remote.fired("scw-sql-monitor");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object, "SQL01");
  EXPECT_FALSE(sp1_host("site_server, database_server, client_access_point", "scw: true").fires("scw-sql-monitor"));
}

TEST(OsSp1Rules, ScwOnBitsDistributionPointNeedsIisRemoteAdministration) {
  EXPECT_TRUE(
      sp1_host("site_server, client_access_point, distribution_point", "scw: true\nbits: true").fires("scw-bits-dp"));
  EXPECT_FALSE(
      sp1_host("site_server, client_access_point, distribution_point", "scw: true\nbits: false").fires("scw-bits-dp"));
}

TEST(OsSp1Rules, ScwAssumesACapOnTheSiteServer) {
  EXPECT_TRUE(sp1_host("site_server", "scw: true").fires("scw-cap-misdetect"));
  EXPECT_FALSE(sp1_host("site_server, client_access_point", "scw: true").fires("scw-cap-misdetect"));
  EXPECT_FALSE(sp1_host("site_server", "scw: false").fires("scw-cap-misdetect"));
}

TEST(OsSp1Rules, RolesChangedAfterScwNeedARerun) {
  EXPECT_TRUE(sp1_host("site_server", "scw: true\nscw_before_role_change: true").fires("scw-rerun"));
  EXPECT_FALSE(sp1_host("site_server", "scw: true").fires("scw-rerun"));
}

TEST(OsSp1Rules, FirewallListsEachMissingExceptionByFeature) {
  auto f = sp1_host("site_server",
                    "firewall: true\nfirewall_exceptions: [rc-2701, rc-2702, rc-2704, helpsvc, tcp-135, "
                    "file-printer-sharing, unsecapp]")
               .fired("firewall-exceptions");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("remote control: TCP 2703"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("console queries: statview.exe"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].message.find("remote assistance"), std::string::npos) << f[0].message;
  EXPECT_FALSE(sp1_host("site_server",
                        "firewall: true\nfirewall_exceptions: [rc-2701, rc-2702, rc-2703, rc-2704, helpsvc, "
                        "tcp-135, file-printer-sharing, statview, unsecapp]")
                   .fires("firewall-exceptions"));
  EXPECT_FALSE(sp1_host("site_server", "firewall: false").fires("firewall-exceptions"));
}

namespace {

// The unknown-fact findings that say firewall-exceptions cannot be judged.
std::vector<rules::Finding> cannot_judge_firewall(const Fixture& fx) {
  std::vector<rules::Finding> out;
  for (auto& f : fx.report().findings) {
    if (f.rule == rules::kUnknownFact && f.judges == "firewall-exceptions") out.push_back(f);
  }
  return out;
}

// CEN with one console on `console` (a YAML flow mapping's inner keys); the
// site server stays on Windows Server 2003 SP0, so no site system is judged.
Fixture with_console(const std::string& console) {
  Fixture fx;
  fx.set("site", "consoles:\n  - {host: ADM01, version: sp2" + (console.empty() ? "" : ", " + console) + "}");
  return fx;
}

const char* kFirewallClients = "name,site,kind,os,os_sp,client_version,firewall,firewall_exceptions\n";

}  // namespace

TEST(OsSp1Rules, FirewallOnAConsoleAsksForStatviewUnsecappAndTcp135Only) {
  auto f = with_console("os: w2003, os_sp: 1, firewall: true, firewall_exceptions: [statview, rc-2701]")
               .fired("firewall-exceptions");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object, "ADM01");
  EXPECT_NE(f[0].message.find("SMS Administrator console: unsecapp.exe, TCP 135"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].message.find("statview"), std::string::npos) << "statview is there: " << f[0].message;
  EXPECT_EQ(f[0].message.find("remote control"), std::string::npos) << "not a console's exception: " << f[0].message;
  EXPECT_NE(f[0].remedy.find("KB875605"), std::string::npos) << f[0].remedy;
  auto q = with_console("os: w2003, os_sp: 1, firewall: true, firewall_exceptions: [unsecapp, tcp-135]")
               .fired("firewall-exceptions");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_NE(q[0].message.find("console queries: statview.exe"), std::string::npos) << q[0].message;
  EXPECT_FALSE(with_console("os: w2003, os_sp: 1, firewall: true, firewall_exceptions: [statview, unsecapp, tcp-135]")
                   .fires("firewall-exceptions"));
  EXPECT_FALSE(with_console("os: w2003, os_sp: 1, firewall: false").fires("firewall-exceptions"));
  EXPECT_FALSE(with_console("os: w2003, os_sp: 0, firewall: true").fires("firewall-exceptions"))
      << "no Windows Firewall before SP1";
  EXPECT_FALSE(with_console("os: xp, os_sp: 2, firewall: true").fires("firewall-exceptions"))
      << "the checklist's subject is Windows Server 2003 SP1";
  EXPECT_TRUE(cannot_judge_firewall(with_console("os: xp, os_sp: 2, firewall: true")).empty());
}

TEST(OsSp1Rules, AConsoleWhoseOsOrFirewallIsUnknownCannotBeJudged) {
  for (const std::string console :
       {"", "os: ~", "os: w2003, os_sp: ~", "os: w2003, os_sp: 1", "os: w2003, os_sp: 1, firewall: ~",
        "os: w2003, os_sp: 1, firewall: true, firewall_exceptions: ~"}) {
    auto fx = with_console(console);
    EXPECT_FALSE(fx.fires("firewall-exceptions")) << console;
    auto u = cannot_judge_firewall(fx);
    ASSERT_EQ(u.size(), 1u) << "'" << console << "' is not reported as cannot judge";
    EXPECT_EQ(u[0].object, "ADM01");
    EXPECT_NE(u[0].message.find("cannot be judged"), std::string::npos) << u[0].message;
    EXPECT_EQ(u[0].severity, rules::Gravity::info) << "an action rule's unknown does not block";
  }
}

TEST(OsSp1Rules, FirewallOnAW2003Sp1ClientAsksForRemoteControlAndFileAndPrinterSharing) {
  Fixture fx;
  fx.clients(std::string(kFirewallClients) +
             "S1,CEN,advanced,w2003,1,sp1,true,rc-2701;rc-2702;rc-2703;rc-2704;statview\n"
             "S2,CEN,advanced,w2003,1,sp1,true,file-printer-sharing\n"
             "S3,CEN,advanced,w2003,1,sp1,true,rc-2701;rc-2702;rc-2703;rc-2704;file-printer-sharing\n"
             "S4,CEN,advanced,w2003,1,sp1,false,\n"
             "S5,CEN,advanced,w2003,0,sp1,true,\n"
             "S6,CEN,advanced,xp,2,sp1,true,\n");
  auto f = fx.fired("firewall-exceptions");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].object, "S1");
  EXPECT_NE(f[0].message.find("File and Printer Sharing"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("Client Push Installation to it fails"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].message.find("TCP 2701"), std::string::npos) << f[0].message;
  EXPECT_EQ(f[0].message.find("statview"), std::string::npos) << "not a client's exception: " << f[0].message;
  EXPECT_EQ(f[1].object, "S2");
  EXPECT_NE(f[1].message.find("remote control: TCP 2701, TCP 2702, TCP 2703, TCP 2704"), std::string::npos)
      << f[1].message;
  EXPECT_NE(f[1].message.find("SMS Remote Tools cannot manage it"), std::string::npos) << f[1].message;
  EXPECT_NE(f[1].remedy.find("Remote Assistance or Remote Desktop"), std::string::npos) << f[1].remedy;
  EXPECT_TRUE(cannot_judge_firewall(fx).empty());
}

TEST(OsSp1Rules, AW2003Sp1ClientWhoseFirewallIsUnknownCannotBeJudged) {
  Fixture fx;
  fx.clients(std::string(kFirewallClients) +
             "S1,CEN,advanced,w2003,1,sp1,~,\n"
             "S2,CEN,advanced,w2003,1,sp1,true,~\n"
             "S3,CEN,advanced,xp,2,sp1,~,~\n");
  EXPECT_FALSE(fx.fires("firewall-exceptions"));
  auto u = cannot_judge_firewall(fx);
  ASSERT_EQ(u.size(), 2u);
  EXPECT_EQ(u[0].object, "S1");
  EXPECT_EQ(u[1].object, "S2");
  Fixture no_column;
  no_column.clients("name,site,kind,os,os_sp,client_version\nS1,CEN,advanced,w2003,1,sp1\n");
  ASSERT_EQ(cannot_judge_firewall(no_column).size(), 1u) << "a CSV without the column does not make it fine";
}

TEST(OsSp1Rules, ASiteSystemWhoseExceptionsAreUnknownCannotBeJudged) {
  auto fx = sp1_host("site_server", "firewall: true\nfirewall_exceptions: ~");
  EXPECT_FALSE(fx.fires("firewall-exceptions")) << "not judged on the default []";
  EXPECT_EQ(cannot_judge_firewall(fx).size(), 1u);
}
