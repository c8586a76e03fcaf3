// The inventory contract (shared/spec/inventory.md): what loads, and every
// refusal naming file, line, column, key path and what was expected.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "support.h"
#include "inventory/inventory.h"
#include "inventory/synth.h"
#include "rules/finding.h"

using namespace smsup;

namespace {

const char* kBase = R"(format: smsup-inventory/1
hierarchy: Test
method: update-quiet
sites:
  - code: CEN
    type: primary
    parent: ~
    version: sp1
    database: {server: CEN01, sql: 2000-sp4, data_mb: 100, log_mb: 10, free_disk_mb: 1000}
    systems:
      - host: CEN01
        os: w2003
        roles: [site_server, provider]
  - code: PR1
    type: primary
    parent: CEN
    version: rtm
    database: {server: PR101, sql: 2000-sp3a}
    systems:
      - {host: PR101, os: w2000, os_sp: 4, roles: [site_server]}
  - code: SE1
    type: secondary
    parent: PR1
    version: 2.50.3174.1018
    systems:
      - {host: SE101, os: w2003, roles: [site_server]}
)";

Hierarchy load(const std::string& yaml) { return inventory::load_text(yaml, "t.yaml", "."); }

// Expects a refusal whose message starts with "t.yaml:LINE:" and names FIELD.
void expect_refused(const std::string& yaml, int line, const std::string& field, const std::string& words) {
  try {
    load(yaml);
    FAIL() << "accepted, expected refusal at line " << line << " field " << field;
  } catch (const InputError& e) {
    EXPECT_EQ(e.loc().file, "t.yaml") << e.what();
    EXPECT_EQ(e.loc().line, line) << e.what();
    EXPECT_EQ(e.field(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST(Inventory, LoadsSitesTreeAndDefaults) {
  auto h = load(kBase);
  ASSERT_EQ(h.sites.size(), 3u);
  EXPECT_EQ(h.method, Method::update_quiet);
  EXPECT_EQ(h.central, 0);
  EXPECT_EQ(h.sites[1].parent_index, 0);
  EXPECT_EQ(h.sites[2].parent_index, 1);
  EXPECT_EQ(h.sites[2].depth, 2);
  EXPECT_EQ(h.sites[2].version.level, SmsLevel::sp1);  // build string mapped
  EXPECT_EQ(h.sites[1].database->name, "SMS_PR1");     // default name
  EXPECT_TRUE(h.sites[1].database->autogrow);
  EXPECT_EQ(h.sites[0].install_dir, "C:\\SMS");
  EXPECT_EQ(h.sites[0].http_port, 80);
  EXPECT_EQ(h.top_down, (std::vector<int>{0, 1, 2}));
  EXPECT_TRUE(h.sites[0].systems[0].has(Role::provider));
  EXPECT_EQ(h.sha256.size(), 64u);
}

TEST(Inventory, ExtraMapsAreKeptButIgnored) {
  auto yaml = replace(kBase, "    version: sp1\n", "    version: sp1\n    extra: {owner: ops, ticket: 42}\n");
  EXPECT_NO_THROW(load(yaml));
}

TEST(Inventory, UnknownKeyIsRefusedWithItsPath) {
  expect_refused(replace(kBase, "        os: w2003\n", "        os: w2003\n        colour: red\n"), 13,
                 "sites[0].systems[0].colour", "unknown key");
}

TEST(Inventory, UnknownTopLevelKeyIsRefused) {
  expect_refused(replace(kBase, "method: update-quiet\n", "method: update-quiet\nmetod: x\n"), 4, "metod",
                 "unknown key");
}

TEST(Inventory, UnknownKeyNamesTheNearestKnownKey) {
  expect_refused(replace(kBase, "method: update-quiet\n", "method: update-quiet\nmetod: x\n"), 4, "metod",
                 "unknown key; did you mean 'method'?");
  expect_refused(replace(kBase, "        os: w2003\n", "        os: w2003\n        roels: x\n"), 13,
                 "sites[0].systems[0].roels", "did you mean 'roles'?");
}

TEST(Inventory, WrongFormatIsRefused) {
  expect_refused(replace(kBase, "smsup-inventory/1", "smsup-inventory/2"), 1, "format", "expected smsup-inventory/1");
}

TEST(Inventory, BadVersionsAreRefusedWithWhatWasExpected) {
  expect_refused(replace(kBase, "version: rtm", "version: sp3"), 17, "sites[1].version",
                 "expected sms20, rtm, sp1, sp2");
  expect_refused(replace(kBase, "sql: 2000-sp3a", "sql: 2000-sp9"), 18, "sites[1].database.sql",
                 "unknown SQL Server version");
  expect_refused(replace(kBase, "os: w2000", "os: win10"), 20, "sites[1].systems[0].os",
                 "unknown operating system 'win10'");
  expect_refused(replace(kBase, "method: update-quiet", "method: quiet"), 3, "method",
                 "expected interactive, update-quiet or update-passive");
}

TEST(Inventory, WrongTypesAreRefused) {
  expect_refused(replace(kBase, "data_mb: 100", "data_mb: lots"), 9, "sites[0].database.data_mb", "not a whole number");
  expect_refused(replace(kBase, "    version: sp1\n", "    version: sp1\n    drw_passed: maybe\n"), 9,
                 "sites[0].drw_passed", "not a boolean");
  expect_refused(replace(kBase, "    version: sp1\n", "    version: sp1\n    http_port: 70000\n"), 9,
                 "sites[0].http_port", "out of range");
  expect_refused(replace(kBase, "roles: [site_server, provider]", "roles: site_server"), 13,
                 "sites[0].systems[0].roles", "expected a list");
  expect_refused(replace(kBase, "roles: [site_server, provider]", "roles: [site_server, mp]"), 13,
                 "sites[0].systems[0].roles[1]", "unknown value 'mp'");
  expect_refused(replace(kBase, "    version: sp1\n", "    version: sp1\n    last_backup: 2006-13-01\n"), 9,
                 "sites[0].last_backup", "expected YYYY-MM-DD");
}

TEST(Inventory, BadSiteCodeIsRefused) {
  expect_refused(replace(kBase, "code: PR1", "code: pr1"), 14, "sites[1].code", "3 characters");
  expect_refused(replace(kBase, "code: PR1", "code: PRIM"), 14, "sites[1].code", "3 characters");
}

TEST(Inventory, UnknownParentIsRefusedAtTheParentValue) {
  expect_refused(replace(kBase, "parent: PR1", "parent: PR9"), 23, "sites[2].parent", "no site with code 'PR9'");
}

TEST(Inventory, DuplicateSiteCodesAndHostsAreRefused) {
  expect_refused(replace(kBase, "code: SE1", "code: PR1"), 21, "sites[2].code", "used twice");
  expect_refused(replace(kBase, "host: SE101", "host: PR101"), 26, "sites[2].systems[0].host", "appears twice");
}

TEST(Inventory, ExactlyOneCentralSite) {
  expect_refused(replace(kBase, "parent: CEN", "parent: ~"), 16, "sites[1].parent", "already the central site");
  try {
    load(replace(kBase, "parent: ~", "parent: PR1"));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("central"), std::string::npos) << e.what();
  }
}

TEST(Inventory, ParentCycleIsRefused) {
  // CEN stays central; two primaries point at each other.
  std::string yaml = kBase;
  yaml += R"(  - code: PR2
    type: primary
    parent: PR3
    version: sp1
    database: {server: PR201, sql: 2005}
    systems: [{host: PR201, os: w2003, roles: [site_server]}]
  - code: PR3
    type: primary
    parent: PR2
    version: sp1
    database: {server: PR301, sql: 2005}
    systems: [{host: PR301, os: w2003, roles: [site_server]}]
)";
  try {
    load(yaml);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("parent cycle"), std::string::npos) << e.what();
  }
}

TEST(Inventory, SecondaryUnderSecondaryIsRefused) {
  std::string yaml = kBase;
  yaml +=
      "  - {code: SE2, type: secondary, parent: SE1, version: sp1, systems: [{host: SE201, "
      "os: w2003, roles: [site_server]}]}\n";
  expect_refused(yaml, 27, "sites[3].parent", "must be a primary site");
}

TEST(Inventory, PrimaryWithoutDatabaseAndSecondaryWithOneAreRefused) {
  expect_refused(replace(kBase, "    database: {server: PR101, sql: 2000-sp3a}\n", ""), 14, "sites[1].database",
                 "has no database");
  expect_refused(replace(kBase, "    version: 2.50.3174.1018\n",
                         "    version: 2.50.3174.1018\n    database: {server: X, sql: 2005}\n"),
                 21, "sites[2].database", "a secondary site has none");
}

TEST(Inventory, SiteWithoutSiteServerIsRefused) {
  expect_refused(replace(kBase, "roles: [site_server]}\n  - code: SE1", "roles: [distribution_point]}\n  - code: SE1"),
                 14, "sites[1].systems", "no system with role site_server");
}

TEST(Inventory, BrokenYamlIsRefusedWithPosition) {
  try {
    load("format: smsup-inventory/1\nsites: [\n");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.loc().file, "t.yaml");
    EXPECT_GT(e.loc().line, 0);
    EXPECT_NE(std::string(e.what()).find("not valid YAML"), std::string::npos);
  }
}

