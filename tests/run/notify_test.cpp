// apply --notify: the sender against receivers on loopback (cpp-httplib
// servers in this test) that answer, fail first, hang or are not there; the
// journal handing its events on; and apply end to end with a receiver.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "fake_driver.h"
#include "plan/plan.h"
#include "run/executor.h"
#include "run/journal.h"
#include "run/notify.h"
#include "plan_steps.h"
#include "support.h"
#include "util/error.h"

using namespace smsup;
using namespace smsup::run;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

using test::has;

// A receiver on 127.0.0.1: keeps every body it accepts; answers 500 to the
// first `fail_first` requests; with `hang`, holds every request until the
// receiver goes.
class Receiver {
 public:
  explicit Receiver(int fail_first = 0, bool hang = false) : fail_first_(fail_first), hang_(hang) {
    http_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::unique_lock lk(mu_);
      ++requests_;
      headers_.push_back(req.get_header_value("Authorization"));
      if (hang_) {
        cv_.wait(lk, [&] { return closing_; });
        res.status = 503;
        return;
      }
      if (fail_first_ > 0) {
        --fail_first_;
        res.status = 500;
        return;
      }
      bodies_.push_back(json::parse(req.body));
      res.set_content("{}", "application/json");
    });
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    test::eventually([this] { return http_.is_running(); }, std::chrono::seconds(10));
  }
  ~Receiver() {
    {
      std::lock_guard lk(mu_);
      closing_ = true;
    }
    cv_.notify_all();
    http_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<json> bodies() {
    std::lock_guard lk(mu_);
    return bodies_;
  }
  int requests() {
    std::lock_guard lk(mu_);
    return requests_;
  }
  std::vector<std::string> auth() {
    std::lock_guard lk(mu_);
    return headers_;
  }

 private:
  httplib::Server http_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool closing_ = false;
  int fail_first_;
  bool hang_;
  int requests_ = 0;
  std::vector<json> bodies_;
  std::vector<std::string> headers_;
};

// A loopback port nothing listens on: a receiver that is down.
std::string dead_url() {
  httplib::Server s;
  int port = s.bind_to_any_port("127.0.0.1");
  return "http://127.0.0.1:" + std::to_string(port) + "/hook";  // closed when s goes
}

Event ev(int64_t seq) { return {seq, 1.7e9 + static_cast<double>(seq), "S" + std::to_string(seq), "running", "executor", "", "ann@desk", "desk"}; }

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST(Notify, AReceiverThatFailsFirstGetsEveryEventOnceInOrder) {
  Receiver r(3);
  NotifyOptions o;
  o.urls = {r.url()};
  o.campaign = "spring";
  o.backoff = 5ms;
  HttpNotifier n(o);
  for (int i = 1; i <= 20; ++i) n.send(ev(i));
  auto stats = n.finish(20s);
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].delivered, 20);
  EXPECT_EQ(stats[0].dropped + stats[0].failed + stats[0].unsent, 0);
  auto got = r.bodies();
  ASSERT_EQ(got.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(got[i]["seq"], i + 1);
    EXPECT_EQ(got[i]["step"], "S" + std::to_string(i + 1));
    EXPECT_EQ(got[i]["campaign"], "spring");
    EXPECT_EQ(got[i]["who"], "ann@desk");
  }
  EXPECT_EQ(r.requests(), 23);  // three 500s, then each once
}

TEST(Notify, ADeadReceiverDropsTheOldestAndFinishWaitsOnlyItsBound) {
  NotifyOptions o;
  o.urls = {dead_url()};
  o.queue = 5;
  o.backoff = 50ms;
  HttpNotifier n(o);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 1; i <= 100; ++i) n.send(ev(i));
  EXPECT_LT(seconds_since(t0), 0.5) << "send() must never wait for the receiver";
  auto t1 = std::chrono::steady_clock::now();
  auto stats = n.finish(300ms);
  EXPECT_LT(seconds_since(t1), 3.0);
  ASSERT_EQ(stats.size(), 1u);
  const auto& s = stats[0];
  EXPECT_EQ(s.delivered, 0);
  EXPECT_GE(s.dropped, 94);  // at most the queue and one in flight kept
  EXPECT_EQ(s.dropped + s.failed + s.unsent, 100);
  EXPECT_TRUE(has(notify_summary(stats), "dropped (queue full)")) << notify_summary(stats);
}

