#include <gtest/gtest.h>

#include <thread>

#include "fake_driver.h"
#include "run/executor.h"
#include "run/journal.h"
#include "support.h"
#include "util/error.h"

using namespace smsup;
using namespace smsup::run;
using smsup::test::FakeDriver;
using smsup::test::plan_of;
using smsup::test::step;

namespace {

Summary run_plan(const plan::Plan& p, Journal& j, FakeDriver& d, Limits lim = {}, bool wait = false) {
  j.bind(p, "digest", "plan.json", "fake");
  Options o;
  o.limits = lim;
  o.wait_for_people = wait;
  o.tick = std::chrono::milliseconds(5);
  Executor ex(p, j, d, o, nullptr);
  return ex.run();
}

State state_of(Journal& j, const std::string& id) { return j.step(id)->state; }

size_t pos(const std::vector<std::string>& v, const std::string& id) {
  return static_cast<size_t>(std::find(v.begin(), v.end(), id) - v.begin());
}

}  // namespace

TEST(Executor, RunsEveryStepOnceAfterItsDependencies) {
  test::TempDir t;
  Journal j(t / "j.db");
  FakeDriver d;
  auto p = plan_of({step("CEN/backup", {}, "CEN01", "CEN"), step("CEN/upgrade", {"CEN/backup"}, "CEN01", "CEN"),
                    step("PR1/backup", {}, "PR101", "PR1"),
                    step("PR1/upgrade", {"PR1/backup", "CEN/upgrade"}, "PR101", "PR1")});
  auto s = run_plan(p, j, d);
  EXPECT_TRUE(s.all_succeeded());
  ASSERT_EQ(d.started.size(), 4u);
  EXPECT_LT(pos(d.started, "CEN/backup"), pos(d.started, "CEN/upgrade"));
  EXPECT_LT(pos(d.started, "CEN/upgrade"), pos(d.started, "PR1/upgrade"));
  EXPECT_LT(pos(d.started, "PR1/backup"), pos(d.started, "PR1/upgrade"));
  for (const auto& r : j.steps()) {
    EXPECT_EQ(r.state, State::succeeded) << r.id;
    EXPECT_EQ(r.attempts, 1) << r.id;
  }
}

TEST(Executor, FailureStopsOnlyItsDependants) {
  test::TempDir t;
  Journal j(t / "j.db");
  FakeDriver d;
  d.fail = {"A/backup"};
  auto p = plan_of({step("A/backup", {}, "", "A"), step("A/upgrade", {"A/backup"}, "", "A"),
                    step("A/verify", {"A/upgrade"}, "", "A"), step("B/backup", {}, "", "B"),
                    step("B/upgrade", {"B/backup"}, "", "B")});
  auto s = run_plan(p, j, d);
  EXPECT_FALSE(s.all_succeeded());
  EXPECT_EQ(state_of(j, "A/backup"), State::failed);
  EXPECT_EQ(state_of(j, "A/upgrade"), State::skipped);
  EXPECT_EQ(state_of(j, "A/verify"), State::skipped);
  EXPECT_EQ(state_of(j, "B/upgrade"), State::succeeded);
  EXPECT_EQ(pos(d.started, "A/upgrade"), d.started.size()) << "a dependant of a failure ran";
}

// B's upgrade queues behind A's for a --max-parallel lane (params.lane_after):
// A failing, or being skipped, must not stop B.
TEST(Executor, ALaneEdgeOrdersButAFailureBehindItStopsNothing) {
  for (const char* failing : {"A/upgrade", "A/backup"}) {
    test::TempDir t;
    Journal j(t / "j.db");
    FakeDriver d;
    d.fail = {failing};
    auto queued = step("B/upgrade", {"B/backup", "A/upgrade"}, "", "B");
    queued.params["lane_after"] = "A/upgrade";
    auto p = plan_of({step("A/backup", {}, "", "A"), step("A/upgrade", {"A/backup"}, "", "A"),
                      step("A/verify", {"A/upgrade"}, "", "A"), step("B/backup", {}, "", "B"), queued,
                      step("B/verify", {"B/upgrade"}, "", "B")});
    auto s = run_plan(p, j, d);
    EXPECT_FALSE(s.all_succeeded());
    EXPECT_EQ(state_of(j, "A/verify"), State::skipped) << failing;
    EXPECT_EQ(state_of(j, "B/upgrade"), State::succeeded) << failing;
    EXPECT_EQ(state_of(j, "B/verify"), State::succeeded) << failing;
    if (std::string(failing) == "A/upgrade") {
      EXPECT_LT(pos(d.started, "A/upgrade"), pos(d.started, "B/upgrade")) << "the lane orders";
    }
  }
}

