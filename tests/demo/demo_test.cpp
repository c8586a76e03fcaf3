// `smsup demo` end to end: the whole path on the bundled example, as
// `make demo` runs it.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "support.h"

TEST(Demo, WholePathOnTheExampleEndsUpgradedAndVerified) {
  namespace fs = std::filesystem;
  auto out = smsup::test::test_dir() / "demo-out";
  auto ran = smsup::test::run_smsup(
      {"demo", "--example", std::string(SMSUP_SOURCE_DIR) + "/examples/contoso/contoso.yaml", "--out", out.string()});
  // The demo tells its story on stdout and stderr alike: read them together.
  smsup::test::Ran r{ran.status, ran.out + ran.err, ""};
  EXPECT_EQ(r.status, 0) << r.out;
  for (const char* stage : {"check", "plan", "dbtest", "rehearse", "apply", "verify", "report"}) {
    EXPECT_NE(r.out.find(std::string("==== smsup demo: ") + stage), std::string::npos) << stage;
  }
  EXPECT_EQ(r.out.find("did not go as expected"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("NOT READY"), std::string::npos);            // the example's blocker
  EXPECT_NE(r.out.find("All steps succeeded"), std::string::npos);  // apply on the twin
  EXPECT_NE(r.out.find("10 of 10 sites verified"), std::string::npos);
  for (const char* f :
       {"check.json", "check.txt", "plan.json", "runbook.md", "apply-journal.db", "rehearsal.json", "report.html"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
  }
  // It ends with the command that serves the apply's journal live.
  EXPECT_NE(r.out.find("smsup serve --journal " + (out / "apply-journal.db").string()), std::string::npos) << r.out;
}
