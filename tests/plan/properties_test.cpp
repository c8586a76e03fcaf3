// The order rules of the spec as properties over many seeded random
// hierarchies: small and large, deep and wide, every option combination.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "rules/finding.h"

#include "order_rules.h"
#include "plan/planner.h"
#include "plan/schedule.h"
#include "random_hierarchy.h"

namespace smsup::testing {
namespace {

struct Case {
  Shape shape;
  plan::Options opts;
};

Case case_of(uint64_t seed) {
  std::mt19937_64 rng(seed * 7919);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Case c;
  const int sizes[] = {1, 2, 5, 20, 60, 150, 300};
  c.shape.sites = sizes[seed % 7];
  c.shape.depth_bias = static_cast<double>(seed % 3) * 0.45;  // wide, mixed, deep
  c.shape.secondary_share = pick(0, 5) / 10.0;
  c.shape.sp2_share = pick(0, 3) / 10.0;
  c.shape.clients_per_site = pick(0, 30);
  c.opts.with_os_sp1 = seed % 2 == 0;
  c.opts.clients_first = seed % 5 == 0;
  if (seed % 3 == 0) c.opts.dbtest_same_server = {"all"};
  c.opts.max_parallel = pick(1, 6);
  const char* methods[] = {"", "interactive", "update-quiet", "update-passive"};
  c.opts.method = methods[pick(0, 3)];
  return c;
}

TEST(PlanProperties, EveryOrderRuleHoldsOnRandomHierarchies) {
  for (uint64_t seed = 1; seed <= 70; ++seed) {
    auto c = case_of(seed);
    auto h = random_hierarchy(seed, c.shape);
    auto p = plan::make_plan(h, {}, c.opts);
    auto v = order_violations(h, p);
    ASSERT_TRUE(v.empty()) << "seed " << seed << " (" << c.shape.sites << " sites): " << v.front() << " (+"
                           << v.size() - 1 << " more)";
  }
}

TEST(PlanProperties, MaxParallelHoldsForAnyTiming) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    auto c = case_of(seed);
    auto h = random_hierarchy(seed, c.shape);
    auto p = plan::make_plan(h, {}, c.opts);
    std::vector<double> d;
    for (const auto& s : p.steps) d.push_back(s.estimate_min);
    ASSERT_EQ(parallel_violations(p, d), std::vector<std::string>{}) << "seed " << seed;
    // Steps that take far more or less than estimated must not break it.
    std::mt19937_64 rng(seed);
    for (int round = 0; round < 5; ++round) {
      for (auto& x : d) x = std::uniform_real_distribution<double>(0.1, 500)(rng);
      ASSERT_EQ(parallel_violations(p, d), std::vector<std::string>{}) << "seed " << seed;
    }
  }
}

TEST(PlanProperties, MaxParallelOneRunsUpgradesOneAtATime) {
  Shape wide;
  wide.sites = 40;
  wide.depth_bias = 0;
  wide.sp2_share = 0;
  auto h = random_hierarchy(99, wide);
  plan::Options o;
  o.max_parallel = 1;
  auto p = plan::make_plan(h, {}, o);
  auto s = plan::schedule(p);
  std::vector<std::pair<double, double>> ups;
  for (size_t i = 0; i < p.steps.size(); ++i) {
    if (p.steps[i].kind == "upgrade") ups.push_back({s.start[i], s.finish[i]});
  }
  ASSERT_EQ(ups.size(), 40u);
  std::sort(ups.begin(), ups.end());
  for (size_t i = 1; i < ups.size(); ++i) EXPECT_LE(ups[i - 1].second, ups[i].first);
}

// The lower bound of --max-parallel: forty sibling primaries, all free to
// upgrade once the central site is verified, upgrade max_parallel at a time
// at the peak, not fewer (all forced into one lane kept every upper bound).
TEST(PlanProperties, SiblingUpgradesRunInParallelUpToTheLimitNotFewer) {
  Shape wide;
  wide.sites = 40;
  wide.depth_bias = 0;
  wide.sp2_share = 0;
  wide.secondary_share = 0;
  auto h = random_hierarchy(99, wide);
  for (int limit : {2, 3, 5, 8}) {
    plan::Options o;
    o.max_parallel = limit;
    auto p = plan::make_plan(h, {}, o);
    auto s = plan::schedule(p);
    std::vector<std::pair<double, int>> edges;  // (time, +1 start / -1 end), ends first at a tie
    for (size_t i = 0; i < p.steps.size(); ++i) {
      if (p.steps[i].kind != "upgrade") continue;
      edges.push_back({s.start[i], +1});
      edges.push_back({s.finish[i], -1});
    }
    std::sort(edges.begin(), edges.end());
    int now = 0, peak = 0;
    for (const auto& e : edges) peak = std::max(peak, now += e.second);
    EXPECT_EQ(peak, limit) << "--max-parallel " << limit;
  }
}

TEST(PlanProperties, MoreLanesNeverMakeThePlanLonger) {
  Shape wide;
  wide.sites = 80;
  wide.depth_bias = 0.2;
  auto h = random_hierarchy(5, wide);
  double prev = 1e18;
  for (int n : {1, 2, 4, 8}) {
    plan::Options o;
    o.max_parallel = n;
    double total = plan::schedule(plan::make_plan(h, {}, o)).total_min;
    EXPECT_LE(total, prev) << n << " lanes";
    prev = total;
  }
}