class ClientsCsv : public ::testing::Test {
 protected:
  Hierarchy h = load(kBase);
  void expect_refused_csv(const std::string& csv, int line, const std::string& field, const std::string& words) {
    try {
      inventory::load_clients(h, csv, "c.csv");
      FAIL() << "accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(e.loc().file, "c.csv") << e.what();
      EXPECT_EQ(e.loc().line, line) << e.what();
      EXPECT_EQ(e.field(), field) << e.what();
      EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
  }
};

TEST_F(ClientsCsv, ColumnsInAnyOrderQuotedFieldsAndCrlf) {
  inventory::load_clients(h,
                          "\xEF\xBB\xBFkind,name,os,site,client_version,ie,os_sp,http_port\r\n"
                          "advanced,W1,xp,CEN,sp1,6.0,2,8080\r\n"
                          "legacy,\"W2\",win98,SE1,sms20,5.5,,\r\n",
                          "c.csv");
  ASSERT_EQ(h.clients.size(), 2u);
  EXPECT_EQ(h.clients[0].http_port, 8080);
  EXPECT_EQ(h.clients[0].os.sp, 2);
  EXPECT_EQ(h.clients[1].name, "W2");
  EXPECT_EQ(h.clients[1].site, 2);
  EXPECT_EQ(h.clients[1].ie_tenths, 55);
  EXPECT_EQ(h.clients[1].version, SmsLevel::sms20);
  EXPECT_EQ(h.clients[1].http_port, 80);
  // A quoted field keeps its commas and doubled quotes as one value (which
  // no computer can have as a name: the value is refused, whole).
  try {
    inventory::load_clients(h, "name,site,kind,os,client_version\n\"W,\"\"2\",CEN,advanced,xp,sp1\n", "c.csv");
    FAIL() << "a name with a comma and a quote was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("c.csv:2: name: 'W,\"2' is not a name"), std::string::npos) << e.what();
  }
}

TEST_F(ClientsCsv, EveryBadValueIsRefusedWithItsLineAndColumn) {
  const std::string head = "name,site,kind,os,client_version,os_sp,ie,autoupgrade_disabled,reassign_to,arch\n";
  expect_refused_csv(head + "W1,XXX,advanced,xp,sp1,,,,,\n", 2, "site", "no site with code 'XXX'");
  expect_refused_csv(head + "W1,CEN,server,xp,sp1,,,,,\n", 2, "kind", "expected legacy or advanced");
  expect_refused_csv(head + "W1,CEN,advanced,win7,sp1,,,,,\n", 2, "os", "unknown operating system");
  expect_refused_csv(head + "W1,CEN,advanced,xp,sp3,,,,,\n", 2, "client_version", "expected sms20");
  expect_refused_csv(head + "W1,CEN,advanced,xp,sp1,x,,,,\n", 2, "os_sp", "service pack");
  expect_refused_csv(head + "W1,CEN,advanced,xp,sp1,,six,,,\n", 2, "ie", "Internet Explorer");
  expect_refused_csv(head + "W1,CEN,legacy,xp,sp1,,,yes,,\n", 2, "autoupgrade_disabled", "boolean");
  expect_refused_csv(head + "W1,CEN,advanced,xp,sp1,,,,ZZZ,\n", 2, "reassign_to", "no site");
  expect_refused_csv(head + "W1,CEN,advanced,xp,sp1,,,,,arm\n", 2, "arch", "x86 or x64");
  expect_refused_csv(head + "W1,CEN,advanced,xp,sp1,,,,\n", 2, "", "fields");
  expect_refused_csv(head + "W1,CEN,advanced,xp,sp1,,,,,\nW1,CEN,advanced,xp,sp1,,,,,\n", 3, "name", "appears twice");
  expect_refused_csv(head + "W1,SE1,advanced,xp,sp1,,,,,\n", 2, "site", "secondary site SE1");
}

// The firewall columns: optional; without them, or `~`, the firewall is
// unknown (check cannot judge it), never "off".
TEST_F(ClientsCsv, FirewallColumnsAreReadAndUnknownWhenAbsent) {
  inventory::load_clients(h,
                          "name,site,kind,os,os_sp,client_version,firewall,firewall_exceptions\n"
                          "S1,CEN,advanced,w2003,1,sp1,true,rc-2701;file-printer-sharing rc-2702\n"
                          "S2,CEN,advanced,w2003,1,sp1,false,\n"
                          "S3,CEN,advanced,w2003,1,sp1,~,~\n"
                          "S4,CEN,advanced,w2003,1,sp1,,\n",
                          "c.csv");
  ASSERT_EQ(h.clients.size(), 4u);
  const auto& s1 = h.clients[0];
  EXPECT_TRUE(s1.firewall);
  EXPECT_FALSE(s1.unknown_fact(ClientFact::firewall));
  EXPECT_TRUE(s1.has(FirewallException::rc_2701));
  EXPECT_TRUE(s1.has(FirewallException::rc_2702));
  EXPECT_TRUE(s1.has(FirewallException::file_printer_sharing));
  EXPECT_FALSE(s1.has(FirewallException::rc_2703));
  EXPECT_FALSE(h.clients[1].firewall);
  EXPECT_FALSE(h.clients[1].unknown_fact(ClientFact::firewall));
  EXPECT_FALSE(h.clients[1].unknown_fact(ClientFact::firewall_exceptions)) << "empty: none present";
  EXPECT_TRUE(h.clients[2].unknown_fact(ClientFact::firewall));
  EXPECT_TRUE(h.clients[2].unknown_fact(ClientFact::firewall_exceptions));
  EXPECT_TRUE(h.clients[3].unknown_fact(ClientFact::firewall)) << "an empty firewall cell is unknown";
  inventory::load_clients(h, "name,site,kind,os,client_version\nS1,CEN,advanced,w2003,sp1\n", "c.csv");
  EXPECT_TRUE(h.clients[0].unknown_fact(ClientFact::firewall)) << "no column: unknown";
  EXPECT_TRUE(h.clients[0].unknown_fact(ClientFact::firewall_exceptions));
  const std::string head = "name,site,kind,os,client_version,firewall,firewall_exceptions\n";
  expect_refused_csv(head + "W1,CEN,advanced,w2003,sp1,on,\n", 2, "firewall", "not a boolean");
  expect_refused_csv(head + "W1,CEN,advanced,w2003,sp1,true,rc-2701;smb\n", 2, "firewall_exceptions",
                     "unknown exception 'smb'; expected rc-2701");
}

// A console's computer: OS and firewall unknown unless given.
TEST(Inventory, ConsoleOsAndFirewallAreReadAndUnknownWhenAbsent) {
  auto yaml = replace(kBase, "        roles: [site_server, provider]\n",
                      "        roles: [site_server, provider]\n"
                      "    consoles:\n"
                      "      - {host: ADM01, version: sp1}\n"
                      "      - {host: ADM02, version: sp1, os: w2003, os_sp: 1, firewall: true, "
                      "firewall_exceptions: [statview]}\n"
                      "      - {host: ADM03, version: sp1, os: w2003, firewall: ~}\n");
  auto h = load(yaml);
  const auto& c = h.sites[0].consoles;
  ASSERT_EQ(c.size(), 3u);
  for (auto f : {ConsoleFact::os, ConsoleFact::os_sp, ConsoleFact::firewall, ConsoleFact::firewall_exceptions}) {
    EXPECT_TRUE(c[0].unknown_fact(f)) << static_cast<int>(f);
  }
  EXPECT_EQ(c[1].unknown, 0);
  EXPECT_EQ(c[1].os.family, WinFamily::w2003);
  EXPECT_EQ(c[1].os.sp, 1);
  EXPECT_TRUE(c[1].firewall);
  EXPECT_TRUE(c[1].has(FirewallException::statview));
  EXPECT_FALSE(c[1].has(FirewallException::unsecapp));
  EXPECT_FALSE(c[2].unknown_fact(ConsoleFact::os));
  EXPECT_EQ(c[2].os.sp, 0) << "os given, os_sp absent: 0, as for a site system";
  EXPECT_TRUE(c[2].unknown_fact(ConsoleFact::firewall));
  EXPECT_TRUE(c[2].unknown_fact(ConsoleFact::firewall_exceptions));
  expect_refused(replace(kBase, "        roles: [site_server, provider]\n",
                         "        roles: [site_server, provider]\n"
                         "    consoles:\n"
                         "      - {host: ADM01, version: sp1, os: w2003, firewall: true, "
                         "firewall_exceptions: [statvew]}\n"),
                 15, "sites[0].consoles[0].firewall_exceptions[0]", "unknown value 'statvew'");
}

TEST_F(ClientsCsv, HeaderProblemsAreRefused) {
  expect_refused_csv("", 1, "", "header");
  expect_refused_csv("name,site,kind,os\n", 1, "client_version", "required column");
  expect_refused_csv("name,site,kind,os,client_version,colour\n", 1, "colour", "unknown column");
  expect_refused_csv("name,name,site,kind,os,client_version\n", 1, "name", "twice");
  expect_refused_csv("name,site,kind,os,client_version\n\"W1,CEN\n", 2, "", "not closed");
}

TEST(Inventory, ClientsFileIsResolvedBesideTheYamlAndMissingOneIsRefused) {
  namespace fs = std::filesystem;
  auto dir = smsup::test::test_dir();
  smsup::test::write_file(dir / "inv.yaml",
                          replace(kBase, "method: update-quiet\n", "method: update-quiet\nclients: c.csv\n"));
  try {
    inventory::load((dir / "inv.yaml").string());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field(), "clients");
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos);
  }
  smsup::test::write_file(dir / "c.csv", "name,site,kind,os,client_version\nW1,CEN,advanced,xp,sp1\n");
  auto h = inventory::load((dir / "inv.yaml").string());
  EXPECT_EQ(h.clients.size(), 1u);
}

