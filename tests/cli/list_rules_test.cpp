// `smsup check --list-rules`: the rule catalogue without an inventory, every
// rule of the rules' own tables once, in text and JSON.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "cli/check.h"
#include "rules/finding.h"

namespace smsup::cli {
namespace {

TEST(ListRules, JsonHoldsEveryRuleOfTheTablesWithItsSeverityAndSection) {
  std::ostringstream out, err;
  Output o{out, err};
  ASSERT_EQ(run_check({.format = "json", .list_rules = true}, o), 0);
  auto j = nlohmann::json::parse(out.str());
  auto catalog = rules::rule_catalog();
  ASSERT_EQ(j["rules"].size(), catalog.size());
  for (size_t i = 0; i < catalog.size(); ++i) {
    EXPECT_EQ(j["rules"][i]["id"], std::string(catalog[i].id));
    EXPECT_EQ(j["rules"][i]["severity"], std::string(rules::to_string(catalog[i].severity)));
    EXPECT_EQ(j["rules"][i]["reference"], std::string(catalog[i].reference));
    EXPECT_EQ(j["rules"][i]["checks"], std::string(catalog[i].checks));
    EXPECT_FALSE(catalog[i].checks.empty()) << catalog[i].id;
  }
  EXPECT_EQ(j["rules"][0]["id"], "sms-version-path");
  EXPECT_EQ(j["rules"][0]["severity"], "blocker");
}

TEST(ListRules, TextHasALinePerRuleSayingWhatItChecks) {
  std::ostringstream out, err;
  Output o{out, err};
  ASSERT_EQ(run_check({.list_rules = true}, o), 0);
  for (const auto& r : rules::rule_catalog()) {
    EXPECT_NE(out.str().find("\n" + std::string(r.id) + " "), std::string::npos) << r.id;
    EXPECT_NE(out.str().find(std::string(r.checks) + "\n"), std::string::npos) << r.id;
  }
  EXPECT_NE(out.str().find("db-disk-space                    blocker  site         "
                           "the database's free disk is below its upgrade growth\n"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("WHAT IT CHECKS"), std::string::npos);
  EXPECT_NE(out.str().find("[Test the Database Upgrade Process]"), std::string::npos);
}

}  // namespace
}  // namespace smsup::cli