TEST(Executor, MaxFailuresStopsStartingNewSteps) {
  test::TempDir t;
  Journal j(t / "j.db");
  FakeDriver d;
  std::vector<plan::Step> steps;
  for (int i = 0; i < 6; ++i) steps.push_back(step("S" + std::to_string(i) + "/x", {}, "", "S" + std::to_string(i)));
  d.fail = {"S0/x", "S1/x"};
  Limits lim;
  lim.max_parallel = 1;
  lim.max_failures = 2;
  auto s = run_plan(plan_of(steps), j, d, lim);
  EXPECT_TRUE(s.stopped_early);
  EXPECT_EQ(d.started.size(), 2u);
  EXPECT_EQ(state_of(j, "S5/x"), State::pending);
}

TEST(Executor, LimitsCapStepsPerHostPerSiteAndOverall) {
  test::TempDir t;
  Journal j(t / "j.db");
  FakeDriver d;
  std::vector<plan::Step> steps;
  for (int i = 0; i < 12; ++i) {
    std::string site = "S" + std::to_string(i % 4);
    steps.push_back(step(site + "/k" + std::to_string(i), {}, "H" + std::to_string(i % 3), site));
  }
  for (auto& s : steps) d.polls_to_finish[s.id] = 3;
  Limits lim;
  lim.max_parallel = 3;
  lim.per_host = 1;
  lim.per_site = 1;
  EXPECT_TRUE(run_plan(plan_of(steps), j, d, lim).all_succeeded());
  EXPECT_EQ(d.peak_total, 3);
  for (auto& [h, n] : d.peak_host) EXPECT_EQ(n, 1) << h;
  for (auto& [s, n] : d.peak_site) EXPECT_EQ(n, 1) << s;
}

TEST(Executor, ManualStepWaitsWhileTheRestGoesOn) {
  test::TempDir t;
  Journal j(t / "j.db");
  FakeDriver d;
  auto p = plan_of({step("A/drw", {}, "", "A", true), step("A/upgrade", {"A/drw"}, "", "A"),
                    step("B/backup", {}, "", "B"), step("B/upgrade", {"B/backup"}, "", "B")});
  auto s = run_plan(p, j, d);
  EXPECT_FALSE(s.all_succeeded());
  EXPECT_EQ(s.counts[static_cast<int>(State::waiting)], 1);
  EXPECT_EQ(state_of(j, "A/drw"), State::waiting);
  EXPECT_EQ(state_of(j, "A/upgrade"), State::pending);
  EXPECT_EQ(state_of(j, "B/upgrade"), State::succeeded);
  EXPECT_EQ(pos(d.started, "A/drw"), d.started.size()) << "a manual step was started by the driver";
}

TEST(Executor, ConfirmFromAnotherProcessReleasesTheDependants) {
  test::TempDir t;
  Journal j(t / "j.db");
  FakeDriver d;
  auto p = plan_of({step("A/drw", {}, "", "A", true), step("A/upgrade", {"A/drw"}, "", "A")});
  std::thread person([&] {
    Journal other(t / "j.db", false);
    bool waiting = test::eventually([&] {
      auto r = other.step("A/drw");
      return r && r->state == State::waiting;
    });
    if (waiting) other.confirm("A/drw", "ran the wizard, no errors", false);
  });
  auto s = run_plan(p, j, d, {}, /*wait=*/true);
  person.join();
  EXPECT_TRUE(s.all_succeeded());
  EXPECT_EQ(j.step("A/drw")->note, "ran the wizard, no errors");
  EXPECT_EQ(d.confirmed_ids, std::vector<std::string>{"A/drw"});
}