TEST(Inventory, MissingFileIsRefused) { EXPECT_THROW(inventory::load("/nonexistent/inv.yaml"), InputError); }

TEST(Synthetic, SameSeedSameFilesAndAlwaysValid) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    inventory::SynthOptions o;
    o.sites = 150;
    o.clients = 3000;
    o.seed = seed;
    o.messy = seed == 3;
    auto yaml = inventory::synthetic_yaml(o, "c.csv");
    EXPECT_EQ(yaml, inventory::synthetic_yaml(o, "c.csv"));
    auto h = inventory::load_text(replace(yaml, "clients: c.csv\n", ""), "synth.yaml", ".");
    EXPECT_EQ(h.sites.size(), 150u);
    inventory::load_clients(h, inventory::synthetic_csv(o), "c.csv");
    EXPECT_EQ(h.clients.size(), 3000u);
    int secondaries = 0;
    for (const auto& s : h.sites) secondaries += s.is_primary() ? 0 : 1;
    EXPECT_GT(secondaries, 50);
    rules::Options ro;
    ro.as_of = *parse_date("2006-06-12");
    auto report = rules::evaluate(h, ro);
    if (o.messy) {
      EXPECT_GT(report.count(rules::Gravity::blocker), 0);
    } else {
      EXPECT_EQ(report.count(rules::Gravity::blocker), 0) << "seed " << seed;
    }
  }
}

TEST(Example, ContosoLoads) {
  auto h = inventory::load(std::string(SMSUP_SOURCE_DIR) + "/examples/contoso/contoso.yaml");
  EXPECT_EQ(h.name, "Contoso");
  EXPECT_GE(h.sites.size(), 8u);
  EXPECT_GE(h.clients.size(), 5000u);
}
