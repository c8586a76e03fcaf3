// `smsup demo` end to end: the whole path on the bundled example, as
// `make demo` runs it.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

namespace {

struct Run {
  int status = -1;
  std::string out;
};

Run run(const std::string& cmd) {
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

}  // namespace

TEST(Demo, WholePathOnTheExampleEndsUpgradedAndVerified) {
  namespace fs = std::filesystem;
  auto out = fs::temp_directory_path() / ("smsup-demo-test-" + std::to_string(getpid()));
  fs::remove_all(out);
  auto r = run(std::string(SMSUP_BINARY) + " demo --example " + SMSUP_SOURCE_DIR +
               "/examples/contoso/contoso.yaml --out " + out.string() + " 2>&1");
  EXPECT_EQ(r.status, 0) << r.out;
  for (const char* stage : {"check", "plan", "dbtest", "rehearse", "apply", "verify"}) {
    EXPECT_NE(r.out.find(std::string("==== smsup demo: ") + stage), std::string::npos) << stage;
  }
  EXPECT_EQ(r.out.find("did not go as expected"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("NOT READY"), std::string::npos);         // the example's blocker
  EXPECT_NE(r.out.find("All steps succeeded"), std::string::npos);  // apply on the twin
  EXPECT_NE(r.out.find("10 of 10 sites verified"), std::string::npos);
  for (const char* f : {"check.json", "check.txt", "plan.json", "runbook.md", "apply-journal.db"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
  }
  fs::remove_all(out);
}

TEST(Demo, MissingExampleIsRefusedWithExitTwo) {
  auto r = run(std::string(SMSUP_BINARY) + " demo --example /nonexistent/inv.yaml --out /tmp/x 2>&1");
  EXPECT_EQ(r.status, 2) << r.out;
}