TEST(Notify, AHangingReceiverIsCutOffAtTheEndOfTheWait) {
  Receiver r(0, true);
  NotifyOptions o;
  o.urls = {r.url()};
  o.timeout = 30s;  // longer than the test waits: only finish() ends the request
  HttpNotifier n(o);
  n.send(ev(1));
  n.send(ev(2));
  ASSERT_TRUE(test::eventually([&] { return r.requests() >= 1; }));
  auto t1 = std::chrono::steady_clock::now();
  auto stats = n.finish(200ms);
  EXPECT_LT(seconds_since(t1), 5.0);
  EXPECT_EQ(stats[0].delivered, 0);
  EXPECT_EQ(stats[0].unsent, 2);
}

TEST(Notify, AReceiverThatRefusesIsNotAskedAgain) {
  httplib::Server s;
  std::atomic<int> asked{0};
  s.Post("/hook", [&](const httplib::Request&, httplib::Response& res) {
    ++asked;
    res.status = 403;
  });
  int port = s.bind_to_any_port("127.0.0.1");
  std::thread th([&] { s.listen_after_bind(); });
  test::eventually([&] { return s.is_running(); }, std::chrono::seconds(10));
  NotifyOptions o;
  o.urls = {"http://127.0.0.1:" + std::to_string(port) + "/hook"};
  o.backoff = 1ms;
  HttpNotifier n(o);
  n.send(ev(1));
  auto stats = n.finish(10s);
  s.stop();
  th.join();
  EXPECT_EQ(asked.load(), 1);
  EXPECT_EQ(stats[0].failed, 1);
}

TEST(Notify, UrlsAreCheckedAndNeverHoldAPassword) {
  auto u = parse_notify_url("https://hooks.example.org/services/T1?x=1");
  EXPECT_EQ(u.origin(), "https://hooks.example.org:443");
  EXPECT_EQ(u.path, "/services/T1?x=1");
  EXPECT_EQ(parse_notify_url("http://[::1]:8080").origin(), "http://::1:8080");
  for (const char* bad : {"hooks.example.org/x", "ftp://h/x", "http://", "http://h:0/", "http://h:99999/",
                          "http://h:8o/", "https://user:secret@h/x", "http://h/a b"}) {
    try {
      parse_notify_url(bad);
      ADD_FAILURE() << bad << " was taken";
    } catch (const InputError& e) {
      EXPECT_EQ(e.field(), "--notify") << bad;
    }
  }
}

TEST(Notify, HeadersComeFromAFileAndABadLineIsNotRepeated) {
  test::TempDir t;
  test::write_file(t / "h", "# the team's webhook\nAuthorization: Bearer s3cr3t-token\n\nX-Team: ops\n");
  auto h = read_notify_headers(t / "h");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].first, "Authorization");
  EXPECT_EQ(h[0].second, "Bearer s3cr3t-token");
  test::write_file(t / "bad", "X-Team: ops\nBearer s3cr3t-token\n");
  try {
    read_notify_headers(t / "bad");
    ADD_FAILURE() << "a line without a header name was taken";
  } catch (const InputError& e) {
    EXPECT_EQ(e.loc().line, 2);
    EXPECT_FALSE(has(e.what(), "s3cr3t")) << e.what();
  }
}

// The journal hands each committed event on, in order, with its number:
// the executor's events reach a notifier exactly as the journal holds them.
TEST(Notify, TheJournalHandsOnEveryCommittedEventInOrder) {
  test::TempDir t;
  auto p = test::plan_of({test::step("A/backup"), test::step("A/upgrade", {"A/backup"}),
                          test::step("B/backup"), test::step("B/upgrade", {"B/backup"})});
  Journal j(t / "j.db");
  std::vector<Event> seen;
  j.on_event([&](const Event& e) { seen.push_back(e); });
  j.bind(p, "digest", "plan.json", "fake");
  test::FakeDriver d;
  d.fail = {"B/backup"};
  Options o;
  o.tick = 2ms;
  Executor(p, j, d, o, nullptr).run();
  auto all = j.events();
  ASSERT_EQ(seen.size(), all.size());
  ASSERT_FALSE(all.empty());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(seen[i].seq, all[i].seq);
    EXPECT_EQ(seen[i].step, all[i].step);
    EXPECT_EQ(seen[i].state, all[i].state);
  }
  // The skip the failure's cascade wrote in the same commit is handed on too.
  EXPECT_TRUE(std::any_of(seen.begin(), seen.end(),
                          [](const Event& e) { return e.step == "B/upgrade" && e.state == "skipped"; }));
}

