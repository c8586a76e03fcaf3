// Clients: CCIM auto-upgrade of Legacy Clients, pushes of Advanced Clients,
// rejected heartbeats, HTTP port changes; cohorts against the naive model.
#include <gtest/gtest.h>

#include "fixture.h"
#include "twin/campaign.h"

namespace smsup::twin::test {
namespace {

int64_t sp2(const Twin& t, int day) { return t.clients_by_day(day).back().by_version[3]; }

void upgrade(Twin& t, const std::string& c) { run_all(t, {step(c, "upgrade"), step(c, "settle"), step(c, "verify")}); }

TEST(ClientsTest, LegacyClientsUpgradeWithinOneCcimCycleOfTheirSite) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 500, ClientKind::legacy, WinFamily::win98, 0, SmsLevel::sp1, "L");
  Twin t = Twin::from(h, 1, {});
  upgrade(t, "CEN");
  VTime ready = t.sites()[0].ccim_ready_at;
  ASSERT_NE(ready, kNever);
  t.advance_to(ready + 1 * kHour);
  int64_t early = 0;
  for (const auto& c : t.cohorts()) early += c.upgraded;
  EXPECT_LT(early, 500) << "not all at once: each at its own cycle";
  t.advance_to(ready + 25 * kHour);
  int64_t all = 0;
  for (const auto& c : t.cohorts()) all += c.upgraded;
  EXPECT_EQ(all, 500);
}

TEST(ClientsTest, Sms20ClientsCycleEvery23Hours) {
  EXPECT_EQ(ccim_period_h(SmsLevel::sms20), 23);
  EXPECT_EQ(ccim_period_h(SmsLevel::sp1), 25);
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 300, ClientKind::legacy, WinFamily::nt4, 6, SmsLevel::sms20, "O");
  Twin t = Twin::from(h, 1, {});
  upgrade(t, "CEN");
  VTime ready = t.sites()[0].ccim_ready_at;
  t.advance_to(ready + 23 * kHour);
  int64_t all = 0;
  for (const auto& c : t.cohorts()) all += c.upgraded;
  EXPECT_EQ(all, 300);
}

TEST(ClientsTest, LegacyClientsNeverUpgradeWhenDisabledOrOnNt5) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 10, ClientKind::legacy, WinFamily::win98, 0, SmsLevel::sp1, "D", true);
  add_clients(h, "CEN", 10, ClientKind::legacy, WinFamily::xp, 2, SmsLevel::sp1, "X");
  Twin t = Twin::from(h, 1, {});
  upgrade(t, "CEN");
  t.advance_to(30 * kDay);
  EXPECT_EQ(sp2(t, 30), 0);
  std::string why;
  EXPECT_EQ(classify(h.clients[0], &why), ClientFate::autoupgrade_off);
  EXPECT_EQ(classify(h.clients[10], &why), ClientFate::to_advanced);
}

TEST(ClientsTest, LegacyClientsOnNt5MoveToTheAdvancedClient) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 40, ClientKind::legacy, WinFamily::w2000, 4, SmsLevel::sp1, "X");
  Twin t = Twin::from(h, 1, {});
  EXPECT_TRUE(t.run_step(step("CEN", "legacy-to-advanced")).ok);
  t.advance_to(t.now() + kDay);
  EXPECT_EQ(sp2(t, 2), 40);
}

TEST(ClientsTest, LegacyClientsWaitForTheirSiteToBeSp2) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 50, ClientKind::legacy, WinFamily::win98, 0, SmsLevel::sp1, "L");
  Twin t = Twin::from(h, 1, {});
  t.advance_to(5 * kDay);
  EXPECT_EQ(sp2(t, 5), 0);
  EXPECT_FALSE(t.run_step(step("CEN", "legacy-autoupgrade")).ok);
}

