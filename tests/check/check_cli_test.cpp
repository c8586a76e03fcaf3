// `smsup check` as users run it: the real binary, real files, exit statuses.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "support.h"

namespace fs = std::filesystem;

namespace {

using smsup::test::read_file;
using Run = smsup::test::Ran;

Run run_cli(const std::vector<std::string>& args) { return smsup::test::run_smsup(args); }

std::string data(const char* name) { return std::string(CHECK_DATA) + "/" + name; }

fs::path scratch(const char* name) { return smsup::test::test_dir() / name; }

// How many findings of a `check --format json` report have `key` == `value`.
int findings_with(const std::string& report, const char* key, const char* value) {
  int n = 0;
  auto j = nlohmann::json::parse(report);
  for (const auto& f : j["findings"]) n += f[key] == value;
  return n;
}

}  // namespace

TEST(CheckCli, JsonReportParsesAndFollowsTheSpecForm) {
  auto r = run_cli({"check", data("fabrikam.yaml"), "--as-of", "2006-06-15", "--format", "json"});
  EXPECT_EQ(r.status, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "smsup-check/1");
  EXPECT_EQ(j["hierarchy"], "Fabrikam");
  EXPECT_EQ(j["ready"], false);
  int total = 0;
  for (const char* s : {"blocker", "action", "warning", "info"}) total += j["summary"][s].get<int>();
  ASSERT_EQ(static_cast<size_t>(total), j["findings"].size());
  EXPECT_EQ(j["summary"]["blocker"], 4);
  for (const auto& f : j["findings"]) {
    for (const char* key : {"rule", "severity", "site", "object", "message", "remedy", "reference"}) {
      EXPECT_TRUE(f.contains(key) && f[key].is_string()) << key << " in " << f.dump();
    }
  }
  bool found = false;
  for (const auto& f : j["findings"]) {
    if (f["rule"] == "sql-version") {
      found = true;
      EXPECT_EQ(f["site"], "NOR");
      EXPECT_EQ(f["object"], "NOR01");
      EXPECT_EQ(f["reference"], "Ensure Your Site Meets All Support Prerequisites");
    }
  }
  EXPECT_TRUE(found);
}

