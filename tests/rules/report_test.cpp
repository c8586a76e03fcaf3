// The three forms of the check report, on hierarchies built in memory.
#include <nlohmann/json.hpp>

#include <sstream>

#include "fixture.h"
#include "report/check_report.h"

using namespace smsup;
using smsup::test::Fixture;
using smsup::test::kClientsHeader;

namespace {

std::string many_old_clients(int n) {
  std::string csv = kClientsHeader;
  for (int i = 0; i < n; ++i) csv += "WS" + std::to_string(1000 + i) + ",CEN,advanced,w2000,3,,sp1,,,\n";
  return csv;
}

}  // namespace

TEST(CheckReport, TextCountsClientFindingsPerSiteAndRule) {
  Fixture fx;
  fx.clients(many_old_clients(12)).set("free", "90000");
  auto h = fx.hierarchy();
  auto r = fx.report();
  std::ostringstream out;
  report::write_check_text(out, h, r, report::TextStyle{false, 3, "2006-06-15"});
  std::string text = out.str();
  EXPECT_NE(text.find("advclient-os  12 clients: WS1000, WS1001, WS1002 and 9 more"), std::string::npos) << text;
  EXPECT_NE(text.find("e.g. WS1000 runs Windows 2000 SP3"), std::string::npos) << text;
  EXPECT_EQ(text.find("WS1003"), std::string::npos) << "only the first names are listed";
  EXPECT_EQ(text.rfind("Test: READY", 0), 0u) << text;
}

TEST(CheckReport, TextPutsBlockersFirstWithinASite) {
  Fixture fx;
  fx.set("site", "consoles: [{host: ADM01, version: sp1}]").set("sql", "2000-sp3");
  std::ostringstream out;
  report::write_check_text(out, fx.hierarchy(), fx.report(), report::TextStyle{});
  std::string text = out.str();
  EXPECT_LT(text.find("sql-version"), text.find("console-version")) << text;
  EXPECT_EQ(text.rfind("Test: NOT READY", 0), 0u) << text;
}

TEST(CheckReport, ColourOnlyWhenAsked) {
  Fixture fx;
  std::ostringstream plain, coloured;
  report::write_check_text(plain, fx.hierarchy(), fx.report(), report::TextStyle{false, 5, ""});
  report::write_check_text(coloured, fx.hierarchy(), fx.report(), report::TextStyle{true, 5, ""});
  EXPECT_EQ(plain.str().find('\x1b'), std::string::npos);
  EXPECT_NE(coloured.str().find('\x1b'), std::string::npos);
}

TEST(CheckReport, JsonListsEveryClientFindingAndEscapesText) {
  Fixture fx;
  fx.clients(many_old_clients(12)).set("site", "foreign_files: ['C:\\SMS\\a \"quoted\" file']");
  auto h = fx.hierarchy();
  std::ostringstream out;
  report::write_check_json(out, h, fx.report());
  auto j = nlohmann::json::parse(out.str());
  int clients = 0;
  for (const auto& f : j["findings"]) clients += f["rule"] == "advclient-os";
  EXPECT_EQ(clients, 12);
  bool found = false;
  for (const auto& f : j["findings"]) {
    if (f["rule"] == "foreign-files") {
      found = true;
      EXPECT_NE(f["message"].get<std::string>().find("C:\\SMS\\a \"quoted\" file"), std::string::npos);
    }
    if (f["rule"] == "itmu-after-upgrade") {
      EXPECT_EQ(f["site"], "*");
    }
  }
  EXPECT_TRUE(found);
}

TEST(CheckReport, JunitFailsOnlyOnBlockers) {
  Fixture fx;
  fx.set("sql", "2000-sp3").set("site", "consoles: [{host: ADM01, version: sp1}]");
  std::ostringstream out;
  report::write_check_junit(out, fx.hierarchy(), fx.report());
  std::string xml = out.str();
  EXPECT_NE(xml.find("tests=\"3\" failures=\"1\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<testcase classname=\"CEN.sql-version\" name=\"CEN01\">\n      <failure"), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"CEN.console-version\" name=\"ADM01\">\n      <system-out>[action]"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testsuite name=\"Test\""), std::string::npos) << "hierarchy-wide suite";
}

TEST(CheckReport, JsonStaysValidWithBytesThatAreNotUtf8) {
  // The inventory reader refuses such names (not a Windows name); the reports
  // must stay valid even so, for any name that reaches them.
  std::string csv =
      std::string(kClientsHeader) + "WSBAD,CEN,advanced,w2000,3,,sp1,,,\n" + "CAFE,CEN,advanced,w2000,3,,sp1,,,\n";
  Fixture fx;
  fx.clients(csv);
  Hierarchy h = fx.hierarchy();
  ASSERT_EQ(h.clients.size(), 2u);
  h.clients[0].name = "WS\xff\x01";
  h.clients[1].name = "Caf\xc3\xa9";
  rules::Options opts;
  opts.as_of = *parse_date("2006-06-15");
  auto report = rules::evaluate(h, opts);
  std::ostringstream out;
  report::write_check_json(out, h, report);
  auto j = nlohmann::json::parse(out.str());
  std::vector<std::string> objects;
  for (const auto& f : j["findings"]) objects.push_back(f["object"]);
  EXPECT_NE(std::find(objects.begin(), objects.end(), "WS\xef\xbf\xbd\x01"), objects.end());
  EXPECT_NE(std::find(objects.begin(), objects.end(), "Caf\xc3\xa9"), objects.end());
  std::ostringstream xml;
  report::write_check_junit(xml, h, report);
  EXPECT_NE(xml.str().find("name=\"WS\xef\xbf\xbd \">"), std::string::npos) << "control bytes become spaces";
  EXPECT_NE(xml.str().find("name=\"Caf\xc3\xa9\">"), std::string::npos);
}
