#include <gtest/gtest.h>

#include <set>

#include "helpers.h"
#include "plan/planner.h"
#include "plan/render.h"

namespace smsup::testing {
namespace {

struct Shown {
  plan::Plan p = plan::make_plan(small(), {}, {});
  plan::Schedule s = plan::schedule(p);
};

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(PlanRender, WavesFollowTheUpgradedParents) {
  Shown x;
  auto w = plan::waves_of(x.p);
  for (size_t i = 0; i < x.p.steps.size(); ++i) {
    const auto& s = x.p.steps[i];
    int want = s.site == "*"     ? (s.kind == "readiness" ? -1 : 3)
               : s.site == "CEN" ? 0
               : s.site == "SE1" ? 2
                                 : 1;  // PR1, and PR3 below PR2 (already SP2)
    EXPECT_EQ(w[i], want) << s.id;
  }
}

TEST(PlanRender, RunbookNumbersEveryStepAndMarksManualOnes) {
  Shown x;
  auto md = plan::render_markdown(x.p, x.s);
  size_t manual = 0;
  for (size_t i = 0; i < x.p.steps.size(); ++i) {
    const auto& s = x.p.steps[i];
    manual += s.manual ? 1 : 0;
    auto heading = "#### " + std::to_string(i + 1) + ". " + (s.manual ? "**[MANUAL]** " : "") + s.title;
    EXPECT_NE(md.find(heading), std::string::npos) << heading;
  }
  EXPECT_EQ(count(md, "**[MANUAL]** "), manual);
  EXPECT_EQ(count(md, "- [ ] done"), x.p.steps.size());
  EXPECT_NE(md.find("## Wave 0 (central site)"), std::string::npos);
  EXPECT_NE(md.find("## Wave 2"), std::string::npos);
  EXPECT_NE(md.find("### Site SE1 (secondary site, upgraded from PR1's console)"), std::string::npos);
  EXPECT_NE(md.find("## After every site and client"), std::string::npos);
  EXPECT_NE(md.find(plan::format_minutes(x.s.total_min)), std::string::npos);
}

TEST(PlanRender, RunbookWritesOutTheChecklistProcedures) {
  Shown x;
  auto md = plan::render_markdown(x.p, x.s);
  for (const char* want :
       {"Tools > Replication > Disable Publishing", "Yes, disable publishing",
        "Run `setup.exe /testdbupgrade SMS_CEN` from the extracted files", "On the Site Selection page, select SE1",
        "Wait at least 30 minutes after setup", "Processing site shutdown transaction",
        "Always install (repair or upgrade existing client)", "every 25 hours", "cliupgrade /disable): WS005",
        "SMSITMU.msi", "C:\\SMS\\custom\\report.vbs"}) {
    EXPECT_NE(md.find(want), std::string::npos) << want;
  }
}

TEST(PlanRender, GanttMarksTheCriticalPathAndTheTotal) {
  Shown x;
  auto g = plan::render_gantt(x.p, x.s, 40);
  std::vector<std::string> lines;
  for (size_t at = 0, nl; (nl = g.find('\n', at)) != std::string::npos; at = nl + 1) {
    lines.push_back(g.substr(at, nl - at));
  }
  ASSERT_EQ(lines.size(), x.p.steps.size() + 6);  // title, blank, header, steps, blank, path, total
  std::set<size_t> crit(x.s.critical.begin(), x.s.critical.end());
  for (size_t i = 0; i < x.p.steps.size(); ++i) {
    const auto& line = lines[3 + i];
    EXPECT_NE(line.find(" " + x.p.steps[i].id + " "), std::string::npos) << line;
    EXPECT_EQ(line[5] == '*', crit.contains(i)) << line;
    EXPECT_EQ(line.find('#') != std::string::npos, crit.contains(i)) << line;
    EXPECT_EQ(line[6] == 'M', x.p.steps[i].manual) << line;
  }
  EXPECT_EQ(lines.back(), "Total: " + plan::format_minutes(x.s.total_min));
}

TEST(PlanRender, DotQuotesTitlesAndDrawsEveryEdge) {
  Shown x;
  x.p.steps[1].title = "Say \"hello\" \\ there";
  auto dot = plan::render_dot(x.p, x.s);
  EXPECT_NE(dot.find("Say \\\"hello\\\" \\\\ there"), std::string::npos);
  size_t edges = 0;
  for (const auto& s : x.p.steps) edges += s.after.size();
  EXPECT_EQ(count(dot, " -> "), edges);
  EXPECT_NE(dot.find("subgraph \"cluster_SE1\""), std::string::npos);
}

TEST(PlanRender, JsonCarriesTheScheduleAndReadsBackAsAPlan) {
  Shown x;
  auto j = nlohmann::json::parse(plan::render_json(x.p, x.s));
  EXPECT_EQ(j["schedule"]["total_min"].get<double>(), x.s.total_min);
  EXPECT_EQ(j["schedule"]["steps"]["CEN/verify"]["start_min"].get<double>(),
            x.s.start[static_cast<size_t>(x.p.find("CEN/verify") - x.p.steps.data())]);
  EXPECT_EQ(plan::from_json(j, "shown.json").steps.size(), x.p.steps.size());
}

}  // namespace
}  // namespace smsup::testing

namespace smsup::testing {
namespace {

// A hand-edited plan may hold params of any type: showing it never throws.
TEST(PlanRender, OddParamsNeverBreakTheRunbook) {
  Shown x;
  const nlohmann::json odd[] = {
      nullptr, 7, "text", true, nlohmann::json::array({1, "a", nullptr}), nlohmann::json::object({{"k", 1}})};
  for (const auto& value : odd) {
    auto p = x.p;
    for (auto& s : p.steps) {
      for (auto& [key, v] : s.params.items()) v = value;
      s.params["clients"] = value;
    }
    EXPECT_NO_THROW(plan::render_markdown(p, x.s)) << value.dump();
    EXPECT_NO_THROW(plan::render_dot(p, x.s));
    EXPECT_NO_THROW(plan::render_gantt(p, x.s));
    EXPECT_NO_THROW(plan::summary_json(p, x.s));
  }
}

}  // namespace
}  // namespace smsup::testing
