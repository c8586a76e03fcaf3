// apply --notify: the sender against receivers on loopback (cpp-httplib
// servers in this test) that answer, fail first, hang or are not there; the
// journal handing its events on; and apply end to end with a receiver.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <httplib.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "fake_driver.h"
#include "plan/plan.h"
#include "run/eta.h"
#include "run/executor.h"
#include "run/journal.h"
#include "run/notify.h"
#include "run/sqlite.h"
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
  // With `cert` and `key`: an https receiver (httplib's SSLServer).
  explicit Receiver(int fail_first = 0, bool hang = false, X509* cert = nullptr, EVP_PKEY* key = nullptr)
      : fail_first_(fail_first), hang_(hang), tls_(cert != nullptr) {
    if (tls_) {
      http_ = std::make_unique<httplib::SSLServer>(cert, key);
    } else {
      http_ = std::make_unique<httplib::Server>();
    }
    http_->Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
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
    port_ = http_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_->listen_after_bind(); });
    test::eventually([this] { return http_->is_running(); }, std::chrono::seconds(10));
  }
  ~Receiver() {
    {
      std::lock_guard lk(mu_);
      closing_ = true;
    }
    cv_.notify_all();
    http_->stop();
    thread_.join();
  }
  std::string url() const {
    return (tls_ ? "https" : "http") + std::string("://127.0.0.1:") + std::to_string(port_) + "/hook";
  }
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
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool closing_ = false;
  int fail_first_;
  bool hang_;
  bool tls_;
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

Event ev(int64_t seq) {
  return {seq,   1.7e9 + static_cast<double>(seq), "S" + std::to_string(seq), "running", "executor", "", "ann@desk",
          "desk"};
}

// A throwaway CA of a team and a certificate it signs for 127.0.0.1 (an
// https receiver's), made with OpenSSL's C API; ca_pem is what
// --notify-ca names.
struct Pki {
  EVP_PKEY* ca_key = EVP_EC_gen("P-256");
  EVP_PKEY* key = EVP_EC_gen("P-256");
  // A name of its own: a verifier finds an issuer by its name.
  std::string ca_name = "smsup test CA " + std::to_string(reinterpret_cast<uintptr_t>(this));
  X509* ca = make(ca_name.c_str(), ca_key, nullptr, ca_key, true);
  X509* cert = make("127.0.0.1", key, ca, ca_key, false);
  Pki() = default;
  Pki(const Pki&) = delete;
  Pki& operator=(const Pki&) = delete;
  ~Pki() {
    X509_free(cert);
    X509_free(ca);
    EVP_PKEY_free(key);
    EVP_PKEY_free(ca_key);
  }
  std::string ca_pem() const {
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, ca);
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    std::string out(data, static_cast<size_t>(n));
    BIO_free(b);
    return out;
  }

  static X509* make(const char* cn, EVP_PKEY* key, X509* issuer, EVP_PKEY* signer, bool is_ca) {
    static long serial = 1;
    X509* c = X509_new();
    X509_set_version(c, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(c), serial++);
    X509_gmtime_adj(X509_getm_notBefore(c), -60);
    X509_gmtime_adj(X509_getm_notAfter(c), 3600);
    X509_set_pubkey(c, key);
    X509_NAME* name = X509_get_subject_name(c);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
    X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : c, c, nullptr, nullptr, 0);
    auto add = [&](int nid, const char* value) {
      X509_EXTENSION* e = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
      X509_add_ext(c, e, -1);
      X509_EXTENSION_free(e);
    };
    add(NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "CA:FALSE");
    if (is_ca) {
      add(NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
      add(NID_subject_alt_name, "IP:127.0.0.1");
    }
    X509_sign(c, signer, EVP_sha256());
    return c;
  }
};

