// The CLI of report and serve, and the ETA in `smsup status`, end to end.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "plan/plan.h"
#include "run/journal.h"
#include "serving.h"
#include "support.h"
#include "web/server.h"

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

// The plan saved in `d` and a journal bound to it (no step run yet).
plan::Plan bound_journal(const test::TempDir& d) {
  auto p = small_plan();
  plan::save(p, d / "plan.json");
  run::Journal(d / "j.db").bind(p, "digest", d / "plan.json", "twin");
  return p;
}

// A server of that journal on a free loopback port.
web::ServeOptions serving_a_bound_journal(const test::TempDir& d) {
  bound_journal(d);
  web::ServeOptions o;
  o.sources.journal = d / "j.db";
  o.listen = "127.0.0.1:0";
  return o;
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

// A rehearsal edited or damaged by hand: each field report and serve read is
// checked first and refused where it stands, never read as something else.
// Until 2026-11-30 a "verified": 1 ended in nlohmann's "[json.exception.
// type_error.302] type must be boolean, but is number" (no file, no field),
// and "sites": 5 made a page without the sites, saying nothing.
TEST(ReportCli, ARehearsalOfTheWrongShapeIsRefusedWhereTheFieldStands) {
  test::TempDir d;
  auto refused = [&](const std::string& body, const std::string& want) {
    test::write_file(d / "reh.json", "{\n  \"format\": \"smsup-rehearsal/1\",\n" + body + "\n}\n");
    auto r = run_smsup({"report", "--rehearsal", d / "reh.json", "-o", d / "r.html"});
    EXPECT_EQ(r.status, 2) << body << "\n" << r.err;
    EXPECT_NE(r.err.find(want), std::string::npos) << body << "\n" << r.err;
    EXPECT_EQ(r.err.find("json.exception"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(d / "r.html"));
  };
  refused("  \"sites\": [{\"code\": \"CEN\",\n    \"verified\": 1}]",
          "reh.json:4:17: sites[0].verified: expected true or false");
  refused("  \"sites\": 5", "reh.json:3:12: sites: expected a list");
  refused("  \"sites\": [\"CEN\"]", "sites[0]: expected an object");
  refused("  \"ok\": \"yes\"", "reh.json:3:9: ok: expected true or false");
  refused("  \"failed_steps\": -1", "failed_steps: expected a whole number");
  refused("  \"steps\": [{\"id\": \"CEN/upgrade\", \"start_min\": 10, \"end_min\": 1e308}]",
          "steps[0].end_min: expected minutes of virtual time");
  refused("  \"steps\": [{\"id\": \"CEN/upgrade\", \"start_min\": 10, \"end_min\": 5}]",
          "steps[0].end_min: expected an end no earlier than start_min");
  refused("  \"steps\": [{\"status\": \"ok\"}]", "steps[0].id: expected the step's id");
  refused("  \"clients\": {\"days\": [{\"sp2\": 1.5}]}", "clients.days[0].sp2: expected a whole number");
  refused("  \"clients\": \"many\"", "clients: expected an object");
  // The format line itself, of another kind: refused as not a rehearsal (it was type_error.302).
  test::write_file(d / "reh.json", "{\"format\": 5}\n");
  auto r = run_smsup({"report", "--rehearsal", d / "reh.json", "-o", d / "r.html"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("not a rehearsal"), std::string::npos) << r.err;
}

TEST(ReportCli, PlanAndJournalMakeOnePageWithTheEta) {
  test::TempDir d;
  bound_journal(d);
  {
    run::Journal j(d / "j.db");
    j.record(run::Change("SE1/step0", run::State::running));
    j.record(run::Change("SE1/step0", run::State::succeeded));
    j.record(run::Change("SE1/step1", run::State::running));
  }
  auto r = run_smsup({"report", "--journal", d / "j.db", "-o", d / "r.html"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::string html = test::read_file(d / "r.html");
  EXPECT_NE(html.find("id=\"eta\""), std::string::npos);
  // The Gantt chart's row of the running step, in the data the page draws.
  EXPECT_NE(html.find(R"(["SE1/step1","running",)"), std::string::npos);

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
  bound_journal(d);
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

// A hundred viewers opening the page at once are all let in: the listening
// socket's backlog is the system's, not cpp-httplib's built-in 5 (with 5, the
// kernel drops the other SYNs and those browsers wait a second or more to
// try again). The server is bound but does not accept yet, so every
// connection must wait in the backlog.
TEST(ServeBacklog, AHundredConnectionsAtOnceAllCompleteWithoutRetrying) {
  test::TempDir d;
  web::Server server(serving_a_bound_journal(d));
  int port = server.bind();
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<pollfd> fds;
  for (int n = 0; n < 100; ++n) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    ::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);  // EINPROGRESS
    fds.push_back({fd, POLLOUT, 0});
  }
  // A dropped SYN is sent again after 1 s: connections still pending at
  // 800 ms were dropped, not slow.
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(800);
  int done = 0;
  while (done < 100 && std::chrono::steady_clock::now() < until) {
    ::poll(fds.data(), fds.size(), 50);
    done = 0;
    for (auto& f : fds) done += (f.revents & POLLOUT) != 0;
  }
  int established = 0;
  for (auto& f : fds) {
    int err = -1;
    socklen_t len = sizeof err;
    if ((f.revents & POLLOUT) && ::getsockopt(f.fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) ++established;
    ::close(f.fd);
  }
  EXPECT_EQ(established, 100) << "connections the listen backlog did not take at once";
}

// A page of another site can rebind its own name to 127.0.0.1 and so reach
// a server on loopback from the user's browser; it is told apart by the Host
// it sends. Only loopback addresses and "localhost" are this machine: a name
// that merely starts with "127." is a name (it was taken for loopback).
TEST(ServeHost, OnlyLoopbackAddressesAndLocalhostAreLetInAsHost) {
  test::TempDir d;
  test::Serving s(serving_a_bound_journal(d));
  httplib::Client c("127.0.0.1", s.port);
  std::string port = ":" + std::to_string(s.port);
  for (std::string host : {"127.0.0.1", "127.0.0.2", "localhost", "[::1]"}) {
    auto r = c.Get("/api/status", {{"Host", host + port}});
    ASSERT_TRUE(r) << host << ": no answer";
    EXPECT_EQ(r->status, 200) << host << ": " << r->body;
  }
  for (std::string host : {"127.attacker.example", "127.0.0.1.attacker.example", "evil.example", "10.0.0.5"}) {
    auto r = c.Get("/api/status", {{"Host", host + port}});
    ASSERT_TRUE(r) << host << ": no answer";
    EXPECT_EQ(r->status, 403) << host << " let in: " << r->body;
  }
  EXPECT_TRUE(web::is_loopback("127.255.0.9"));
  EXPECT_TRUE(web::is_loopback("0:0:0:0:0:0:0:1"));
  EXPECT_FALSE(web::is_loopback("127.attacker.example"));
  EXPECT_FALSE(web::is_loopback("127."));
  EXPECT_FALSE(web::is_loopback("::ffff:10.0.0.5"));
}

}  // namespace
}  // namespace smsup
