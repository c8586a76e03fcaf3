// The catalog is the contract of shared/spec/rules.md: same ids, same
// severities, nothing more, nothing less.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "rules/finding.h"

using namespace smsup;

TEST(Catalog, MatchesEveryRuleOfTheSpec) {
  std::ifstream in(SMSUP_SHARED_DIR "/spec/rules.md");
  ASSERT_TRUE(in) << "cannot read the spec";
  std::stringstream text;
  text << in.rdbuf();
  std::string spec = text.str();
  std::map<std::string, std::string> expected;
  std::regex row(R"(\n\| `([a-z0-9-]+)` \| ([a-z]+) \|)");
  for (auto it = std::sregex_iterator(spec.begin(), spec.end(), row); it != std::sregex_iterator(); ++it) {
    expected[(*it)[1]] = (*it)[2];
  }
  ASSERT_GE(expected.size(), 37u);
  std::map<std::string, std::string> actual;
  for (const auto& r : rules::rule_catalog()) {
    EXPECT_TRUE(actual.emplace(std::string(r.id), std::string(rules::to_string(r.severity))).second)
        << "duplicate " << r.id;
    EXPECT_FALSE(r.reference.empty()) << r.id;
  }
  EXPECT_EQ(actual, expected);
}

// docs/rules.md, the users' catalogue, has a row for every rule of the
// tables and no other, with the same severity and checklist section; every
// rule says in one line what it checks (`check --list-rules`).
TEST(Catalog, DocsRulesHasARowForEveryRuleAndNoOther) {
  std::ifstream in(SMSUP_SOURCE_DIR "/docs/rules.md");
  ASSERT_TRUE(in) << "cannot read docs/rules.md";
  std::stringstream text;
  text << in.rdbuf();
  std::string doc = text.str();
  std::map<std::string, std::pair<std::string, std::string>> documented;  // id -> severity, section
  std::regex row(R"(\n\| `([a-z0-9-]+)` \| ([a-z /]+) \|[^\n]*\| \*([^*\n]+)\* \|)");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), row); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(documented.emplace((*it)[1], std::pair{(*it)[2], (*it)[3]}).second) << "twice: " << (*it)[1];
  }
  std::map<std::string, std::pair<std::string, std::string>> actual;
  for (const auto& r : rules::rule_catalog()) {
    EXPECT_FALSE(r.checks.empty()) << r.id << " does not say what it checks";
    std::string severity(rules::to_string(r.severity));
    if (r.id == "http-port-mismatch") severity = "blocker / warning";  // its severity depends on the case
    actual[std::string(r.id)] = {severity, std::string(r.reference)};
  }
  EXPECT_EQ(documented, actual);
}

TEST(Catalog, EveryReferenceIsASectionTitleOfTheChecklist) {
  std::ifstream in(SMSUP_SHARED_DIR "/seed/000_45f6a120af3282bb.txt");
  ASSERT_TRUE(in);
  std::set<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    // The checklist uses no-break spaces in some titles.
    for (size_t at = line.find("\xC2\xA0"); at != std::string::npos; at = line.find("\xC2\xA0", at)) {
      line.replace(at, 2, " ");
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    lines.insert(line);
  }
  for (const auto& r : rules::rule_catalog()) {
    EXPECT_TRUE(lines.count(std::string(r.reference))) << r.id << ": " << r.reference;
  }
}

TEST(Catalog, SeveritiesRoundTrip) {
  for (auto s : {rules::Gravity::blocker, rules::Gravity::action, rules::Gravity::warning, rules::Gravity::info}) {
    EXPECT_EQ(rules::parse_gravity(rules::to_string(s)), s);
  }
  EXPECT_FALSE(rules::parse_gravity("fatal"));
}