TEST(ClientsTest, AdvancedClientsUpgradeOnlyWhenPushedAndOnSupportedOs) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 100, ClientKind::advanced, WinFamily::xp, 1, SmsLevel::sp1, "A");
  add_clients(h, "CEN", 20, ClientKind::advanced, WinFamily::w2000, 3, SmsLevel::sp1, "B");
  add_clients(h, "CEN", 20, ClientKind::advanced, WinFamily::xp, 0, SmsLevel::sp1, "C");
  Twin t = Twin::from(h, 1, {});
  upgrade(t, "CEN");
  t.advance_to(t.now() + 3 * kDay);
  EXPECT_EQ(sp2(t, 4), 0) << "Advanced Clients do not upgrade by themselves";
  auto r = t.run_step(step("CEN", "advanced-push"));
  EXPECT_TRUE(r.ok);
  EXPECT_NE(r.message.find("40 on an OS below"), std::string::npos) << r.message;
  t.advance_to(t.now() + kDay);
  EXPECT_EQ(sp2(t, 6), 100);
}

// "SMS 2003 SP2 Advanced Clients will communicate successfully with an SMS
// 2003 site": the push may come before the site's upgrade (plan --clients-first).
TEST(ClientsTest, AdvancedClientsMayBePushedBeforeTheirSms2003SiteIsUpgraded) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 100, ClientKind::advanced, WinFamily::xp, 1, SmsLevel::sp1, "A");
  add_clients(h, "CEN", 10, ClientKind::legacy, WinFamily::win98, 0, SmsLevel::sp1, "L");
  Twin t = Twin::from(h, 1, {});
  ASSERT_NE(t.sites()[0].version, SmsLevel::sp2);
  auto r = t.run_step(step("CEN", "advanced-push"));
  EXPECT_TRUE(r.ok) << r.message;
  t.advance_to(t.now() + kDay);
  EXPECT_EQ(sp2(t, 2), 100) << "the pushed Advanced Clients are SP2, the site is not yet";
  EXPECT_FALSE(t.run_step(step("CEN", "legacy-autoupgrade")).ok) << "Legacy Clients still wait for the site";
  // An SMS 2.0 site is not an SMS 2003 site: no push before its upgrade.
  Hierarchy old = small_hierarchy();
  add_clients(old, "CEN", 10, ClientKind::advanced, WinFamily::xp, 1, SmsLevel::sp1, "A");
  site(old, "CEN").version.level = SmsLevel::sms20;
  Twin u = Twin::from(old, 1, {});
  auto refused = u.run_step(step("CEN", "advanced-push"));
  EXPECT_FALSE(refused.ok);
  EXPECT_NE(refused.message.find("neither SMS 2003 SP2 nor a running SMS 2003 site"), std::string::npos)
      << refused.message;
}

TEST(ClientsTest, SupportedAdvancedClientPlatforms) {
  EXPECT_TRUE(sp2_advanced_client_supported({WinFamily::w2000, 4}));
  EXPECT_FALSE(sp2_advanced_client_supported({WinFamily::w2000, 3}));
  EXPECT_TRUE(sp2_advanced_client_supported({WinFamily::xp, 1}));
  EXPECT_FALSE(sp2_advanced_client_supported({WinFamily::xp, 0}));
  EXPECT_TRUE(sp2_advanced_client_supported({WinFamily::w2003, 0}));
  EXPECT_FALSE(sp2_advanced_client_supported({WinFamily::win98, 0}));
  EXPECT_FALSE(sp2_advanced_client_supported({WinFamily::nt4, 6}));
}

TEST(ClientsTest, ReassignedFromAuthSiteToPlainSiteHasHeartbeatsAndInventoryRejected) {
  // The checklist: "Heartbeat Discovery and inventory data will be
  // rejected". A hardware and a software inventory report a day each.
  Hierarchy h = small_hierarchy();
  site(h, "CEN").client_auth_encryption = true;
  add_clients(h, "CEN", 30, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "R");
  for (auto& c : h.clients) c.reassign_to = h.find_site("PR1");
  add_clients(h, "CEN", 10, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "S");
  Twin t = Twin::from(h, 1, {});
  t.advance_to(3 * kDay);
  auto days = t.clients_by_day(3);
  EXPECT_EQ(days[0].rejected_heartbeats, 30);
  EXPECT_EQ(days[2].rejected_heartbeats, 30);
  EXPECT_EQ(days[0].rejected_inventory, 60);
  EXPECT_EQ(days[2].rejected_inventory, 60);
}