// iso_time()'s form back to Unix seconds.
bool parse_iso_time(const std::string& s, double& out) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (!end || *end) return false;
  out = static_cast<double>(timegm(&tm));
  return true;
}

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
  // Odd events with an ETA an hour and a half after them, even ones without.
  for (int i = 1; i <= 20; ++i) n.send(ev(i), i % 2 ? std::optional<double>(ev(i).at + 5400.4) : std::nullopt);
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
    if (i % 2 == 0) {
      EXPECT_EQ(got[i]["remaining_seconds"], 5400) << got[i];
      EXPECT_EQ(got[i]["eta"], iso_time(ev(i + 1).at + 5400.4)) << got[i];
    } else {
      EXPECT_TRUE(got[i]["eta"].is_null()) << got[i];
      EXPECT_TRUE(got[i]["remaining_seconds"].is_null()) << got[i];
    }
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
  for (int i = 1; i <= 100; ++i) n.send(ev(i), std::nullopt);
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
  n.send(ev(1), std::nullopt);
  n.send(ev(2), std::nullopt);
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
  n.send(ev(1), std::nullopt);
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
  auto p = test::plan_of({test::step("A/backup"), test::step("A/upgrade", {"A/backup"}), test::step("B/backup"),
                          test::step("B/upgrade", {"B/backup"})});
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

// The ETA a notice carries, kept event by event, is at every event the one
// estimate() (what status and serve show) gives for the journal's steps then.
TEST(NotifyEta, KeptEventByEventItIsTheEstimateOfTheJournal) {
  test::TempDir t;
  auto p = test::plan_of({test::step("S/backup"), test::step("S/upgrade", {"S/backup"}),
                          test::step("S/check", {"S/upgrade"}), test::step("T/backup")});
  for (auto& [i, min] : {std::pair{0, 10.0}, {1, 60.0}, {2, 30.0}, {3, 5.0}})
    p.steps[static_cast<size_t>(i)].estimate_min = min;
  Journal j(t / "j.db");
  j.bind(p, "digest", "plan.json", "fake");
  EtaTracker eta(p, j.steps());
  struct Seen {
    Event e;
    double finish, expected;
  };
  std::vector<Seen> seen;
  j.on_event([&](const Event& e) {
    if (!eta.apply(e)) eta.reset(j.steps(), e.seq);
    seen.push_back({e, eta.finish(e.at), estimate(p, j.steps(), e.at).finish});
  });
  test::FakeDriver d;
  d.fail = {"S/check"};
  Options o;
  o.tick = 1ms;
  o.limits.max_parallel = 1;
  Executor(p, j, d, o, nullptr).run();
  ASSERT_EQ(seen.size(), j.events().size());
  auto remaining = [&](const std::string& step, const std::string& state) {
    for (const auto& s : seen) {
      if (s.e.step == step && s.e.state == state) return s.finish - s.e.at;
    }
    ADD_FAILURE() << "no event " << step << " " << state;
    return -1.0;
  };
  for (const auto& s : seen) {
    EXPECT_NEAR(s.finish, s.expected, 1e-6) << s.e.step << " " << s.e.state;
    EXPECT_GT(s.finish, s.e.at) << s.e.step << " " << s.e.state;  // S/check fails: 30 min are left
  }
  // By hand: each kind's first step starts when nothing of its kind was
  // observed, so the plan's minutes count as they are (S's chain, 100 min).
  EXPECT_NEAR(remaining("S/backup", "running"), 100 * 60, 1e-3);
  EXPECT_NEAR(remaining("S/upgrade", "running"), 90 * 60, 1e-3);
  EXPECT_NEAR(remaining("S/check", "running"), 30 * 60, 1e-3);
  EXPECT_NEAR(remaining("S/check", "failed"), 30 * 60, 1e-3);  // retried now

  // An event of another process came between (a retry): not the next
  // number, so the steps are read again.
  int64_t last = seen.back().e.seq;
  j.on_event({});
  Journal other(t / "j.db");
  other.retry("S/check", "by bob");
  EXPECT_FALSE(eta.apply({last + 2, seen.back().e.at + 1, "T/backup", "running", "executor", "", "", ""}));
  eta.reset(j.steps(), last + 1);
  double now = seen.back().e.at + 1;
  EXPECT_NEAR(eta.finish(now), estimate(p, j.steps(), now).finish, 1e-6);
  EXPECT_NEAR(eta.finish(now) - now, 30 * 60, 1e-3);
  EXPECT_TRUE(eta.apply({last + 2, now, "S/check", "running", "executor", "", "", ""}));
}