namespace {

using test::site_step;

void write_case(const test::TempDir& t) {
  plan::Plan p;
  p.hierarchy = "Contoso";
  p.inventory_sha256 = "none";
  p.created = "2026-11-25T00:00:00Z";
  p.steps = {site_step("CEN/backup", "backup", {}), site_step("CEN/drw", "drw", {"CEN/backup"}, true),
             site_step("PR1/backup", "backup", {}), site_step("PR1/upgrade", "upgrade", {"PR1/backup"})};
  plan::save(p, t / "plan.json");
  std::ofstream(t / "hosts.yaml") << "format: smsup-hosts/1\ntimeout: 20s\nkinds:\n"
                                  << "  backup:\n    command: [/bin/true]\n"
                                  << "  upgrade:\n    command: [/bin/false]\n";
}

std::vector<std::string> apply(const test::TempDir& t, std::vector<std::string> extra) {
  std::vector<std::string> a = {"apply", t / "plan.json", "--target", "shell", "--hosts",
                                t / "hosts.yaml", "--journal", t / "j.db", "--plain"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

}  // namespace

TEST(NotifyCli, ApplyPostsEveryStateChangeAndTheEndWithTheHeaderFromAFile) {
  test::TempDir t;
  write_case(t);
  Receiver r;
  test::write_file(t / "headers", "Authorization: Bearer s3cr3t-token\n");
  auto ran = test::run_smsup(apply(t, {"--notify-header", t / "headers", "--operator", "ann@desk1"}),
                             {"SMSUP_NOTIFY=" + r.url()});
  EXPECT_EQ(ran.status, 1) << ran.out << ran.err;  // PR1/upgrade fails, CEN/drw waits
  EXPECT_FALSE(has(ran.out + ran.err, "s3cr3t")) << ran.out << ran.err;
  auto events = json::parse(test::run_smsup({"status", "--events", "--format", "json", "--journal", t / "j.db"}).out);
  auto got = r.bodies();
  ASSERT_EQ(got.size(), events["events"].size() + 1) << ran.out;
  for (size_t i = 0; i + 1 < got.size(); ++i) {
    EXPECT_EQ(got[i]["seq"], static_cast<int64_t>(i + 1));
    EXPECT_EQ(got[i]["step"], events["events"][i]["step"]);
    EXPECT_EQ(got[i]["state"], events["events"][i]["state"]);
    EXPECT_EQ(got[i]["who"], "ann@desk1");
    EXPECT_EQ(got[i]["campaign"], t / "j.db");
  }
  EXPECT_EQ(got.back()["state"], "finished");
  EXPECT_TRUE(has(got.back()["detail"].get<std::string>(), "1 failed")) << got.back();
  for (const auto& a : r.auth()) EXPECT_EQ(a, "Bearer s3cr3t-token");
  EXPECT_TRUE(has(ran.out, fmt::format("{} delivered", got.size()))) << ran.out;
}

TEST(NotifyCli, ADeadReceiverDoesNotHoldTheRunBeyondTheWaitAndTheLossIsSaid) {
  test::TempDir t;
  write_case(t);
  auto t0 = std::chrono::steady_clock::now();
  auto ran = test::run_smsup(apply(t, {"--notify", dead_url(), "--notify-wait", "1", "--notify-queue", "2"}));
  EXPECT_EQ(ran.status, 1) << ran.out << ran.err;
  EXPECT_LT(seconds_since(t0), 10.0);
  EXPECT_TRUE(has(ran.out, "0 delivered")) << ran.out;
  EXPECT_TRUE(has(ran.out, "dropped (queue full)")) << ran.out;
  EXPECT_TRUE(has(ran.out, "not sent before apply stopped waiting")) << ran.out;
}

TEST(NotifyCli, ABadUrlOrHeaderFileIsBadInput) {
  test::TempDir t;
  write_case(t);
  auto ran = test::run_smsup(apply(t, {"--notify", "https://ann:pw@hooks.example.org/x"}));
  EXPECT_EQ(ran.status, 2);
  EXPECT_TRUE(has(ran.err, "--notify")) << ran.err;
  EXPECT_FALSE(std::filesystem::exists(t / "j.db"));
  test::write_file(t / "headers", "Bearer s3cr3t-token\n");
  ran = test::run_smsup(apply(t, {"--notify", "http://127.0.0.1:9/x", "--notify-header", t / "headers"}));
  EXPECT_EQ(ran.status, 2);
  EXPECT_TRUE(has(ran.err, t / "headers" + ":1")) << ran.err;
  EXPECT_FALSE(has(ran.err, "s3cr3t")) << ran.err;
}