TEST(ClientsTest, RejectedInventoryFollowsTheInventorySchedules) {
  Hierarchy h = small_hierarchy();
  site(h, "CEN").client_auth_encryption = true;
  add_clients(h, "CEN", 30, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "R");
  for (auto& c : h.clients) c.reassign_to = h.find_site("PR1");
  TwinOptions o;
  o.durations.hardware_inventory_per_day = 2;
  o.durations.software_inventory_per_day = 0;
  Twin t = Twin::from(h, o);
  EXPECT_EQ(t.clients_by_day(1)[0].rejected_inventory, 60);
}

TEST(ClientsTest, LegacyClientsReassignedTheSameWayAreNotRejected) {
  // The checklist names Advanced Clients; Legacy Clients report otherwise.
  Hierarchy h = small_hierarchy();
  site(h, "CEN").client_auth_encryption = true;
  add_clients(h, "CEN", 30, ClientKind::legacy, WinFamily::xp, 2, SmsLevel::sp1, "L");
  for (auto& c : h.clients) c.reassign_to = h.find_site("PR1");
  Twin t = Twin::from(h, 1, {});
  auto day = t.clients_by_day(1)[0];
  EXPECT_EQ(day.rejected_heartbeats, 0);
  EXPECT_EQ(day.rejected_inventory, 0);
}

TEST(ClientsTest, ReassignedTheOtherWayIsAccepted) {
  Hierarchy h = small_hierarchy();
  site(h, "PR1").client_auth_encryption = true;
  add_clients(h, "CEN", 30, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "R");
  for (auto& c : h.clients) c.reassign_to = h.find_site("PR1");
  Twin t = Twin::from(h, 1, {});
  EXPECT_EQ(t.clients_by_day(1)[0].rejected_heartbeats, 0);
  EXPECT_EQ(t.clients_by_day(1)[0].rejected_inventory, 0);
}

TEST(ClientsTest, HttpPortChangeWhileClientsBelowSp1CutsThemOff) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 20, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::rtm, "P");
  MemoryLogSink logs;
  Twin t = Twin::from(h, 1, {});
  t.set_log_sink(&logs);
  std::string what;
  EXPECT_FALSE(t.change_http_port("CEN", 8080, what));
  EXPECT_NE(what.find("20 client(s) on port 80 are cut off"), std::string::npos) << what;
  EXPECT_TRUE(any_line(logs, log_path(h, "CEN", "mpcontrol.log"), "can no longer reach"));
  upgrade(t, "CEN");
  t.run_step(step("CEN", "advanced-push"));
  t.advance_to(t.now() + kDay);
  EXPECT_EQ(sp2(t, 3), 0) << "cut-off clients are not reached";
}

TEST(ClientsTest, HttpPortChangeWhenEverythingIsSp1IsFollowed) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 20, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "P");
  Twin t = Twin::from(h, 1, {});
  std::string what;
  EXPECT_TRUE(t.change_http_port("CEN", 8080, what)) << what;
  for (const auto& c : t.cohorts()) EXPECT_FALSE(c.cut_off);
}

// The cohort arithmetic and the naive one-event-per-client-per-cycle model
// agree, day by day.
TEST(ClientsTest, CohortModelMatchesPerClientSimulation) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 700, ClientKind::legacy, WinFamily::win98, 0, SmsLevel::sp1, "L");
  add_clients(h, "PR1", 300, ClientKind::legacy, WinFamily::nt4, 6, SmsLevel::sms20, "M");
  add_clients(h, "PR1", 1500, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "A");
  add_clients(h, "SEC", 200, ClientKind::legacy, WinFamily::win98, 0, SmsLevel::rtm, "S");
  site(h, "CEN").client_auth_encryption = true;
  for (int i = 0; i < 100; ++i)
    h.clients[1000 + static_cast<size_t>(i)].site = h.find_site("CEN"),
                     h.clients[1000 + static_cast<size_t>(i)].reassign_to = h.find_site("PR1");
  auto run = [&](bool naive) {
    TwinOptions o;
    o.naive_clients = naive;
    o.horizon = 10 * kDay;
    Twin t = Twin::from(h, o);
    auto p = straight_plan(h);
    for (const auto& s : p.steps) t.run_step(s);
    t.advance_to(10 * kDay);
    return t.clients_by_day(10);
  };
  auto a = run(false);
  auto b = run(true);
  ASSERT_EQ(a.size(), b.size());
  for (size_t d = 0; d < a.size(); ++d) {
    EXPECT_EQ(a[d].by_version, b[d].by_version) << "day " << a[d].day;
    EXPECT_EQ(a[d].rejected_heartbeats, b[d].rejected_heartbeats) << "day " << a[d].day;
    EXPECT_EQ(a[d].rejected_inventory, b[d].rejected_inventory) << "day " << a[d].day;
    EXPECT_EQ(a[d].rejected_inventory, 200) << "day " << a[d].day;
  }
  EXPECT_EQ(a.back().by_version[3], 2700);
}

}  // namespace
}  // namespace smsup::twin::test