TEST(NotifyEta, NoticesSayNullWhenNothingIsEstimated) {
  auto n = notice_json(ev(1), "spring", std::nullopt);
  EXPECT_TRUE(n.contains("eta") && n["eta"].is_null()) << n;
  EXPECT_TRUE(n.contains("remaining_seconds") && n["remaining_seconds"].is_null()) << n;
  n = notice_json(ev(1), "spring", ev(1).at + 90);
  EXPECT_EQ(n["eta"], iso_time(ev(1).at + 90));
  EXPECT_EQ(n["remaining_seconds"], 90);
  // A graph that cannot be scheduled has no tracker (apply sends null).
  auto p = test::plan_of({test::step("A/x", {"B/x"}), test::step("B/x", {"A/x"})});
  EXPECT_THROW(EtaTracker(p, {}), std::invalid_argument);
}

// https: a receiver whose certificate a team's own CA signed gets the
// notices when --notify-ca names that CA; without it, or with another CA,
// nothing is sent to it and the reason is said, once per notice, not retried.
TEST(NotifyTls, NoticesArriveOverTlsWhenTheCaIsNamed) {
  test::TempDir t;
  Pki pki;
  test::write_file(t / "ca.pem", pki.ca_pem());
  EXPECT_EQ(check_notify_ca(t / "ca.pem"), 1);
  Receiver r(0, false, pki.cert, pki.key);
  NotifyOptions o;
  o.urls = {r.url()};
  o.ca_file = t / "ca.pem";
  HttpNotifier n(o);
  for (int i = 1; i <= 3; ++i) n.send(ev(i), std::nullopt);
  auto stats = n.finish(20s);
  EXPECT_EQ(stats[0].delivered, 3) << notify_summary(stats);
  ASSERT_EQ(r.bodies().size(), 3u);
  EXPECT_EQ(r.bodies()[2]["step"], "S3");
}

TEST(NotifyTls, AnUntrustedCertificateIsRefusedAndTheReasonSaid) {
  test::TempDir t;
  Pki pki, stranger;
  test::write_file(t / "other-ca.pem", stranger.ca_pem());
  Receiver r(0, false, pki.cert, pki.key);
  for (std::string ca : {std::string(), t / "other-ca.pem"}) {
    NotifyOptions o;
    o.urls = {r.url()};
    o.ca_file = ca;
    o.backoff = 1ms;
    HttpNotifier n(o);
    n.send(ev(1), std::nullopt);
    n.send(ev(2), std::nullopt);
    auto stats = n.finish(20s);
    EXPECT_EQ(stats[0].delivered, 0);
    EXPECT_EQ(stats[0].failed, 2) << "refused, not retried nor lost";
    std::string said = notify_summary(stats);
    EXPECT_TRUE(has(said, "the certificate of 127.0.0.1 is not trusted (unable to get local issuer certificate)"))
        << said;
    EXPECT_TRUE(has(said, "--notify-ca FILE")) << said;
  }
  EXPECT_EQ(r.requests(), 0) << "a notice was sent to a receiver whose certificate is not trusted";
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
  // Minutes: the longest path is PR1's, 70 min; after the run, the failed
  // upgrade (retried now) makes it 60.
  for (auto& [step, min] : {std::pair{0, 10.0}, {1, 30.0}, {2, 10.0}, {3, 60.0}})
    p.steps[static_cast<size_t>(step)].estimate_min = min;
  plan::save(p, t / "plan.json");
  std::ofstream(t / "hosts.yaml") << "format: smsup-hosts/1\ntimeout: 20s\nkinds:\n"
                                  << "  backup:\n    command: [/bin/true]\n"
                                  << "  upgrade:\n    command: [/bin/false]\n";
}

