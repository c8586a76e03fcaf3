// Windows Server 2003 SP1 on site systems: the DCOM, 997 and 1603 problems.
#include <gtest/gtest.h>

#include "fixture.h"

namespace smsup::twin::test {
namespace {

uint32_t problems(const Twin& t, std::string_view host) {
  for (const auto& h : t.hosts()) {
    if (h.host == host) return h.problems;
  }
  return 0;
}

bool has(uint32_t bits, HostProblem p) { return (bits & static_cast<uint32_t>(p)) != 0; }

TEST(HostsTest, Sp1WithoutDcomFixesBreaksSlpLookupsAndReports) {
  Hierarchy h = small_hierarchy();
  system(h, "PR101").roles |=
      static_cast<uint32_t>(Role::server_locator_point) | static_cast<uint32_t>(Role::reporting_point);
  MemoryLogSink logs;
  Twin t = Twin::from(h, 1, {});
  t.set_log_sink(&logs);
  EXPECT_EQ(problems(t, "PR101"), 0u) << "no problem before SP1";
  EXPECT_TRUE(t.run_step(step("PR1", "os-sp1", {}, "PR101")).ok);
  auto p = problems(t, "PR101");
  EXPECT_TRUE(has(p, HostProblem::slp_dcom));
  EXPECT_TRUE(has(p, HostProblem::rp_dcom));
  EXPECT_TRUE(has(p, HostProblem::admins_dcom));
  EXPECT_TRUE(any_line(logs, "PR101/C/SMS/Logs/slp.log", "IUSR_PR101"));
  EXPECT_TRUE(any_line(logs, "PR101/C/SMS/Logs/rp.log", "SMS Reporting Users"));
  t.run_step(step("PR1", "dcom-slp", {}, "PR101"));
  t.run_step(step("PR1", "dcom-rp", {}, "PR101"));
  t.run_step(step("PR1", "dcom-sms-admins", {}, "PR101"));
  EXPECT_EQ(problems(t, "PR101"), 0u);
}

TEST(HostsTest, RemoteMpUnderComputerAccountShows997UntilBothOnSp1AndFixed) {
  Hierarchy h = small_hierarchy();
  MemoryLogSink logs;
  Twin t = Twin::from(h, 1, {});
  t.set_log_sink(&logs);
  t.run_step(step("PR1", "os-sp1", {}, "PR1MP"));
  EXPECT_TRUE(has(problems(t, "PR1MP"), HostProblem::remote_mp_997));
  EXPECT_TRUE(any_line(logs, log_path(h, "PR1", "sitecomp.log"), "error 997"));
  t.run_step(step("PR1", "os-sp1", {}, "PR101"));
  EXPECT_TRUE(has(problems(t, "PR1MP"), HostProblem::remote_mp_997)) << "still there without the fix";
  t.run_step(step("PR1", "remote-mp-997", {}, "PR1MP"));
  EXPECT_FALSE(has(problems(t, "PR1MP"), HostProblem::remote_mp_997));
}

TEST(HostsTest, RemoteMpMovedInOneGroupWithItsServerHasNo997) {
  Hierarchy h = small_hierarchy();
  Twin t = Twin::from(h, 1, {});
  auto server = step("PR1", "os-sp1", {}, "PR101");
  auto mp = step("PR1", "os-sp1", {}, "PR1MP");
  mp.params = {{"group", server.id}};
  t.run_step(server);
  t.run_step(mp);
  EXPECT_FALSE(has(problems(t, "PR1MP"), HostProblem::remote_mp_997));
}

TEST(HostsTest, RemoteMpUnderServiceAccountHasNo997) {
  Hierarchy h = small_hierarchy();
  system(h, "PR1MP").service_account = true;
  Twin t = Twin::from(h, 1, {});
  t.run_step(step("PR1", "os-sp1", {}, "PR1MP"));
  EXPECT_FALSE(has(problems(t, "PR1MP"), HostProblem::remote_mp_997));
}

TEST(HostsTest, MpInstalledAfterAClientFailsWith1603UntilReinstalled) {
  Hierarchy h = small_hierarchy();
  system(h, "CEN01").sms_client_installed = true;
  MemoryLogSink logs;
  Twin t = Twin::from(h, 1, {});
  t.set_log_sink(&logs);
  run_all(t, {step("CEN", "upgrade"), step("CEN", "settle"), step("CEN", "verify")});
  EXPECT_TRUE(has(problems(t, "CEN01"), HostProblem::mp_1603));
  EXPECT_TRUE(any_line(logs, "CEN01/C/SMS/Logs/mpsetup.log", "1603"));
  EXPECT_TRUE(t.run_step(step("CEN", "mp-reinstall", {}, "CEN01")).ok);
  EXPECT_FALSE(has(problems(t, "CEN01"), HostProblem::mp_1603));
}

TEST(HostsTest, MpReinstallBeforeTheUpgradeAvoids1603) {
  Hierarchy h = small_hierarchy();
  system(h, "CEN01").sms_client_installed = true;
  Twin t = Twin::from(h, 1, {});
  run_all(t, {step("CEN", "mp-reinstall", {}, "CEN01"), step("CEN", "upgrade"), step("CEN", "settle")});
  EXPECT_FALSE(has(problems(t, "CEN01"), HostProblem::mp_1603));
}

TEST(HostsTest, Sp1DoesNotInstallOnWindows2000) {
  Hierarchy h = small_hierarchy();
  Twin t = Twin::from(h, 1, {});
  auto r = t.run_step(step("SEC", "os-sp1", {}, "SEC01"));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("Windows 2000"), std::string::npos);
}

}  // namespace
}  // namespace smsup::twin::test

