// The CLI of report and serve, and the ETA in `smsup status`, end to end.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "plan/plan.h"
#include "run/journal.h"
#include "support.h"

namespace smsup {
namespace {

using test::run_smsup;

plan::Plan small_plan() {
  plan::Plan p;
  p.hierarchy = "T";
  p.created = "test";
  for (int i = 0; i < 3; ++i) {
    plan::Step s;
    s.id = "SE1/step" + std::to_string(i);
    s.kind = "upgrade";
    s.site = "SE1";
    s.title = "step " + std::to_string(i);
    s.estimate_min = 10;
    if (i > 0) s.after = {"SE1/step" + std::to_string(i - 1)};
    p.steps.push_back(s);
  }
  return p;
}

TEST(ReportCli, NothingToShowIsBadInput) {
  test::TempDir d;
  auto r = run_smsup({"report", "-o", d / "r.html"});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("nothing to show"), std::string::npos) << r.err;
}

TEST(ReportCli, MalformedRehearsalNamesFileAndLine) {
  test::TempDir d;
  test::write_file(d / "reh.json", "{\n  \"format\": \"smsup-rehearsal/1\",\n  oops\n}\n");
  auto r = run_smsup({"report", "--rehearsal", d / "reh.json", "-o", d / "r.html"});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("reh.json:3"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "r.html"));
}

TEST(ReportCli, PlanAndJournalMakeOnePageWithTheEta) {
  test::TempDir d;
  auto p = small_plan();
  plan::save(p, d / "plan.json");
  {
    run::Journal j(d / "j.db");
    j.bind(p, "digest", d / "plan.json", "twin");
    j.record(run::Change("SE1/step0", run::State::running));
    j.record(run::Change("SE1/step0", run::State::succeeded));
    j.record(run::Change("SE1/step1", run::State::running));
  }
  auto r = run_smsup({"report", "--journal", d / "j.db", "-o", d / "r.html"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::string html = test::read_file(d / "r.html");
  EXPECT_NE(html.find("id=\"eta\""), std::string::npos);
  EXPECT_NE(html.find("data-step=\"SE1/step1\" data-state=\"running\""), std::string::npos);

  auto st = run_smsup({"status", "--journal", d / "j.db", "--format", "json"});
  auto js = nlohmann::json::parse(st.out);
  ASSERT_TRUE(js["eta"].is_object()) << st.out;
  EXPECT_FALSE(js["eta"]["complete"].get<bool>());
  EXPECT_GT(js["eta"]["remaining_min"].get<double>(), 0);
  auto text = run_smsup({"status", "--journal", d / "j.db"});
  EXPECT_NE(text.out.find("ETA: "), std::string::npos) << text.out;
}

TEST(ServeCli, NonLoopbackWithoutTokenExits2) {
  test::TempDir d;
  auto p = small_plan();
  plan::save(p, d / "plan.json");
  {
    run::Journal j(d / "j.db");
    j.bind(p, "digest", d / "plan.json", "twin");
  }
  auto r = run_smsup({"serve", "--journal", d / "j.db", "--listen", "0.0.0.0:0"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--token-file"), std::string::npos) << r.err;
  test::write_file(d / "short", "abc\n");
  r = run_smsup({"serve", "--journal", d / "j.db", "--listen", "0.0.0.0:0", "--token-file", d / "short"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("16 characters"), std::string::npos) << r.err;
  r = run_smsup({"serve", "--journal", d / "j.db", "--listen", "127.0.0.1"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--listen"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace smsup
