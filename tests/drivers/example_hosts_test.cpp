// examples/hosts/hosts.yaml, the HOSTS.yaml for real Windows Server 2003
// site servers: every command line of it is checked by `apply --dry-run` and
// `hosts check` against a plan of the example inventory. The Windows hosts
// are absent: impacket-wmiexec, bsqldb and smsup are stubs that shadow them
// in PATH (they record their arguments and exit 0).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include "support.h"

using namespace smsup;

namespace {

const std::string kSource = SMSUP_SOURCE_DIR;

void stub(const std::filesystem::path& dir, const std::string& name) {
  test::write_file(dir / name, "#!/bin/sh\necho \"$0 $*\" >> \"$(dirname \"$0\")/calls.log\"\nexit 0\n");
  ::chmod((dir / name).c_str(), 0755);
}

// PATH for the processes this test starts (the helpers of support.h add
// variables after this process's own, and the first of a name wins).
struct PathFor {
  std::string old;
  explicit PathFor(const std::string& path) : old(std::getenv("PATH") ? std::getenv("PATH") : "") {
    ::setenv("PATH", path.c_str(), 1);
  }
  ~PathFor() { ::setenv("PATH", old.c_str(), 1); }
};

}  // namespace

TEST(ExampleHosts, EveryCommandOfTheWindowsExampleFillsAndItsProgramsAreLookedUpInPath) {
  test::TempDir t;
  auto planned = test::run_smsup({"plan", kSource + "/examples/contoso/contoso.yaml", "-o", t / "plan.json", "--as-of",
                                  "2006-06-12", "--waive", "drw-required"});
  ASSERT_EQ(planned.status, 0) << planned.out << planned.err;
  std::string hosts = kSource + "/examples/hosts/hosts.yaml";

  auto dry = test::run_smsup(
      {"apply", t / "plan.json", "--target", "shell", "--hosts", hosts, "--journal", t / "j.db", "--dry-run"});
  ASSERT_EQ(dry.status, 0) << dry.out << dry.err;
  EXPECT_NE(dry.out.find("impacket-wmiexec -k -no-pass CORP/smsadmin@SEA-SMS01"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("bsqldb -S SEA-SQL01 -D SMS_CEN"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("smb://CORP;smsadmin@SEA-SMS01/C$"), std::string::npos) << dry.out;

  // With the programs missing, hosts check names each of them.
  std::string path_without = (t.path / "empty").string();
  std::filesystem::create_directories(path_without);
  test::Ran missing;
  {
    PathFor p(path_without);
    missing = test::run_smsup({"hosts", "check", hosts, "--plan", t / "plan.json", "--format", "json"});
  }
  EXPECT_EQ(missing.status, 1) << missing.err;
  auto m = nlohmann::json::parse(missing.out);
  std::set<std::string> missing_programs;
  for (const auto& h : m["hosts"])
    for (const auto& r : h["rows"])
      if (!r["ok"].get<bool>() && r["check"].get<std::string>().rfind("program ", 0) == 0)
        missing_programs.insert(r["check"].get<std::string>().substr(8));
  EXPECT_EQ(missing_programs, (std::set<std::string>{"impacket-wmiexec", "bsqldb", "smsup"})) << missing.out;

  // Stubbed: programs and check: commands are fine; only the logs are out of
  // reach (no SMB credentials given here, and CHI's mounted folder is absent).
  std::filesystem::path bin = t.path / "bin";
  for (const char* p : {"impacket-wmiexec", "bsqldb", "smsup"}) stub(bin, p);
  test::Ran r;
  {
    PathFor p(bin.string() + ":/usr/bin:/bin");
    r = test::run_smsup({"hosts", "check", hosts, "--plan", t / "plan.json", "--format", "json"}, {"SMSUP_SMB_AUTH="});
  }
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  auto j = nlohmann::json::parse(r.out);
  int logs_rows = 0, checks = 0;
  for (const auto& h : j["hosts"]) {
    for (const auto& row : h["rows"]) {
      std::string what = row["check"];
      if (what.rfind("logs ", 0) == 0) {
        ++logs_rows;
        EXPECT_FALSE(row["ok"].get<bool>()) << what;
        continue;
      }
      EXPECT_TRUE(row["ok"].get<bool>()) << h["host"] << ": " << what << ": " << row["detail"];
      checks += what.rfind("check ", 0) == 0;
    }
  }
  EXPECT_GT(logs_rows, 0);
  EXPECT_GT(checks, 0);
  std::string calls = test::read_file(bin / "calls.log");
  EXPECT_NE(calls.find("cmd /c ver"), std::string::npos) << calls;
  EXPECT_NE(calls.find("-i /etc/smsup/sql/ping.sql"), std::string::npos) << calls;
  EXPECT_NE(r.out.find("/mnt/chi-sms01/C$ is not a folder"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SMSUP_SMB_AUTH"), std::string::npos) << r.out;
}
