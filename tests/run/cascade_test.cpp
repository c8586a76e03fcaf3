// cascade.h on its own: what a failure skips, from waits and states only,
// with no journal and no executor.
#include <gtest/gtest.h>

#include "run/cascade.h"

using namespace smsup;
using namespace smsup::run;

namespace {

using S = State;

// Steps 0..n-1; each pair {step, on} a dependency, each {step, on, true} a lane edge.
struct W {
  size_t step, on;
  bool lane = false;
};
Waits waits(size_t n, std::initializer_list<W> ws) {
  Waits out(n);
  for (const auto& w : ws) out[w.step].push_back({w.on, w.lane});
  return out;
}

struct Got {
  size_t step;
  State state;
  size_t because;
  bool operator==(const Got&) const = default;
};
std::vector<Got> got(const Waits& w, const std::vector<State>& states) {
  std::vector<Got> out;
  for (const auto& c : cascade(w, states)) out.push_back({c.step, c.state, c.state == S::skipped ? c.because : 0});
  return out;
}

}  // namespace

TEST(Cascade, NothingFailedChangesNothing) {
  auto w = waits(3, {{1, 0}, {2, 1}});
  EXPECT_TRUE(got(w, {S::succeeded, S::running, S::pending}).empty());
}

TEST(Cascade, AFailedStepSkipsItsWholeChainNotItsSiblings) {
  // 0 -> 1 -> 2, and 3 beside them on 0's success only.
  auto w = waits(5, {{1, 0}, {2, 1}, {3, 4}});
  auto g = got(w, {S::failed, S::pending, S::pending, S::pending, S::succeeded});
  EXPECT_EQ(g, (std::vector<Got>{{1, S::skipped, 0}, {2, S::skipped, 0}}));
}

TEST(Cascade, OnlyPendingStepsAreSkipped) {
  // A step waiting for a person, or already done, keeps its state.
  auto w = waits(4, {{1, 0}, {2, 0}, {3, 0}});
  auto g = got(w, {S::failed, S::waiting, S::succeeded, S::pending});
  EXPECT_EQ(g, (std::vector<Got>{{3, S::skipped, 0}}));
}

TEST(Cascade, TheChainIsFollowedThroughStepsOfAnyState) {
  // 1 is waiting for a person, but 2 still depends on the failed 0 through it.
  auto w = waits(3, {{1, 0}, {2, 1}});
  auto g = got(w, {S::failed, S::waiting, S::pending});
  EXPECT_EQ(g, (std::vector<Got>{{2, S::skipped, 0}}));
}

TEST(Cascade, LaneEdgesOrderButDoNotSkip) {
  // Upgrade 1 queues behind upgrade 0 in a --max-parallel lane; 2 depends on 1.
  auto w = waits(3, {{1, 0, true}, {2, 1}});
  EXPECT_TRUE(got(w, {S::failed, S::pending, S::pending}).empty());
  EXPECT_TRUE(met(S::failed, true));
  EXPECT_TRUE(met(S::skipped, true));
  EXPECT_TRUE(met(S::succeeded, true));
  EXPECT_FALSE(met(S::running, true));
  EXPECT_FALSE(met(S::failed, false));
  EXPECT_FALSE(met(S::skipped, false));
  EXPECT_TRUE(met(S::succeeded, false));
}

TEST(Cascade, ALaneEdgeBesideADependencyStillSkipsByTheDependency) {
  auto w = waits(3, {{2, 0, true}, {2, 1}});
  EXPECT_EQ(got(w, {S::succeeded, S::failed, S::pending}), (std::vector<Got>{{2, S::skipped, 1}}));
  EXPECT_TRUE(got(w, {S::failed, S::succeeded, S::pending}).empty());
}

TEST(Cascade, ASkippedStepNamesTheFirstFailureInPlanOrder) {
  auto w = waits(3, {{2, 0}, {2, 1}});
  EXPECT_EQ(got(w, {S::failed, S::failed, S::pending}), (std::vector<Got>{{2, S::skipped, 0}}));
  auto behind = failed_behind(w, {S::failed, S::failed, S::pending});
  EXPECT_FALSE(behind[0]);
  EXPECT_FALSE(behind[1]);
  EXPECT_EQ(behind[2], 0u);
}

TEST(Cascade, RetryGivesBackWhatOnlyThatFailureSkipped) {
  // 0 and 1 failed; 2 depends on 0 only, 3 on both, 4 on 2.
  auto w = waits(5, {{2, 0}, {3, 0}, {3, 1}, {4, 2}});
  std::vector<State> after_retry_of_0 = {S::pending, S::failed, S::skipped, S::skipped, S::skipped};
  EXPECT_EQ(got(w, after_retry_of_0), (std::vector<Got>{{2, S::pending, 0}, {4, S::pending, 0}}));
  EXPECT_EQ(failed_behind(w, after_retry_of_0)[3], 1u) << "3 stays skipped, now behind 1";
  std::vector<State> both_retried = {S::pending, S::pending, S::skipped, S::skipped, S::skipped};
  EXPECT_EQ(got(w, both_retried), (std::vector<Got>{{2, S::pending, 0}, {3, S::pending, 0}, {4, S::pending, 0}}));
}

TEST(Cascade, WaitsOfAPlanMarkItsLaneEdges) {
  plan::Step a, b, c;
  a.id = "A/upgrade";
  b.id = "B/upgrade";
  b.after = {"A/upgrade"};
  b.params["lane_after"] = "A/upgrade";
  c.id = "B/settle";
  c.after = {"B/upgrade"};
  auto w = waits_of({a, b, c});
  ASSERT_EQ(w[1].size(), 1u);
  EXPECT_EQ(w[1][0].on, 0u);
  EXPECT_TRUE(w[1][0].lane);
  ASSERT_EQ(w[2].size(), 1u);
  EXPECT_FALSE(w[2][0].lane);
  c.after = {"nowhere"};
  EXPECT_THROW(waits_of({a, b, c}), std::invalid_argument);
}

TEST(Cascade, StateNamesReadBack) {
  for (auto s : {S::pending, S::running, S::waiting, S::succeeded, S::failed, S::skipped}) {
    EXPECT_EQ(parse_state(to_string(s)), s);
  }
  EXPECT_FALSE(parse_state("done"));
  EXPECT_EQ(skip_message("A/backup"), "not run: depends on A/backup, which failed");
}
