// `smsup clients`: the campaign without a plan, and the durations file.
#include <gtest/gtest.h>

#include "fixture.h"
#include "twin/campaign.h"
#include "twin/campaign_report.h"
#include "util/error.h"

namespace smsup::twin::test {
namespace {

Hierarchy mixed() {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 50, ClientKind::legacy, WinFamily::win98, 0, SmsLevel::sp1, "L");
  add_clients(h, "CEN", 5, ClientKind::legacy, WinFamily::win95, 0, SmsLevel::sp1, "N");
  add_clients(h, "PR1", 1300, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "A");
  add_clients(h, "PR1", 7, ClientKind::advanced, WinFamily::xp, 0, SmsLevel::sp1, "B");
  add_clients(h, "PR1", 9, ClientKind::legacy, WinFamily::w2000, 4, SmsLevel::rtm, "X");
  add_clients(h, "CEN", 3, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp2, "D");
  h.clients[50].ie_tenths = 60;
  return h;
}

TEST(CampaignTest, SortsClientsByWhatTheyWillDo) {
  Hierarchy h = mixed();
  auto c = plan_campaign(h, 1, 7);
  EXPECT_EQ(c.by_fate[ClientFate::ccim], 50);
  EXPECT_EQ(c.by_fate[ClientFate::legacy_platform], 5);
  EXPECT_EQ(c.by_fate[ClientFate::push], 1300);
  EXPECT_EQ(c.by_fate[ClientFate::advanced_os], 7);
  EXPECT_EQ(c.by_fate[ClientFate::to_advanced], 9);
  EXPECT_EQ(c.by_fate[ClientFate::already_sp2], 3);
  EXPECT_EQ(c.cannot, 12);
  // Every CCIM client within one 25-hour cycle; pushes at 600 an hour.
  for (const auto& r : c.rows) {
    if (r.fate == ClientFate::ccim) {
      EXPECT_GE(r.hour, 1);
      EXPECT_LE(r.hour, 25);
    }
  }
  EXPECT_EQ(c.rows[55 + 1299].hour, 3);  // the 1300th push of PR1
  EXPECT_EQ(c.days.back()[0], 50 + 1300 + 9 + 3);
}

TEST(CampaignTest, WithoutRowsTheSameCountsAndDays) {
  // What `smsup report` asks for its client curve: no row per client.
  Hierarchy h = mixed();
  auto full = plan_campaign(h, 1, 7);
  auto lean = plan_campaign(h, 1, 7, {}, false);
  EXPECT_TRUE(lean.rows.empty());
  EXPECT_EQ(lean.days, full.days);
  EXPECT_EQ(lean.by_fate, full.by_fate);
  EXPECT_EQ(lean.reasons, full.reasons);
  EXPECT_EQ(lean.cannot, full.cannot);
  // By the end of day 2: every CCIM client, the pushes, the moves to Advanced, those at SP2 already.
  EXPECT_EQ(lean.days[1][0], 50 + 1300 + 9 + 3);
}

TEST(CampaignTest, PushCollectionsPerSiteAndCsvRows) {
  Hierarchy h = mixed();
  auto c = plan_campaign(h, 1, 3);
  auto push = push_collections(c, h, ClientFate::push);
  ASSERT_EQ(push.size(), 1u);
  EXPECT_EQ(push.begin()->first, "PR1");
  EXPECT_EQ(std::count(push.begin()->second.begin(), push.begin()->second.end(), '\n'), 1301);
  auto adv = push_collections(c, h, ClientFate::to_advanced);
  EXPECT_NE(adv["PR1"].find("X00000,PR1,w2000 SP4,rtm"), std::string::npos);
  std::string csv = to_csv(c, h);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), static_cast<long>(h.clients.size()) + 1);
  EXPECT_NE(csv.find("N00000,CEN,legacy,win95,sp1,legacy-platform,Windows 95"), std::string::npos);
}

TEST(CampaignTest, CsvCellsCannotBecomeFormulas) {
  Hierarchy h = small_hierarchy();
  add_clients(h, "CEN", 1, ClientKind::advanced, WinFamily::xp, 2, SmsLevel::sp1, "=cmd|'/c calc'!A");
  auto csv = to_csv(plan_campaign(h, 1, 1), h);
  EXPECT_EQ(csv.find("\n=cmd"), std::string::npos);
  EXPECT_NE(csv.find("'=cmd"), std::string::npos);
}

TEST(CampaignTest, JsonListsEveryClient) {
  Hierarchy h = mixed();
  auto j = to_json(plan_campaign(h, 1, 2), h);
  EXPECT_EQ(j["clients"].size(), h.clients.size());
  EXPECT_EQ(j["cannot"], 12);
}

TEST(DurationsTest, FileOverridesAndRefusesUnknownKeys) {
  auto d = durations_from_json(nlohmann::json{{"upgrade_base", 90}}, "d.json");
  EXPECT_DOUBLE_EQ(d.upgrade_base, 90);
  EXPECT_THROW(durations_from_json(nlohmann::json{{"upgrade_bsae", 90}}, "d.json"), InputError);
  EXPECT_THROW(durations_from_json(nlohmann::json{{"upgrade_base", -1}}, "d.json"), InputError);
  EXPECT_THROW(durations_from_json(nlohmann::json{{"upgrade_base", "long"}}, "d.json"), InputError);
}

TEST(DurationsTest, LongerSetupForABiggerDatabase) {
  Hierarchy small = small_hierarchy();
  Hierarchy big = small_hierarchy();
  site(big, "CEN").database->data_mb = 40000;
  site(big, "CEN").database->free_disk_mb = 100000;
  TwinOptions o;
  o.durations.jitter = 0;
  Twin a = Twin::from(small, o);
  Twin b = Twin::from(big, o);
  auto ra = a.run_step(step("CEN", "upgrade"));
  auto rb = b.run_step(step("CEN", "upgrade"));
  EXPECT_GT(rb.end - rb.start, ra.end - ra.start);
}

TEST(FaultsTest, ActivityFaultDuringSettleDelaysTheMilestones) {
  Hierarchy h = small_hierarchy();
  Twin quiet = Twin::from(h, 1, {});
  Twin busy = Twin::from(h, 1, parse_faults("settle@CEN=activity"));
  for (Twin* t : {&quiet, &busy}) run_all(*t, {step("CEN", "upgrade"), step("CEN", "settle"), step("CEN", "verify")});
  EXPECT_EQ(busy.sites()[0].reinstall_restarts, 1);
  EXPECT_GT(busy.sites()[0].milestones[5], quiet.sites()[0].milestones[5]);
  EXPECT_TRUE(busy.step_done("CEN/verify")) << "verify waits for the late milestones";
}

}  // namespace
}  // namespace smsup::twin::test
