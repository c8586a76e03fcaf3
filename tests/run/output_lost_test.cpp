// Results that never arrive are not a success: when standard output cannot
// be written (a full disk: /dev/full), every verb ends with exit status 2
// and says so on standard error, and a verb that would go on for ever (a
// watch, a follow) ends at its first write instead of working for nobody.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support.h"

namespace smsup {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFull = "/dev/full";
constexpr const char* kSaid = "smsup: could not write the output: No space left on device (standard output)";

std::string example(const std::string& name) { return std::string(SMSUP_SOURCE_DIR) + "/examples/" + name; }

// Two entries in the SMS trace format.
void write_log(const fs::path& p) {
  std::ofstream(p)
      << "Starting the upgrade~  $$<SMS_SITE_COMPONENT_MANAGER><06-05-2006 16:40:00.000+240><thread=1 (0x1)>\n"
      << "Upgrade done~  $$<SMS_SITE_COMPONENT_MANAGER><06-05-2006 16:41:00.000+240><thread=1 (0x1)>\n";
}

class OutputLost : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::is_character_file(kFull))
        << "this test needs " << kFull << " (the Linux device whose every write fails with ENOSPC)";
  }
  test::TempDir t;
};

TEST_F(OutputLost, EveryKindOfVerbEndsWithStatusTwoAndSaysSo) {
  std::string inv = example("fabrikam/fabrikam.yaml");
  auto plan = test::run_smsup({"plan", inv, "-o", t / "p.json"});
  ASSERT_EQ(plan.status, 0) << plan.err;
  write_log(t / "a.log");
  auto applied = test::run_smsup({"apply", t / "p.json", "--journal", t / "j.db"});
  ASSERT_NE(applied.status, 2) << applied.err;
  const std::vector<std::vector<std::string>> commands = {
      {"--help"},
      {"--version"},
      {"logs", "tail", "--help"},
      {"check", inv, "--as-of", "2006-06-15"},
      {"check", inv, "--as-of", "2006-06-15", "--format", "json"},
      {"show", t / "p.json"},
      {"show", t / "p.json", "--format", "dot"},
      {"status", "--journal", t / "j.db"},
      {"logs", "tail", t / "a.log"},
      {"logs", "grep", "Upgrade", t / "a.log"},
      {"inventory", "schema"},
  };
  for (const auto& args : commands) {
    std::string shown;
    for (const auto& a : args) shown += " " + a;
    // To a regular file the command succeeds (or says "not fine"), so the 2 below is the lost output's.
    auto fine = test::run_smsup_out_to(args, t / "out.txt");
    ASSERT_NE(fine.status, 2) << "smsup" << shown << ": " << fine.err;
    ASSERT_FALSE(test::read_file(t / "out.txt").empty()) << "smsup" << shown << " printed nothing";
    auto full = test::run_smsup_out_to(args, kFull);
    EXPECT_EQ(full.status, 2) << "smsup" << shown << ": " << full.err;
    EXPECT_NE(full.err.find(kSaid), std::string::npos) << "smsup" << shown << ": " << full.err;
  }
}

TEST_F(OutputLost, AFollowEndsAtItsFirstWriteInsteadOfFollowingForNobody) {
  write_log(t / "a.log");
  auto r = test::run_smsup_out_to({"logs", "tail", "-f", "--for", "1h", t / "a.log"}, kFull, std::chrono::seconds(60));
  EXPECT_EQ(r.status, 2) << "killed after 60 s means it followed on: " << r.err;
  EXPECT_NE(r.err.find(kSaid), std::string::npos) << r.err;
}

}  // namespace
}  // namespace smsup
