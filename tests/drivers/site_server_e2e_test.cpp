// End to end against a stand-in site server: `smsup apply --target shell`
// runs the test helper as `Update.exe /quiet` would run on the site server;
// it writes SMSSetup.log and the component logs line by line in accelerated
// real time (31 virtual minutes in 2 s), its site services going on after it
// returns. The verify step must wait on those growing files with the real
// log reader, and the journal must say so.
#include <gtest/gtest.h>

#include <fstream>

#include "plan/plan.h"
#include "support.h"

using namespace smsup;

namespace {

plan::Step st(std::string id, std::string kind, std::vector<std::string> after) {
  plan::Step s;
  s.id = std::move(id);
  s.kind = std::move(kind);
  s.site = "CEN";
  s.host = "CEN01";
  s.after = std::move(after);
  s.params = {{"install_dir", "C:\\SMS"}, {"method", "update-quiet"}};
  s.title = s.id;
  return s;
}

void write_case(const test::TempDir& t, const std::string& server_args, const std::string& verify_timeout) {
  plan::Plan p;
  p.hierarchy = "Contoso";
  p.inventory_sha256 = "none";
  p.created = "2026-11-25T00:00:00Z";
  p.steps = {st("CEN/backup", "backup", {}), st("CEN/upgrade", "upgrade", {"CEN/backup"}),
             st("CEN/settle", "settle", {"CEN/upgrade"}), st("CEN/verify", "verify", {"CEN/settle"})};
  plan::save(p, t / "plan.json");
  // SMS 2003 is installed before its SP2 upgrade: its Logs folder is there
  // (the preflight of apply checks it), SMSSetup.log not yet.
  std::filesystem::create_directories(t / "mnt/CEN01/C$/SMS/Logs");
  std::ofstream(t / "hosts.yaml") << "format: smsup-hosts/1\n"
                                  << "logs: " << (t / "mnt") << "/{host}/C$\n"
                                  << "timeout: 30s\nkinds:\n"
                                  << "  backup:\n    command: [/bin/true]\n"
                                  << "  upgrade:\n    command: [" << SMSUP_TEST_HELPER << ", site-server, --root, '"
                                  << (t / "mnt") << "/{host}/C$', --install-dir, '{install_dir}'" << server_args
                                  << ", /quiet]\n"
                                  << "  settle:\n    wait: 200ms\n"
                                  << "  verify:\n    timeout: " << verify_timeout << "\n    poll: 100ms\n";
}

nlohmann::json step_of(const nlohmann::json& status, const std::string& id) {
  for (const auto& s : status["steps"]) {
    if (s["id"] == id) return s;
  }
  return {};
}

std::vector<std::string> apply(const test::TempDir& t) {
  return {"apply",          t / "plan.json", "--target", "shell",  "--hosts",
          t / "hosts.yaml", "--journal",     t / "j.db", "--plain"};
}

}  // namespace

TEST(SiteServerEndToEnd, VerifyWaitsForTheMilestonesOfGrowingLogs) {
  test::TempDir t;
  write_case(t, ", --wall-ms, '2000'", "20s");
  auto r = test::run_smsup(apply(t));
  ASSERT_EQ(r.status, 0) << r.out;
  auto status = nlohmann::json::parse(test::run_smsup({"status", "--journal", t / "j.db", "--format", "json"}).out);
  auto up = step_of(status, "CEN/upgrade");
  EXPECT_NE(up["output_tail"].get<std::string>().find("SMS Setup completed successfully"), std::string::npos) << up;
  auto verify = step_of(status, "CEN/verify");
  EXPECT_EQ(verify["state"], "succeeded");
  EXPECT_NE(verify["message"].get<std::string>().find("6 of 6 milestones"), std::string::npos) << verify;
  // Update.exe returned after a third of the span; the last milestone came
  // later: verify had to wait on the files as they grew.
  std::ifstream inbox(t / "mnt/CEN01/C$/SMS/Logs/inboxmgr.log");
  ASSERT_TRUE(inbox.good());
  EXPECT_GT(std::string(verify["finished"]), std::string(up["finished"]));
  // The plain progress shows verify running for a while, then succeeding.
  EXPECT_NE(r.out.find("succeeded CEN/verify"), std::string::npos) << r.out;
}

TEST(SiteServerEndToEnd, FailedSetupStopsSettleAndVerify) {
  test::TempDir t;
  write_case(t, ", --wall-ms, '600', --fail", "5s");
  auto r = test::run_smsup(apply(t));
  EXPECT_EQ(r.status, 1) << r.out;
  auto status = nlohmann::json::parse(test::run_smsup({"status", "--journal", t / "j.db", "--format", "json"}).out);
  EXPECT_EQ(step_of(status, "CEN/upgrade")["state"], "failed");
  EXPECT_NE(step_of(status, "CEN/upgrade")["output_tail"].get<std::string>().find("Error 1603"), std::string::npos);
  EXPECT_EQ(step_of(status, "CEN/verify")["state"], "skipped");
}

TEST(SiteServerEndToEnd, VerifyTimesOutNamingTheMissingMilestones) {
  test::TempDir t;
  write_case(t, ", --wall-ms, '600'", "1s");
  // The site never finishes: setup's log only, no component logs.
  std::ofstream(t / "hosts.yaml", std::ios::app);
  std::string hosts = test::read_file(t / "hosts.yaml");
  auto pos = hosts.find("site-server");
  hosts.replace(pos, std::string("site-server").size(), "exit, '0', 'pretending', --root");
  // (the helper's exit mode ignores the rest of the arguments)
  std::ofstream(t / "hosts.yaml", std::ios::trunc) << hosts;
  auto r = test::run_smsup(apply(t));
  EXPECT_EQ(r.status, 1) << r.out;
  auto status = nlohmann::json::parse(test::run_smsup({"status", "--journal", t / "j.db", "--format", "json"}).out);
  auto verify = step_of(status, "CEN/verify");
  EXPECT_EQ(verify["state"], "failed");
  EXPECT_NE(verify["message"].get<std::string>().find("missing"), std::string::npos) << verify;
}