TEST(CheckCli, TextReportLeadsWithTheVerdictAndBlockers) {
  auto r = run_cli({"check", data("fabrikam.yaml"), "--as-of", "2006-06-15"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out.rfind("Fabrikam: NOT READY", 0), 0u) << r.out.substr(0, 200);
  EXPECT_NE(r.out.find("4 blockers"), std::string::npos);
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour when not on a terminal";
  // Within site NOR the blockers come before the actions.
  auto nor = r.out.find("\nNOR ");
  ASSERT_NE(nor, std::string::npos);
  EXPECT_LT(r.out.find("\n  BLOCKER ", nor), r.out.find("\n  action ", nor));
  EXPECT_NE(r.out.find("2 clients: WS002, WS003"), std::string::npos);
}

TEST(CheckCli, ReadyInventoryExitsZero) {
  // Without the NOR branch and its clients, Fabrikam's central site has no blocker.
  std::string yaml = read_file(fs::path(CHECK_DATA) / "fabrikam.yaml");
  yaml = yaml.substr(0, yaml.find("  - code: NOR"));
  yaml.replace(yaml.find("clients: fabrikam-clients.csv\n"), 30, "");
  auto path = scratch("ready.yaml");
  smsup::test::write_file(path, yaml);
  auto r = run_cli({"check", path.string(), "--as-of", "2006-06-15", "--format", "json"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["ready"], true);
}

TEST(CheckCli, BackupAgeFollowsAsOf) {
  auto old = run_cli({"check", data("fabrikam.yaml"), "--as-of", "2006-06-15", "--format", "json"});
  auto later = run_cli({"check", data("fabrikam.yaml"), "--as-of", "2006-07-15", "--format", "json"});
  EXPECT_EQ(findings_with(old.out, "rule", "backup-stale"), 1);
  EXPECT_EQ(findings_with(later.out, "rule", "backup-stale"), 3);
}

TEST(CheckCli, WithOsSp1AddsTheSp1RulesForHostsThePlanMoves) {
  auto without = run_cli({"check", data("fabrikam.yaml"), "--as-of", "2006-06-15", "--format", "json"});
  auto with = run_cli({"check", data("fabrikam.yaml"), "--as-of", "2006-06-15", "--format", "json", "--with-os-sp1"});
  EXPECT_EQ(findings_with(without.out, "object", "NS101"), 0);
  EXPECT_GT(findings_with(with.out, "object", "NS101"), 0);  // NS101 runs Windows Server 2003 without SP1
}

TEST(CheckCli, OutputFileGetsTheReport) {
  auto path = scratch("report.xml");
  auto r = run_cli({"check", data("fabrikam.yaml"), "--as-of", "2006-06-15", "--format", "junit", "-o", path.string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_TRUE(r.out.empty());
  std::string xml = read_file(path);
  EXPECT_NE(xml.find("<testsuites name=\"smsup check Fabrikam\" tests=\"24\" failures=\"4\">"), std::string::npos)
      << xml.substr(0, 300);
  EXPECT_NE(xml.find("<testcase classname=\"NOR.sql-version\" name=\"NOR01\">"), std::string::npos);
  EXPECT_FALSE(fs::exists(path.string() + ".tmp"));
}

TEST(CheckCli, UnknownKeyIsRefusedWithItsPlace) {
  auto r = run_cli({"check", data("typo.yaml")});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("typo.yaml:16:9"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("sites[0].systems[0].rolez"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown key; did you mean 'roles'?"), std::string::npos) << r.err;
}

TEST(CheckCli, HelpDescribesTheOptions) {
  auto r = run_cli({"check", "--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* opt : {"--format", "--as-of", "--with-os-sp1", "-o"}) {
    EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
  }
}

// A required option left out is named by every spelling the user can type
// (the README writes -o, CLI11 alone says --out), with the verb's --help.
TEST(Cli, AMissingRequiredOptionIsNamedAsTheUserTypesIt) {
  auto plan = run_cli({"plan", data("fabrikam.yaml")});
  EXPECT_EQ(plan.status, 2);
  EXPECT_TRUE(plan.out.empty());
  EXPECT_EQ(plan.err, "smsup: -o/--out is required; see smsup plan --help\n");
  auto collect = run_cli({"inventory", "collect", "--central", "sqlite:x"});
  EXPECT_EQ(collect.status, 2);
  EXPECT_EQ(collect.err, "smsup: -o/--out is required; see smsup inventory collect --help\n");
  // An option with one spelling keeps it.
  auto central = run_cli({"inventory", "collect", "-o", "x"});
  EXPECT_EQ(central.err, "smsup: --central is required; see smsup inventory collect --help\n");
}

TEST(Cli, AMistypedOptionIsNamedWithTheNearestOneTheVerbHas) {
  auto waive = run_cli({"plan", data("fabrikam.yaml"), "-o", "plan.json", "--waiv", "backup-stale"});
  EXPECT_EQ(waive.status, 2);
  EXPECT_TRUE(waive.out.empty());
  EXPECT_EQ(waive.err, "smsup: '--waiv' is not an option of plan; did you mean '--waive'?\n");
  auto format = run_cli({"check", data("fabrikam.yaml"), "--fromat", "json"});
  EXPECT_EQ(format.err, "smsup: '--fromat' is not an option of check; did you mean '--format'?\n");
  // A mistyped option that was meant to give a required one is named, not
  // the required one as missing.
  auto out = run_cli({"plan", data("fabrikam.yaml"), "--ot=plan.json"});
  EXPECT_EQ(out.status, 2);
  EXPECT_EQ(out.err, "smsup: '--ot' is not an option of plan; did you mean '--out'?\n");
  // Options of a verb of a verb, and one nothing is near.
  auto grep = run_cli({"logs", "grep", "--xyzzy-frobnicate", "x"});
  EXPECT_EQ(grep.status, 2);
  EXPECT_EQ(grep.err, "smsup: '--xyzzy-frobnicate' is not an option of logs grep; see smsup logs grep --help\n");
}

// Not `check` only: any verb typed wrong. Here because this binary runs smsup
// and nothing else.
TEST(Cli, AMistypedVerbNamesTheNearestOneAndExitsTwo) {
  auto r = run_cli({"chekc", data("fabrikam.yaml")});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("'chekc' is not a verb; did you mean 'check'?"), std::string::npos) << r.err;
  auto sub = run_cli({"logs", "gerp", "x", data("fabrikam.yaml")});
  EXPECT_EQ(sub.status, 2);
  EXPECT_NE(sub.err.find("'logs gerp' is not a verb; did you mean 'grep'?"), std::string::npos) << sub.err;
  auto far = run_cli({"frobnicate"});
  EXPECT_EQ(far.status, 2);
  EXPECT_EQ(far.err.find("did you mean"), std::string::npos) << far.err;
  EXPECT_NE(far.err.find("smsup --help"), std::string::npos) << far.err;
  // A positional argument that happens to look like a verb is left alone.
  EXPECT_EQ(run_cli({"verify", "plan", "--logs", "/nonexistent"}).err.find("is not a verb"), std::string::npos);
}
