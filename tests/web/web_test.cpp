// src/web and run/eta: escaping, the page's shapes, the ETA's correction by
// observed durations, the server's option checks.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "run/eta.h"
#include "util/error.h"
#include "web/html.h"
#include "web/report.h"
#include "web/server.h"

namespace smsup {
namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

// The JSON of the page's data block script#ID (what its script draws from).
nlohmann::json data_block(const std::string& html, const std::string& id) {
  std::string open = "<script type=\"application/json\" id=\"" + id + "\">";
  auto b = html.find(open);
  if (b == std::string::npos) return nullptr;
  b += open.size();
  return nlohmann::json::parse(html.substr(b, html.find("</script>", b) - b));
}

plan::Plan chain_plan() {
  plan::Plan p;
  p.hierarchy = "T";
  for (int i = 0; i < 3; ++i) {
    plan::Step s;
    s.id = "S1/step" + std::to_string(i);
    s.kind = "upgrade";
    s.site = "S1";
    s.estimate_min = 10;
    if (i > 0) s.after = {"S1/step" + std::to_string(i - 1)};
    p.steps.push_back(s);
  }
  return p;
}

std::vector<run::JournalStep> journal_of(const plan::Plan& p) {
  std::vector<run::JournalStep> out;
  for (const auto& s : p.steps) {
    run::JournalStep j;
    j.id = s.id;
    j.kind = s.kind;
    j.site = s.site;
    out.push_back(j);
  }
  return out;
}

TEST(Html, EscapesEveryMarkupCharacter) {
  EXPECT_EQ(web::esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  EXPECT_EQ(web::esc("plain CEN/upgrade"), "plain CEN/upgrade");
}

TEST(Page, HostileStepIdsStayText) {
  auto p = chain_plan();
  p.steps[1].id = "\"><img src=x onerror=alert(1)>";
  p.steps[2].after = {p.steps[1].id};
  p.hierarchy = "<script>alert(1)</script>";
  auto j = journal_of(p);
  j[1].state = run::State::failed;
  j[1].output_tail = "</pre><script>alert(2)</script>";
  web::Inputs in;
  in.title = p.hierarchy;
  in.plan = &p;
  in.journal = &j;
  auto html = web::render_page(in, {true, true, "1"});
  EXPECT_EQ(count(html, "<img"), 0u);
  // The page's own script at the end, and the Gantt chart's data block.
  EXPECT_EQ(count(html, "<script>"), 1u);
  EXPECT_EQ(count(html, "<script type=\"application/json\""), 1u);
  EXPECT_EQ(count(html, "<script"), 2u);
  EXPECT_EQ(count(html, "</script>"), 2u);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;/pre&gt;&lt;script&gt;alert(2)"), std::string::npos);
  // In the data the id is the same characters, as JSON the script reads.
  auto gantt = data_block(html, "gantt-data");
  ASSERT_TRUE(gantt.is_object());
  EXPECT_EQ(gantt["rows"][1][0], p.steps[1].id);
  EXPECT_EQ(gantt["rows"][1][1], "failed");
}

TEST(Page, DataBlocksCannotEndTheirScriptElement) {
  // A value that would close the element or open a comment stays data.
  auto p = chain_plan();
  p.steps[0].id = "</script><script>alert(1)</script><!--";
  p.steps[1].after = {p.steps[0].id};
  web::Inputs in;
  in.plan = &p;
  auto html = web::render_page(in);
  EXPECT_EQ(count(html, "</script>"), 2u);
  EXPECT_EQ(count(html, "<!--"), 0u);
  auto gantt = data_block(html, "gantt-data");
  ASSERT_TRUE(gantt.is_object());
  EXPECT_EQ(gantt["rows"][0][0], p.steps[0].id);
  std::string buf;
  web::put_data(buf, "x", R"({"a":"</SCRIPT>&<!--"})");
  EXPECT_EQ(buf, R"(<script type="application/json" id="x">{"a":"\u003c/SCRIPT\u003e\u0026\u003c!--"}</script>)");
}

TEST(Page, OneGanttBarPerStepAndTheCriticalPath) {
  auto p = chain_plan();
  web::Inputs in;
  in.plan = &p;
  auto html = web::render_page(in);
  auto gantt = data_block(html, "gantt-data");
  ASSERT_TRUE(gantt.is_object());
  ASSERT_EQ(gantt["rows"].size(), 3u);
  for (const auto& r : gantt["rows"]) EXPECT_EQ(r[4].get<int>() & 1, 1) << r;  // a chain is all critical
  EXPECT_EQ(gantt["rows"][2][5], "20 min");                                    // starts after two 10-min steps
  EXPECT_LT(gantt["rows"][0][2].get<double>(), gantt["rows"][1][2].get<double>());
  EXPECT_NE(html.find("connect-src 'none'"), std::string::npos);
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org/2000/svg"));  // no link out but the SVG namespace
}

TEST(Eta, ObservedSlownessStretchesTheRemainingStepsOfThatKind) {
  auto p = chain_plan();
  auto j = journal_of(p);
  double t0 = 1'000'000;
  j[0].state = run::State::succeeded;
  j[0].started = t0;
  j[0].finished = t0 + 14 * 60;  // 40 % over its 10 minutes
  auto e = run::estimate(p, j, t0 + 14 * 60);
  ASSERT_EQ(e.kinds.size(), 1u);
  EXPECT_NEAR(e.kinds[0].factor, 1.4, 1e-9);
  EXPECT_NEAR(e.remaining_min, 28, 1e-6);
  EXPECT_NEAR(e.finish, t0 + 14 * 60 + 28 * 60, 1e-3);
  ASSERT_EQ(e.sites.size(), 1u);
  EXPECT_EQ(e.sites[0].done, 1);
  EXPECT_FALSE(e.complete);
}

TEST(Eta, RunningStepCountsOnlyWhatIsLeftAndRehearsalReplacesEstimates) {
  auto p = chain_plan();
  auto j = journal_of(p);
  double now = 2'000'000;
  j[0].state = run::State::running;
  j[0].started = now - 4 * 60;
  std::map<std::string, double> reh{{"S1/step0", 20}, {"S1/step1", 20}, {"S1/step2", 20}};
  auto e = run::estimate(p, j, now, reh);
  EXPECT_EQ(e.base, "rehearsal durations");
  EXPECT_NEAR(e.remaining_min, 16 + 20 + 20, 1e-6);
}

TEST(Eta, CompleteWhenEveryStepSucceeded) {
  auto p = chain_plan();
  auto j = journal_of(p);
  for (auto& s : j) {
    s.state = run::State::succeeded;
    s.started = 10;
    s.finished = 610;
  }
  auto e = run::estimate(p, j, 1000);
  EXPECT_TRUE(e.complete);
  EXPECT_NEAR(e.remaining_min, 0, 1e-9);
  EXPECT_EQ(run::to_text(e), "ETA: the campaign is complete\n");
}

TEST(Serve, ListenAddressesAndLoopback) {
  EXPECT_EQ(web::parse_listen("127.0.0.1:8040"), std::make_pair(std::string("127.0.0.1"), 8040));
  EXPECT_EQ(web::parse_listen("[::1]:0"), std::make_pair(std::string("::1"), 0));
  EXPECT_THROW(web::parse_listen("127.0.0.1"), InputError);
  EXPECT_THROW(web::parse_listen("127.0.0.1:99999"), InputError);
  EXPECT_THROW(web::parse_listen("host:8x"), InputError);
  try {
    web::parse_listen(":80");
    ADD_FAILURE() << ":80 accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("has no host"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(web::is_loopback("127.0.0.1"));
  EXPECT_TRUE(web::is_loopback("::1"));
  EXPECT_FALSE(web::is_loopback("0.0.0.0"));
  EXPECT_FALSE(web::is_loopback("10.0.0.5"));
}

TEST(Serve, NonLoopbackWithoutTokenIsRefused) {
  web::ServeOptions o;
  o.sources.journal = "/nonexistent/journal.db";
  o.listen = "0.0.0.0:8040";
  try {
    web::Server s(o);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_NE(e.message().find("--token-file"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace smsup