std::vector<std::string> apply(const test::TempDir& t, std::vector<std::string> extra) {
  std::vector<std::string> a = {"apply",          t / "plan.json", "--target", "shell",  "--hosts",
                                t / "hosts.yaml", "--journal",     t / "j.db", "--plain"};
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

// Every notice of a run carries when the run is expected to end, from the
// plan's minutes: 70 min when the first step starts, and at the end the
// 60 min of the failed upgrade (retried now) that status shows too. A lease
// taken over comes before the run is bound to its plan: null then.
TEST(NotifyCli, EachNoticeCarriesTheRunsEtaAndNullBeforeThePlanIsKnown) {
  test::TempDir t;
  write_case(t);
  Receiver r;
  auto ran = test::run_smsup(apply(t, {"--notify", r.url()}));
  EXPECT_EQ(ran.status, 1) << ran.out << ran.err;
  auto got = r.bodies();
  ASSERT_GE(got.size(), 3u) << ran.out;
  for (const auto& n : got) {
    ASSERT_TRUE(n["remaining_seconds"].is_number()) << n;
    EXPECT_GT(n["remaining_seconds"].get<int64_t>(), 0) << n;
    double at = 0, eta = 0;
    ASSERT_TRUE(parse_iso_time(n["at"].get<std::string>(), at) && parse_iso_time(n["eta"].get<std::string>(), eta))
        << n;
    EXPECT_NEAR(eta - at, n["remaining_seconds"].get<double>(), 2.0) << n;  // whole seconds
  }
  EXPECT_EQ(got.front()["state"], "running");
  EXPECT_EQ(got.front()["remaining_seconds"], 70 * 60) << got.front();
  EXPECT_EQ(got.back()["state"], "finished");
  EXPECT_EQ(got.back()["remaining_seconds"], 60 * 60) << got.back();
  auto status = json::parse(test::run_smsup({"status", "--format", "json", "--journal", t / "j.db"}).out);
  EXPECT_NEAR(status["eta"]["remaining_min"].get<double>() * 60, 60 * 60, 1e-6) << status["eta"];

  // The journal left locked by an apply that no longer runs: the next one
  // takes it over (an event before the plan is bound) and goes on.
  pid_t child = fork();
  if (child == 0) _exit(0);
  int st = 0;
  waitpid(child, &st, 0);
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  {
    sql::Db raw(t / "j.db");
    sql::Stmt(raw, "INSERT OR REPLACE INTO lock(id, pid, pid_start, host, since) VALUES(1, ?1, 0, ?2, 0)")
        .bind(1, int64_t{child})
        .bind(2, std::string(host))
        .run();
  }
  Receiver r2;
  ran = test::run_smsup(apply(t, {"--notify", r2.url(), "--resume"}));
  EXPECT_EQ(ran.status, 1) << ran.out << ran.err;
  got = r2.bodies();
  ASSERT_GE(got.size(), 2u) << ran.out << ran.err;
  EXPECT_EQ(got.front()["state"], "takeover") << got.front();
  EXPECT_TRUE(got.front()["eta"].is_null()) << got.front();
  EXPECT_TRUE(got.front()["remaining_seconds"].is_null()) << got.front();
  EXPECT_EQ(got.back()["state"], "finished");
  EXPECT_EQ(got.back()["remaining_seconds"], 60 * 60) << got.back();
}

// apply over https: the team's CA named with --notify-ca and the system's
// CAs (here the file $SSL_CERT_FILE names, as OpenSSL reads it) both
// trusted; a receiver neither signed gets nothing and the summary says why.
TEST(NotifyCli, HttpsReceiversTrustTheNamedCaBesidesTheSystemsAndSayWhyNot) {
  test::TempDir t;
  write_case(t);
  Pki team, system, stranger;
  test::write_file(t / "team-ca.pem", team.ca_pem());
  test::write_file(t / "system-ca.pem", system.ca_pem());
  Receiver a(0, false, team.cert, team.key), b(0, false, system.cert, system.key),
      c(0, false, stranger.cert, stranger.key);
  auto ran = test::run_smsup(
      apply(t, {"--notify", a.url(), "--notify", b.url(), "--notify", c.url(), "--notify-ca", t / "team-ca.pem"}),
      {"SSL_CERT_FILE=" + t / "system-ca.pem"});
  EXPECT_EQ(ran.status, 1) << ran.out << ran.err;
  ASSERT_GE(a.bodies().size(), 3u) << ran.out;
  EXPECT_EQ(b.bodies().size(), a.bodies().size()) << ran.out;
  EXPECT_EQ(a.bodies().back()["state"], "finished");
  EXPECT_EQ(c.requests(), 0);
  EXPECT_TRUE(has(ran.out, fmt::format("Notifications to {}: 0 delivered", c.url()))) << ran.out;
  EXPECT_TRUE(has(ran.out,
                  "is not trusted (unable to get local issuer certificate); if a CA of your own signed it, "
                  "name it with --notify-ca FILE"))
      << ran.out;
  // The go-on advice keeps the CA.
  std::string go_on = Journal(t / "j.db", false).meta("go_on");
  EXPECT_TRUE(has(go_on, "--notify-ca " + t / "team-ca.pem")) << go_on;
}