namespace smsup::twin::test {
namespace {

// The console ADM01 of CEN on Windows Server 2003 SP1 with Windows Firewall on
// and these exceptions.
Hierarchy firewalled_console(uint32_t exceptions) {
  Hierarchy h = small_hierarchy();
  Console& c = site(h, "CEN").consoles.at(0);
  c.os = {WinFamily::w2003, 1};
  c.unknown = 0;
  c.firewall = true;
  c.firewall_exceptions = exceptions;
  return h;
}

TEST(HostsTest, AFirewalledConsoleWithoutUnsecappOrTcp135CannotConnectUntilTheStep) {
  Hierarchy h = firewalled_console(static_cast<uint32_t>(FirewallException::statview) |
                                   static_cast<uint32_t>(FirewallException::unsecapp));
  MemoryLogSink logs;
  Twin t = Twin::from(h, 1, {});
  t.set_log_sink(&logs);
  std::string what;
  EXPECT_FALSE(t.connect_console("ADM01", "CEN", what));
  EXPECT_NE(what.find("blocks TCP 135"), std::string::npos) << what;
  EXPECT_FALSE(t.run_query("ADM01", "CEN", what)) << "a query needs a connection";
  EXPECT_TRUE(any_line(logs, log_path(h, "CEN", "smsprov.log"), "unsecapp"));
  // The state survives a save and a load.
  Twin again = Twin::from_json(t.to_json(), "t.json");
  EXPECT_FALSE(again.connect_console("ADM01", "CEN", what)) << what;
  auto r = t.run_step(step("CEN", "firewall-exceptions", {}, "ADM01"));
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_TRUE(t.connect_console("ADM01", "CEN", what)) << what;
  EXPECT_TRUE(t.run_query("ADM01", "CEN", what)) << what;
}

TEST(HostsTest, AFirewalledConsoleWithoutStatviewConnectsButItsQueriesFail) {
  Hierarchy h = firewalled_console(static_cast<uint32_t>(FirewallException::unsecapp) |
                                   static_cast<uint32_t>(FirewallException::tcp_135));
  Twin t = Twin::from(h, 1, {});
  std::string what;
  EXPECT_TRUE(t.connect_console("ADM01", "CEN", what)) << what;
  EXPECT_FALSE(t.run_query("ADM01", "CEN", what));
  EXPECT_NE(what.find("statview.exe"), std::string::npos) << what;
  EXPECT_TRUE(t.run_step(step("CEN", "firewall-exceptions", {}, "ADM01")).ok);
  EXPECT_TRUE(t.run_query("ADM01", "CEN", what)) << what;
  // Off, not on SP1, or unknown: nothing is blocked.
  for (auto change : {+[](Console& c) { c.firewall = false; }, +[](Console& c) { c.os.sp = 0; },
                      +[](Console& c) { c.unknown = static_cast<uint8_t>(ConsoleFact::firewall); }}) {
    Hierarchy g = firewalled_console(0);
    change(site(g, "CEN").consoles.at(0));
    Twin u = Twin::from(g, 1, {});
    EXPECT_TRUE(u.connect_console("ADM01", "CEN", what)) << what;
    EXPECT_TRUE(u.run_query("ADM01", "CEN", what)) << what;
  }
}

}  // namespace
}  // namespace smsup::twin::test
