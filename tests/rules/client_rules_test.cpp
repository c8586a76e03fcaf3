// Client rules, one client per case.
#include "fixture.h"

using namespace smsup;
using smsup::test::Fixture;
using smsup::test::kClientsHeader;

namespace {

// The rules that fire on one client row (kind,os,os_sp,ie,version,autoupgrade_disabled).
std::vector<std::string> rules_on(const std::string& row) {
  std::string csv = std::string(kClientsHeader) + "PC1,CEN," + row + ",,\n";
  std::vector<std::string> out;
  for (const auto& f : Fixture().clients(csv).report().findings) {
    if (f.client >= 0) out.emplace_back(f.rule);
  }
  return out;
}

bool fires(const char* rule, const std::string& row) {
  auto r = rules_on(row);
  return std::find(r.begin(), r.end(), rule) != r.end();
}

}  // namespace

TEST(ClientRules, AdvancedClientNeedsWindows2000Sp4) {
  EXPECT_TRUE(fires("advclient-os", "advanced,w2000,3,,sp1,"));
  EXPECT_FALSE(fires("advclient-os", "advanced,w2000,4,,sp1,"));
}

TEST(ClientRules, AdvancedClientNeedsXpSp1) {
  EXPECT_TRUE(fires("advclient-os", "advanced,xp,0,,sp1,"));
  EXPECT_FALSE(fires("advclient-os", "advanced,xp,1,,sp1,"));
}

TEST(ClientRules, AdvancedClientOn9xOrNt4IsBelowTheMinimum) {
  EXPECT_TRUE(fires("advclient-os", "advanced,win98,0,6.0,sp1,"));
  EXPECT_TRUE(fires("advclient-os", "advanced,nt4,6,,sp1,"));
  EXPECT_FALSE(fires("advclient-os", "advanced,w2003,0,,sp1,"));
  EXPECT_FALSE(fires("advclient-os", "legacy,w2000,3,,sp1,"));
}

TEST(ClientRules, AdvancedClientFindingNamesItsSystem) {
  std::string csv = std::string(kClientsHeader) + "WS0042,CEN,advanced,w2000,3,,sp1,,,\n";
  auto f = Fixture().clients(csv).fired("advclient-os");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].object, "WS0042");
  EXPECT_EQ(f[0].site, 0);
  EXPECT_EQ(f[0].client, 0);
  EXPECT_NE(f[0].message.find("WS0042 runs Windows 2000 SP3"), std::string::npos) << f[0].message;
}

TEST(ClientRules, LegacyClientOnNt5MustMoveToAdvanced) {
  EXPECT_TRUE(fires("legacy-on-nt5", "legacy,w2000,4,,sp1,"));
  EXPECT_TRUE(fires("legacy-on-nt5", "legacy,xp,2,,sp1,"));
  EXPECT_FALSE(fires("legacy-on-nt5", "legacy,nt4,6,,sp1,"));
  EXPECT_FALSE(fires("legacy-on-nt5", "advanced,xp,2,,sp1,"));
}

TEST(ClientRules, LegacyWin98NeedsIe55) {
  EXPECT_TRUE(fires("legacy-win98-ie", "legacy,win98,0,5.0,sp1,"));
  EXPECT_FALSE(fires("legacy-win98-ie", "legacy,win98,0,5.5,sp1,"));
  EXPECT_TRUE(fires("legacy-win98-ie", "legacy,win98,0,,sp1,"));  // unknown IE
  EXPECT_FALSE(fires("legacy-win98-ie", "legacy,winme,0,,sp1,"));
}

TEST(ClientRules, DisabledAutoupgradeIsFlagged) {
  EXPECT_TRUE(fires("legacy-autoupgrade-disabled", "legacy,nt4,6,,sp1,true"));
  EXPECT_FALSE(fires("legacy-autoupgrade-disabled", "legacy,nt4,6,,sp1,false"));
}

TEST(ClientRules, Sms20ClientOnNt5CannotReportSoftwareInventory) {
  EXPECT_TRUE(fires("sms20-client-nt5", "legacy,w2000,4,,sms20,"));
  EXPECT_FALSE(fires("sms20-client-nt5", "legacy,nt4,6,,sms20,"));
  EXPECT_FALSE(fires("sms20-client-nt5", "legacy,w2000,4,,rtm,"));
}

TEST(ClientRules, VistaAndLonghornHaveLimitedSupport) {
  EXPECT_TRUE(fires("vista-limited", "advanced,vista,0,,sp1,"));
  EXPECT_TRUE(fires("vista-limited", "advanced,longhorn,0,,sp1,"));
  EXPECT_FALSE(fires("vista-limited", "advanced,w2003,1,,sp1,"));
}

TEST(ClientRules, ClientFindingsBelongToTheirSite) {
  std::string sec =
      "- code: SE1\n  type: secondary\n  parent: CEN\n  version: sp1\n  last_backup: 2006-06-10\n"
      "  systems: [{host: SE101, os: w2003, roles: [site_server]}]";
  std::string csv = std::string(kClientsHeader) + "PC1,SE1,legacy,xp,2,,sp1,,,\n";
  auto f = Fixture().set("sites", sec).clients(csv).fired("legacy-on-nt5");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].site, 1);
}
