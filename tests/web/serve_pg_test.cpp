// smsup serve on a PostgreSQL journal: an apply runs a campaign in a
// throwaway cluster on loopback (started here; the test fails, not skips,
// without PostgreSQL), serve reads it over its API and a person confirms a
// step through it; the change is in the journal for every other reader.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "pg_cluster.h"
#include "plan/plan.h"
#include "run/journal.h"
#include "plan_steps.h"
#include "serving.h"
#include "support.h"
#include "web/server.h"

using namespace smsup;
using json = nlohmann::json;

namespace {

using test::Serving;
using test::site_step;

}  // namespace

TEST(ServePg, ServesARunOnPostgreSQLAndAConfirmThroughTheApiReachesTheJournal) {
  REQUIRE_POSTGRES();
  test::TempDir t(test::TempDir::Access::everyone);
  pg->create_db("serve_pg");
  std::string journal = pg->url("serve_pg") + "?campaign=spring";
  plan::Plan p;
  p.hierarchy = "Contoso";
  p.inventory_sha256 = "none";
  p.created = "2026-11-25T00:00:00Z";
  p.steps = {site_step("CEN/backup", "backup", {}), site_step("CEN/drw", "drw", {"CEN/backup"}, true),
             site_step("CEN/upgrade", "upgrade", {"CEN/drw"})};
  plan::save(p, t / "plan.json");
  std::ofstream(t / "hosts.yaml") << "format: smsup-hosts/1\ntimeout: 20s\nkinds:\n"
                                  << "  backup:\n    command: [/bin/true]\n"
                                  << "  upgrade:\n    command: [/bin/true]\n";
  auto ran = test::run_smsup({"apply", t / "plan.json", "--target", "shell", "--hosts", t / "hosts.yaml", "--journal",
                              journal, "--work-dir", t / "work", "--plain", "--operator", "ann@desk1"});
  ASSERT_EQ(ran.status, 1) << ran.out << ran.err;  // CEN/drw waits for a person

  web::ServeOptions o;
  o.sources.journal = journal;
  o.sources.plan = t / "plan.json";
  o.listen = "127.0.0.1:0";
  o.poll_ms = 20;
  Serving s(o);
  httplib::Client c("127.0.0.1", s.port);

  auto status = c.Get("/api/status");
  ASSERT_TRUE(status) << "no answer from serve";
  ASSERT_EQ(status->status, 200) << status->body;
  auto js = json::parse(status->body);
  EXPECT_EQ(js["counts"]["succeeded"], 1) << js;
  EXPECT_EQ(js["counts"]["waiting"], 1) << js;
  EXPECT_EQ(js["counts"]["pending"], 1) << js;

  auto events = c.Get("/api/events");
  ASSERT_TRUE(events);
  ASSERT_EQ(events->status, 200) << events->body;
  auto ev = json::parse(events->body)["events"];
  ASSERT_EQ(ev.size(), 3u) << ev;  // backup running, succeeded; drw waiting
  EXPECT_EQ(ev[2]["step"], "CEN/drw");
  EXPECT_EQ(ev[2]["state"], "waiting");
  EXPECT_EQ(ev[2]["who"], "ann@desk1");

  httplib::Headers h{{"Origin", "http://127.0.0.1:" + std::to_string(s.port)}};
  // A NUL (JSON's \u0000) was taken and the text cut there (a name "Bob\0x"
  // recorded as "Bob"); a name with a line break or escape sequence was kept.
  // Refused in words now, nothing recorded.
  for (const char* body : {R"({"step": "CEN/drw", "who": "Bob\u0000", "note": "x"})",
                           R"({"step": "CEN/drw", "who": "Bob\n\u001b[2J", "note": "x"})",
                           R"({"step": "CEN/drw", "who": "Bob", "note": "wizard\u0000clean"})"}) {
    auto refused = c.Post("/api/confirm", h, body, "application/json");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400) << body << " " << refused->body;
  }
  EXPECT_EQ(run::Journal(journal, false).step("CEN/drw")->state, run::State::waiting);
  auto confirmed =
      c.Post("/api/confirm", h, R"({"step": "CEN/drw", "who": "Bob", "note": "wizard clean"})", "application/json");
  ASSERT_TRUE(confirmed);
  ASSERT_EQ(confirmed->status, 200) << confirmed->body;

  run::Journal other(journal, false);
  auto drw = other.step("CEN/drw");
  ASSERT_TRUE(drw);
  EXPECT_EQ(drw->state, run::State::succeeded);
  EXPECT_NE(drw->note.find("wizard clean"), std::string::npos) << drw->note;
  // serve sees its own change at once in the status it serves.
  ASSERT_TRUE(test::eventually([&] {
    auto r = c.Get("/api/status");
    return r && r->status == 200 && json::parse(r->body)["counts"]["waiting"] == 0;
  }));

  // The apply that goes on finishes the run; serve sees it through its poller.
  ran = test::run_smsup({"apply", t / "plan.json", "--target", "shell", "--hosts", t / "hosts.yaml", "--journal",
                         journal, "--work-dir", t / "work", "--plain", "--resume"});
  ASSERT_EQ(ran.status, 0) << ran.out << ran.err;
  EXPECT_TRUE(test::eventually([&] {
    auto r = c.Get("/api/status");
    return r && r->status == 200 && json::parse(r->body)["counts"]["succeeded"] == 3;
  })) << c.Get("/api/status")->body;
}