TEST(Executor, ConfirmFailSkipsTheDependants) {
  test::TempDir t;
  Journal j(t / "j.db");
  FakeDriver d;
  auto p = plan_of({step("A/drw", {}, "", "A", true), step("A/upgrade", {"A/drw"}, "", "A")});
  run_plan(p, j, d);
  j.confirm("A/drw", "wizard shows errors", true);
  EXPECT_EQ(state_of(j, "A/drw"), State::failed);
  EXPECT_EQ(state_of(j, "A/upgrade"), State::skipped);
  EXPECT_THROW(j.confirm("A/drw", "", false), InputError) << "only waiting steps can be confirmed";
}

TEST(Executor, RetrySetsAFailedStepBackAndItsSkippedDependants) {
  test::TempDir t;
  Journal j(t / "j.db");
  FakeDriver d;
  d.fail = {"A/backup", "B/backup"};
  auto p = plan_of({step("A/backup", {}, "", "A"), step("B/backup", {}, "", "B"),
                    step("A/upgrade", {"A/backup"}, "", "A"), step("AB/itmu", {"A/upgrade", "B/backup"}, "", "*")});
  run_plan(p, j, d);
  EXPECT_EQ(state_of(j, "AB/itmu"), State::skipped);
  EXPECT_THROW(j.retry("A/upgrade"), InputError) << "only failed steps can be retried";
  j.retry("A/backup");
  EXPECT_EQ(state_of(j, "A/backup"), State::pending);
  EXPECT_EQ(state_of(j, "A/upgrade"), State::pending);
  EXPECT_EQ(state_of(j, "AB/itmu"), State::skipped) << "still behind the failed B/backup";
  d.fail.clear();
  Options o;
  o.tick = std::chrono::milliseconds(5);
  Executor ex(p, j, d, o, nullptr);
  auto s = ex.run();
  EXPECT_EQ(state_of(j, "A/upgrade"), State::succeeded);
  EXPECT_EQ(j.step("A/backup")->attempts, 2);
  EXPECT_EQ(s.counts[static_cast<int>(State::failed)], 1);
}

TEST(Executor, ResumeAsksTheDriverAboutStepsLeftRunning) {
  test::TempDir t;
  Journal j(t / "j.db");
  auto p = plan_of({step("A/done", {}, "", "A"), step("B/notdone", {}, "", "B"), step("C/unknown", {}, "", "C"),
                    step("C/after", {"C/unknown"}, "", "C")});
  j.bind(p, "digest", "plan.json", "fake");
  j.record({{"A/done", State::running}, {"B/notdone", State::running}, {"C/unknown", State::running}});
  FakeDriver d;
  d.probes = {{"A/done", drivers::Probe::done},
              {"B/notdone", drivers::Probe::not_done},
              {"C/unknown", drivers::Probe::unknown}};
  Options o;
  o.tick = std::chrono::milliseconds(5);
  Executor ex(p, j, d, o, nullptr);
  ex.run();
  EXPECT_EQ(d.probed.size(), 3u);
  EXPECT_EQ(state_of(j, "A/done"), State::succeeded);
  EXPECT_EQ(pos(d.started, "A/done"), d.started.size()) << "a finished step ran again";
  EXPECT_EQ(state_of(j, "B/notdone"), State::succeeded);
  EXPECT_EQ(j.step("B/notdone")->attempts, 2);
  EXPECT_EQ(state_of(j, "C/unknown"), State::waiting);
  EXPECT_EQ(state_of(j, "C/after"), State::pending);
}

TEST(Executor, DryRunListsWavesInDependencyOrder) {
  FakeDriver d;
  auto p = plan_of({step("A/backup"), step("B/backup"), step("A/upgrade", {"A/backup"}),
                    step("AB/itmu", {"A/upgrade", "B/backup"})});
  auto order = dry_run(p, d);
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order[0].wave, 1);
  EXPECT_EQ(order[1].wave, 1);
  EXPECT_EQ(order[2].step->id, "A/upgrade");
  EXPECT_EQ(order[2].wave, 2);
  EXPECT_EQ(order[3].wave, 3);
  EXPECT_EQ(order[3].action, (std::vector<std::string>{"run", "AB/itmu"}));
  EXPECT_TRUE(d.started.empty());
}
