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