namespace smsup::twin::test {
namespace {

TEST(ClientsForceTest, UpdateConfigurationUpgradesLegacyClientsAtOnce) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 100, ClientKind::legacy, WinFamily::win98, 0, SmsLevel::sp1, "L");
  Twin t = Twin::from(h, 1, {});
  std::string what;
  EXPECT_FALSE(t.force_legacy_update("CEN", what)) << "nothing to upgrade to before SP2";
  run_all(t, {step("CEN", "upgrade"), step("CEN", "settle"), step("CEN", "verify")});
  EXPECT_TRUE(t.force_legacy_update("CEN", what)) << what;
  int64_t up = 0;
  for (const auto& c : t.cohorts()) up += c.upgraded;
  EXPECT_EQ(up, 100);
}

}  // namespace
}  // namespace smsup::twin::test

namespace smsup::twin::test {
namespace {

// "Client Push Installation fails on client computers running Windows Server
// 2003 SP1 unless File and Printer Sharing is enabled."
TEST(ClientsTest, PushFailsOnFirewalledW2003Sp1ClientsWithoutFileAndPrinterSharing) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 10, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "A");
  add_clients(h, "CEN", 4, ClientKind::advanced, WinFamily::w2003, 1, SmsLevel::sp1, "S");
  add_clients(h, "CEN", 3, ClientKind::advanced, WinFamily::w2003, 1, SmsLevel::sp1, "F");
  add_clients(h, "CEN", 2, ClientKind::advanced, WinFamily::w2003, 1, SmsLevel::sp1, "U");
  for (auto& c : h.clients) {
    if (c.name[0] == 'S' || c.name[0] == 'F' || c.name[0] == 'U') c.firewall = true;
    if (c.name[0] == 'F') c.firewall_exceptions = static_cast<uint16_t>(FirewallException::file_printer_sharing);
    if (c.name[0] == 'U') c.unknown = static_cast<uint8_t>(ClientFact::firewall_exceptions);  // counts as off
  }
  MemoryLogSink logs;
  Twin t = Twin::from(h, 1, {});
  t.set_log_sink(&logs);
  auto r = t.run_step(step("CEN", "advanced-push"));
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_NE(r.message.find("to 15 Advanced Client(s)"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("4 on Windows Server 2003 SP1 failed"), std::string::npos) << r.message;
  EXPECT_TRUE(any_line(logs, log_path(h, "CEN", "ccm.log"), "File and Printer Sharing"));
  t.advance_to(t.now() + kDay);
  int64_t upgraded = 0;
  for (const auto& c : t.cohorts()) upgraded += c.upgraded;
  EXPECT_EQ(upgraded, 15);
  // With File and Printer Sharing on them too, the push reaches all 19.
  for (auto& c : h.clients) c.firewall_exceptions |= static_cast<uint16_t>(FirewallException::file_printer_sharing);
  Twin fixed = Twin::from(h, 1, {});
  auto all = fixed.run_step(step("CEN", "advanced-push"));
  EXPECT_NE(all.message.find("to 19 Advanced Client(s)"), std::string::npos) << all.message;
  EXPECT_EQ(all.message.find("failed"), std::string::npos) << all.message;
}

}  // namespace
}  // namespace smsup::twin::test
