#include <gtest/gtest.h>

#include "helpers.h"
#include "plan/estimates.h"
#include "plan/planner.h"
#include "plan/schedule.h"

namespace smsup::testing {
namespace {

double estimate(const plan::Plan& p, const std::string& id) { return p.find(id)->estimate_min; }

TEST(PlanEstimates, GrowWithTheDatabase) {
  auto h = small();
  auto before = plan::make_plan(h, {}, {});
  h.sites[0].database->data_mb *= 10;
  auto after = plan::make_plan(h, {}, {});
  for (const char* id : {"CEN/backup", "CEN/dbtest", "CEN/upgrade"}) {
    EXPECT_GT(estimate(after, id), estimate(before, id)) << id;
  }
  EXPECT_GT(plan::schedule(after).total_min, plan::schedule(before).total_min);
}

TEST(PlanEstimates, GrowWithClientsAndSiteSystems) {
  auto h = small();
  auto before = plan::make_plan(h, {}, {});
  for (int k = 0; k < 5000; ++k) {
    Client c;
    c.name = "X" + std::to_string(k);
    c.site = 0;
    c.os = {WinFamily::xp, 2};
    c.version = SmsLevel::sp1;
    h.clients.push_back(c);
  }
  h.sites[0].systems.push_back(h.sites[0].systems[1]);
  h.sites[0].systems.back().host = "CENDP";
  h.sites[0].systems.back().roles = static_cast<uint32_t>(Role::distribution_point);
  auto after = plan::make_plan(h, {}, {});
  EXPECT_GT(estimate(after, "CEN/upgrade"), estimate(before, "CEN/upgrade"));
  EXPECT_GT(estimate(after, "CEN/advanced-push"), estimate(before, "CEN/advanced-push"));
}

TEST(PlanEstimates, SettleIsTheChecklistsThirtyMinutes) {
  auto p = plan::make_plan(small(), {}, {});
  EXPECT_EQ(estimate(p, "CEN/settle"), 30);
  EXPECT_EQ(estimate(p, "PR1/legacy-autoupgrade"), 25 * 60);
}

TEST(PlanEstimates, FileOverridesDefaultsInYamlOrJson) {
  auto e = plan::Estimates::defaults();
  plan::apply_estimates(e, "upgrade:\n  base: 100\n  per_db_gb: 0\nsettle: {base: 45}\n", "e.yaml");
  EXPECT_EQ(e.by_kind["upgrade"].base, 100);
  EXPECT_EQ(e.by_kind["upgrade"].per_site_system, 5);  // untouched
  EXPECT_EQ(e.by_kind["settle"].base, 45);
  plan::apply_estimates(e, R"({"verify": {"base": 12, "per_site_system": 1}})", "e.json");
  EXPECT_EQ(e.by_kind["verify"].base, 12);
  plan::Options o;
  o.estimates = e;
  auto p = plan::make_plan(small(), {}, o);
  EXPECT_EQ(estimate(p, "CEN/settle"), 45);
  EXPECT_EQ(estimate(p, "CEN/verify"), 12 + 3);
}

InputError bad(const std::string& text) {
  auto e = plan::Estimates::defaults();
  try {
    plan::apply_estimates(e, text, "est.yaml");
  } catch (const InputError& err) {
    return err;
  }
  ADD_FAILURE() << "accepted: " << text;
  return InputError({}, "", "");
}

TEST(PlanEstimates, BadFileIsRefusedWithLineAndKey) {
  auto e = bad("upgrade: {base: 10}\nupgrad: {base: 3}\n");
  EXPECT_EQ(e.loc().file, "est.yaml");
  EXPECT_EQ(e.loc().line, 2);
  EXPECT_EQ(e.field(), "upgrad");
  e = bad("upgrade:\n  base: -4\n");
  EXPECT_EQ(e.loc().line, 2);
  EXPECT_EQ(e.field(), "upgrade.base");
  e = bad("upgrade:\n  bsae: 4\n");
  EXPECT_EQ(e.field(), "upgrade.bsae");
  e = bad("settle: {base: 10}\n");
  EXPECT_EQ(e.field(), "settle.base");
  e = bad("{\"upgrade\": {\"base\": 1,}\n");
  EXPECT_GT(e.loc().line, 0);
  e = bad("- 1\n- 2\n");
  EXPECT_NE(e.message().find("mapping"), std::string::npos);
}

// A step takes at most a year, the plan file's own limit: a cost of 1e300
// was taken and gave a plan its reader refused and an "Estimated total" of
// -9223372036854775808 min.
TEST(PlanEstimates, EveryCostAndEveryStepIsAtMostAYear) {
  auto e = bad("upgrade:\n  base: 1e300\n");
  EXPECT_EQ(e.loc().line, 2);
  EXPECT_EQ(e.field(), "upgrade.base");
  EXPECT_NE(e.message().find("0 to 525600 (a year)"), std::string::npos) << e.message();
  e = bad("upgrade: {per_db_gb: 525601}\n");
  EXPECT_EQ(e.field(), "upgrade.per_db_gb");
  e = bad("upgrade: {per_1000_clients: .inf}\n");
  EXPECT_EQ(e.field(), "upgrade.per_1000_clients");

  // Each cost within the year, their sum for a site is not: refused naming
  // the file, the kind and the step, not written into a plan.
  auto est = plan::Estimates::defaults();
  est.source = "est.yaml";
  plan::apply_estimates(est, "upgrade: {base: 525600, per_site_system: 1}\n", "est.yaml");
  plan::Options o;
  o.estimates = est;
  try {
    (void)plan::make_plan(small(), {}, o);
    ADD_FAILURE() << "a step of more than a year was planned";
  } catch (const InputError& err) {
    EXPECT_EQ(err.loc().file, "est.yaml");
    EXPECT_EQ(err.field(), "upgrade");
    EXPECT_NE(err.message().find("CEN/upgrade"), std::string::npos) << err.message();
    EXPECT_NE(err.message().find("more than a year"), std::string::npos) << err.message();
  }
  // At the limit exactly, the plan is made and its total is a real one.
  plan::apply_estimates(est, "upgrade: {base: 525000, per_site_system: 0, per_db_gb: 0, per_1000_clients: 0}\n",
                        "est.yaml");
  o.estimates = est;
  auto p = plan::make_plan(small(), {}, o);
  EXPECT_EQ(estimate(p, "CEN/upgrade"), 525000);
  EXPECT_GE(plan::schedule(p).total_min, 525000);
}

TEST(PlanSchedule, StartsEachStepWhenItsLastPredecessorEnds) {
  std::vector<plan::Step> steps(4);
  steps[0].id = "a";
  steps[1].id = "b";
  steps[1].after = {"a"};
  steps[2].id = "c";
  steps[2].after = {"a"};
  steps[3].id = "d";
  steps[3].after = {"b", "c"};
  auto s = plan::schedule(steps, {10, 5, 30, 1});
  EXPECT_EQ(s.start[3], 40);
  EXPECT_EQ(s.total_min, 41);
  EXPECT_EQ(s.critical, (std::vector<size_t>{0, 2, 3}));
}

TEST(PlanSchedule, RefusesCyclesAndUnknownSteps) {
  std::vector<plan::Step> steps(2);
  steps[0].id = "a";
  steps[0].after = {"b"};
  steps[1].id = "b";
  steps[1].after = {"a"};
  EXPECT_THROW(plan::schedule(steps, {1, 1}), std::invalid_argument);
  steps[1].after = {"zz"};
  EXPECT_THROW(plan::schedule(steps, {1, 1}), std::invalid_argument);
}

TEST(PlanSchedule, FormatsDurationsForPeople) {
  EXPECT_EQ(plan::format_minutes(45), "45 min");
  EXPECT_EQ(plan::format_minutes(185), "3 h 05 min");
  EXPECT_EQ(plan::format_minutes(24 * 60 + 61), "1 d 1 h 01 min");
}

}  // namespace
}  // namespace smsup::testing
