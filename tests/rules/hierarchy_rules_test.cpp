// Hierarchy-wide rules: HTTP ports and reassignment across authentication modes.
#include "fixture.h"

using namespace smsup;
using smsup::test::Fixture;
using smsup::test::kClientsHeader;

namespace {

std::string child(const char* code, const char* version, int port, bool auth = false) {
  return std::string("- code: ") + code + "\n  type: primary\n  parent: CEN\n  version: " + version +
         "\n  http_port: " + std::to_string(port) + "\n  client_auth_encryption: " + (auth ? "true" : "false") +
         "\n  last_backup: 2006-06-10\n  database: {server: " + code +
         "01, sql: 2000-sp4, data_mb: 10, log_mb: 10, free_disk_mb: 90000, dbtest: "
         "{data_mb_after: 10, log_mb_after: 10}}\n  systems: [{host: " +
         code + "01, os: w2003, roles: [site_server]}]";
}

}  // namespace

TEST(HierarchyRules, PortMismatchBlocksWhileAnySiteIsBelowSp1) {
  auto f = Fixture().set("sites", child("PR1", "rtm", 8080)).fired("http-port-mismatch");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, rules::Gravity::blocker);
  EXPECT_EQ(f[0].object, "Test");
  EXPECT_EQ(f[0].site, -1);
  EXPECT_NE(f[0].message.find("80 (site CEN)"), std::string::npos) << f[0].message;
  EXPECT_NE(f[0].message.find("8080 (site PR1)"), std::string::npos) << f[0].message;
}

TEST(HierarchyRules, PortMismatchIsAWarningOnceAllSitesRunSp1) {
  auto f = Fixture().set("sites", child("PR1", "sp1", 8080)).fired("http-port-mismatch");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, rules::Gravity::warning);
}

TEST(HierarchyRules, AdvancedClientOnAnotherPortIsAMismatch) {
  std::string csv =
      std::string(kClientsHeader) + "PC1,CEN,advanced,xp,2,,sp1,,,8080\n" + "PC2,CEN,advanced,xp,2,,sp1,,,80\n";
  auto f = Fixture().set("version", "rtm").clients(csv).fired("http-port-mismatch");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("8080 (1 advanced client)"), std::string::npos) << f[0].message;
  // Legacy Clients do not count: the rule is about advanced clients.
  std::string legacy = std::string(kClientsHeader) + "PC1,CEN,legacy,xp,2,,sp1,,,8080\n";
  EXPECT_FALSE(Fixture().clients(legacy).fires("http-port-mismatch"));
}

TEST(HierarchyRules, OnePortEverywhereIsFine) {
  std::string csv = std::string(kClientsHeader) + "PC1,PR1,advanced,xp,2,,sp1,,,8080\n";
  EXPECT_FALSE(
      Fixture().set("port", "8080").set("sites", child("PR1", "rtm", 8080)).clients(csv).fires("http-port-mismatch"));
}

TEST(HierarchyRules, ReassignFromAuthenticatedSiteToPlainSiteIsBlocked) {
  std::string sites =
      child("PR1", "sp1", 80, true) + "\n" + child("PR2", "sp1", 80, false) + "\n" + child("PR3", "sp1", 80, true);
  std::string csv = std::string(kClientsHeader) + "PC1,PR1,advanced,xp,2,,sp1,,PR2,\n" +
                    "PC2,PR1,advanced,xp,2,,sp1,,PR3,\n" + "PC3,PR2,advanced,xp,2,,sp1,,PR1,\n";
  auto f = Fixture().set("sites", sites).clients(csv).fired("auth-reassign");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object, "PC1");
  EXPECT_EQ(f[0].severity, rules::Gravity::blocker);
  EXPECT_NE(f[0].message.find("from PR1"), std::string::npos);
  EXPECT_NE(f[0].message.find("to PR2"), std::string::npos);
}

// Every site and Advanced Client "needs to be configured to use the same HTTP
// port": an Advanced Client below SP1 keeps the mismatch a blocker even when
// every site already runs SP1.
TEST(HierarchyRules, PortMismatchBlocksWhileAnAdvancedClientIsBelowSp1) {
  std::string rtm_client = std::string(kClientsHeader) + "PC1,CEN,advanced,xp,2,,rtm,,,8080\n";
  auto f = Fixture().set("version", "sp1").clients(rtm_client).fired("http-port-mismatch");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, rules::Gravity::blocker);
  EXPECT_NE(f[0].message.find("below SMS 2003 SP1"), std::string::npos) << f[0].message;
  // The same mismatch with the client at SP1 is a warning.
  std::string sp1_client = std::string(kClientsHeader) + "PC1,CEN,advanced,xp,2,,sp1,,,8080\n";
  auto g = Fixture().set("version", "sp1").clients(sp1_client).fired("http-port-mismatch");
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].severity, rules::Gravity::warning);
}

// The checklist names Advanced Clients: a Legacy Client reports through a CAP,
// not by the authenticated heartbeat and inventory this rule is about.
TEST(HierarchyRules, ReassignOfALegacyClientIsNotBlocked) {
  std::string sites = child("PR1", "sp1", 80, true) + "\n" + child("PR2", "sp1", 80, false);
  std::string csv = std::string(kClientsHeader) + "PC1,PR1,legacy,xp,2,,sp1,,PR2,\n";
  EXPECT_FALSE(Fixture().set("sites", sites).clients(csv).fires("auth-reassign"));
}
