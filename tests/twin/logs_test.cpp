// The log reader verifies the twin's logs exactly as it would a real site's:
// a completed upgrade is verified, a failed one is not.
#include <gtest/gtest.h>

#include <filesystem>

#include "fixture.h"
#include "support.h"
#include "twin/file_sink.h"

#include "logs/verify.h"

namespace smsup::twin::test {
namespace {

namespace fs = std::filesystem;

fs::path twin_logs(const Faults& faults, const std::string& name) {
  fs::path dir = ::smsup::test::fresh_dir(name);
  Hierarchy h = small_hierarchy();
  site(h, "PR1").install_dir = "D:\\SMS";
  FileLogSink sink(dir);
  Twin t = Twin::from(h, 1, faults);
  t.set_log_sink(&sink);
  for (const auto& s : straight_plan(h).steps) t.run_step(s);
  t.advance_to(t.now() + kDay);
  sink.flush();
  return dir;
}

TEST(TwinLogsTest, LogReaderVerifiesEveryUpgradedSite) {
  auto dir = twin_logs({}, "ok");
  for (const char* host : {"CEN01", "SEC01"}) {
    auto r = logs::verify_site(dir / host / "C", "C:\\SMS");
    EXPECT_TRUE(r.verified) << host << ": " << (r.notes.empty() ? "" : r.notes.front());
  }
  auto pr1 = logs::verify_site(dir / "PR101" / "C", "D:\\SMS");
  EXPECT_TRUE(pr1.verified) << (pr1.notes.empty() ? "" : pr1.notes.front());
}

TEST(TwinLogsTest, LogReaderDoesNotVerifyAFailedUpgrade) {
  auto dir = twin_logs(parse_faults("upgrade@PR1=fail"), "fail");
  EXPECT_TRUE(logs::verify_site(dir / "CEN01" / "C", "C:\\SMS").verified);
  EXPECT_FALSE(logs::verify_site(dir / "PR101" / "C", "D:\\SMS").verified);
}

// Problems the site systems have when the twin starts (from the inventory: a
// host already on Windows Server 2003 SP1 without the SMS Admins DCOM fix, a
// remote management point under the computer account with error 997) are in
// the logs where an operator looks, before any step ran: `smsup logs grep`
// finds them there.
TEST(TwinLogsTest, ProblemsPresentAtTheStartAreInTheLogs) {
  fs::path dir = ::smsup::test::fresh_dir("start-problems");
  Hierarchy h = small_hierarchy();
  system(h, "PR101").os.sp = 1;
  system(h, "PR1MP").os.sp = 1;
  FileLogSink sink(dir);
  Twin t = Twin::from(h, 1, {});
  t.set_log_sink(&sink);
  uint32_t open = 0;
  for (const auto& x : t.hosts()) open |= x.problems;
  ASSERT_TRUE(open & static_cast<uint32_t>(HostProblem::admins_dcom));
  ASSERT_TRUE(open & static_cast<uint32_t>(HostProblem::remote_mp_997));
  t.advance_to(kMinute);
  sink.flush();
  std::string prov = (dir / "PR101/C/SMS/Logs/smsprov.log").string();
  std::string sitecomp = (dir / log_path(h, "PR1", "sitecomp.log")).string();
  auto dcom = ::smsup::test::run_smsup({"logs", "grep", "Remote Activation denied for SMS Admins", prov});
  EXPECT_EQ(dcom.status, 0) << dcom.out << dcom.err;
  EXPECT_TRUE(::smsup::test::has(dcom.out, "SMS Provider")) << dcom.out;
  auto e997 = ::smsup::test::run_smsup({"logs", "grep", "error 997", sitecomp});
  EXPECT_EQ(e997.status, 0) << e997.out << e997.err;
  EXPECT_TRUE(::smsup::test::has(e997.out, "PR1MP")) << e997.out;
  // CEN01 has its fixes: nothing of the kind in its logs.
  EXPECT_FALSE(fs::exists(dir / "CEN01/C/SMS/Logs/smsprov.log"));
}

}  // namespace
}  // namespace smsup::twin::test
