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

}  // namespace
}  // namespace smsup::twin::test
