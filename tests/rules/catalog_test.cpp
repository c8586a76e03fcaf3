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
  for (auto s : {rules::Gravity::blocker, rules::Gravity::action, rules::Gravity::warning,
                 rules::Gravity::info}) {
    EXPECT_EQ(rules::parse_gravity(rules::to_string(s)), s);
  }
  EXPECT_FALSE(rules::parse_gravity("fatal"));
}