TEST(PlanProperties, SamePlanForTheSameInput) {
  auto c = case_of(12);
  auto h = random_hierarchy(12, c.shape);
  auto a = plan::to_json(plan::make_plan(h, {}, c.opts));
  auto b = plan::to_json(plan::make_plan(h, {}, c.opts));
  EXPECT_EQ(a.dump(), b.dump());
}

}  // namespace
}  // namespace smsup::testing

namespace smsup::testing {
namespace {

// The checks above must be able to fail: break plans on purpose.
TEST(PlanProperties, CheckerCatchesBrokenPlans) {
  Shape s;
  s.sites = 30;
  s.sp2_share = 0;
  auto h = random_hierarchy(3, s);
  auto p = plan::make_plan(h, {}, {});
  ASSERT_TRUE(order_violations(h, p).empty());
  auto broken = p;
  for (auto& st : broken.steps) {
    if (st.kind == "upgrade" && st.site != h.sites[h.central].code) {
      std::erase_if(st.after, [](const std::string& a) { return a.ends_with("/verify"); });
      break;
    }
  }
  EXPECT_FALSE(order_violations(h, broken).empty());
  broken = p;
  for (auto& st : broken.steps) {
    if (st.kind == "upgrade") st.after.clear();
  }
  EXPECT_FALSE(order_violations(h, broken).empty());
  std::vector<double> d;
  for (const auto& st : broken.steps) d.push_back(st.estimate_min);
  broken.options.max_parallel = 1;
  EXPECT_FALSE(parallel_violations(broken, d).empty());
}

}  // namespace
}  // namespace smsup::testing

namespace smsup::testing {
namespace {

// rules.md: "action: work the upgrade must include; plan turns each into
// steps". Every action finding on a site the plan upgrades names a step.
TEST(PlanProperties, EveryActionFindingIsAnsweredByAStep) {
  size_t checked = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    auto c = case_of(seed);
    auto h = random_hierarchy(seed, c.shape);
    rules::Options ro;
    ro.as_of = *parse_date("2006-06-12");
    ro.with_os_sp1 = c.opts.with_os_sp1;
    auto report = rules::evaluate(h, ro);
    for (const auto& f : plan::unwaived_blockers(report, {})) c.opts.waived.emplace_back(f.rule);
    auto p = plan::make_plan(h, report, c.opts);
    std::set<std::pair<std::string, std::string>> answered;  // (site, rule)
    for (const auto& s : p.steps) {
      for (const auto& w : s.why) answered.insert({s.site, w});
    }
    for (const auto& f : report.findings) {
      if (f.severity != rules::Gravity::action || f.site < 0) continue;
      const auto& site = h.sites[f.site];
      if (site.version.level >= SmsLevel::sp2) continue;  // rule 9: no steps
      ++checked;
      EXPECT_TRUE(answered.contains({site.code, std::string(f.rule)}))
          << "seed " << seed << ": " << f.rule << " on " << f.object << " (site " << site.code << ")";
    }
    ASSERT_FALSE(HasFailure()) << "seed " << seed;
  }
  EXPECT_GT(checked, 1000u);
}

}  // namespace
}  // namespace smsup::testing

namespace smsup::testing {
namespace {

// Random hierarchies exercise every step kind of the spec somewhere.
TEST(PlanProperties, EveryStepKindOccurs) {
  std::set<std::string> seen;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    auto c = case_of(seed);
    c.opts.with_os_sp1 = true;
    for (const auto& s : plan::make_plan(random_hierarchy(seed, c.shape), {}, c.opts).steps) seen.insert(s.kind);
  }
  for (auto kind : plan::step_kinds()) EXPECT_TRUE(seen.contains(std::string(kind))) << kind;
}

}  // namespace
}  // namespace smsup::testing

namespace smsup::testing {
namespace {

TEST(Properties, LaneEdgesAreNamedSoAFailedSiteHoldsUpNoUnrelatedOne) {
  Shape wide;
  wide.sites = 60;
  wide.depth_bias = 0.1;
  auto h = random_hierarchy(11, wide);
  plan::Options o;
  o.max_parallel = 2;
  auto p = plan::make_plan(h, {}, o);
  int lane_edges = 0;
  for (const auto& s : p.steps) {
    auto it = s.params.find("lane_after");
    if (it == s.params.end()) continue;
    ++lane_edges;
    ASSERT_TRUE(it->is_string());
    std::string pred = *it;
    EXPECT_EQ(s.kind, "upgrade");
    ASSERT_NE(p.find(pred), nullptr);
    EXPECT_EQ(p.find(pred)->kind, "upgrade");
    // Still an edge of the graph (so rule 8 holds for any executor), and
    // recognised as order only.
    EXPECT_NE(std::find(s.after.begin(), s.after.end(), pred), s.after.end());
    EXPECT_TRUE(plan::is_lane_edge(s, pred));
    for (const auto& a : s.after) {
      if (a != pred) {
        EXPECT_FALSE(plan::is_lane_edge(s, a));
      }
    }
  }
  EXPECT_GT(lane_edges, 0);
}

}  // namespace
}  // namespace smsup::testing
