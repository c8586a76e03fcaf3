// Values on the command line get smsup's own messages (which option, what
// was given, what it takes) and are the values used: a seed of -1 or past
// 2^64 is refused, not wrapped or clamped; a hierarchy name is a name, never
// YAML.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support.h"

namespace smsup {
namespace {

TEST(CommandLine, ASeedThatIsNotAnUnsignedNumberIsRefusedNotWrapped) {
  test::TempDir t;
  for (std::string seed : {"-1", "99999999999999999999999", "1e3", ""}) {
    auto r = test::run_smsup({"twin", "inventory", "-o", t / "i", "--seed", seed});
    EXPECT_EQ(r.status, 2) << seed << ": " << r.out;
    EXPECT_EQ(r.err, "smsup: --seed: '" + seed +
                         "' is not a whole number from 0 to 18446744073709551615; see smsup twin inventory --help\n")
        << seed;
  }
  for (std::vector<std::string> verb : {std::vector<std::string>{"rehearse", "p.json"},
                                        {"twin", "db", "-o", "x.db"},
                                        {"clients", "inv.yaml"},
                                        {"apply", "p.json"},
                                        {"twin", "make", "inv.yaml"}}) {
    verb.insert(verb.end(), {"--seed", "-1"});
    auto r = test::run_smsup(verb);
    EXPECT_EQ(r.status, 2) << verb[0];
    EXPECT_NE(r.err.find("smsup: --seed: '-1' is not a whole number"), std::string::npos) << verb[0] << ": " << r.err;
  }
  auto max = test::run_smsup({"twin", "inventory", "-o", t / "i", "--seed", "18446744073709551615"});
  EXPECT_EQ(max.status, 0) << max.err;
  EXPECT_NE(test::read_file(t.path / "i" / "inventory.yaml").find("--seed 18446744073709551615"), std::string::npos);
}

TEST(CommandLine, ANumberCLI11CannotReadIsSaidWithTheOptionsOwnHelp) {
  auto r = test::run_smsup({"twin", "inventory", "-o", "x", "--sites", "99999999999999999999"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err,
            "smsup: --sites: '99999999999999999999' is not a value it takes (Number of sites, 1 to 46000 (about a "
            "third primary)); see smsup twin inventory --help\n");
  auto lines = test::run_smsup({"logs", "tail", "a.log", "-n", "abc"});
  EXPECT_EQ(lines.status, 2);
  EXPECT_EQ(lines.err.rfind("smsup: --lines: 'abc' is not a value it takes (Entries to show first)", 0), 0u)
      << lines.err;
}

TEST(CommandLine, AHierarchyNameIsWrittenAsANameWhateverItHolds) {
  test::TempDir t;
  std::string name = "Contoso: \"East\" #1 \\ [a, b] {c}";
  auto r = test::run_smsup({"twin", "inventory", "-o", t / "i", "--name", name, "--sites", "3", "--clients", "5"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto checked = test::run_smsup({"check", (t.path / "i" / "inventory.yaml").string(), "--format", "json"});
  ASSERT_NE(checked.status, 2) << checked.err;
  EXPECT_EQ(nlohmann::json::parse(checked.out)["hierarchy"], name);
  for (std::string bad : {"", "a\nb: c", "tab\there"}) {
    auto refused = test::run_smsup({"twin", "inventory", "-o", t / "j", "--name", bad});
    EXPECT_EQ(refused.status, 2) << bad;
    EXPECT_NE(refused.err.find("--name: "), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("expected one line of text"), std::string::npos) << refused.err;
  }
}

}  // namespace
}  // namespace smsup
