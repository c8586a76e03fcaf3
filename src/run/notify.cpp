#include "run/notify.h"

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <cmath>
#include <fstream>
#include <iterator>
#include <mutex>
#include <sstream>
#include <thread>

#include "util/error.h"
#include "util/input_file.h"

namespace smsup::run {

using json = nlohmann::json;

json notice_json(const Event& e, const std::string& campaign, std::optional<double> eta) {
  json j = {{"seq", e.seq},
            {"at", iso_time(e.at)},
            {"step", e.step},
            {"state", e.state},
            {"how", e.how},
            {"detail", e.detail},
            {"who", e.who},
            {"origin", e.origin},
            {"campaign", campaign},
            {"eta", nullptr},
            {"remaining_seconds", nullptr}};
  if (eta) {
    j["eta"] = iso_time(*eta);
    j["remaining_seconds"] = std::max<int64_t>(0, std::llround(*eta - e.at));
  }
  return j;
}

std::string NotifyUrl::origin() const { return fmt::format("{}://{}:{}", scheme, host, port); }
std::string NotifyUrl::shown() const {
  bool usual = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  return fmt::format("{}://{}{}{}", scheme, host, usual ? "" : ":" + std::to_string(port), path);
}

// The few URL rules a receiver needs; no URL library is among the
// dependencies and httplib takes scheme://host:port and a path apart.
NotifyUrl parse_notify_url(const std::string& url) {
  auto bad = [&](const std::string& why) {
    return InputError({}, "--notify", fmt::format("'{}' is not a receiver's URL: {}", url, why));
  };
  NotifyUrl u;
  auto colon = url.find("://");
  if (colon == std::string::npos) throw bad("expected http://HOST[:PORT][/PATH] or https://...");
  u.scheme = url.substr(0, colon);
  std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (u.scheme != "http" && u.scheme != "https") throw bad("the scheme must be http or https");
  std::string rest = url.substr(colon + 3);
  auto slash = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, slash);
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (u.path[0] != '/') u.path = "/" + u.path;
  if (auto hash = u.path.find('#'); hash != std::string::npos) u.path.resize(hash);
  if (authority.find('@') != std::string::npos) {
    throw bad(
        "a user or password in the URL would be in the process list; put an Authorization header in "
        "--notify-header FILE");
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) throw bad("spaces and control characters are not allowed");
  }
  std::string port;
  if (!authority.empty() && authority[0] == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos) throw bad("an IPv6 address needs its closing ]");
    u.host = authority.substr(1, close - 1);
    std::string after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') throw bad("expected :PORT after the IPv6 address");
      port = after.substr(1);
    }
  } else {
    auto c = authority.rfind(':');
    u.host = authority.substr(0, c);
    if (c != std::string::npos) port = authority.substr(c + 1);
  }
  if (u.host.empty()) throw bad("no host");
  u.port = u.scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) {
      throw bad(fmt::format("port '{}' is not a number 1 to 65535", port));
    }
    u.port = std::stoi(port);
    if (u.port < 1 || u.port > 65535) throw bad(fmt::format("port {} is not 1 to 65535", u.port));
  }
  return u;
}

std::vector<std::pair<std::string, std::string>> read_notify_headers(const std::string& path) {
  // Read as every input is: a FIFO refused without blocking, the size bounded.
  std::istringstream in(read_input_file(path, "a file of HTTP headers ('Name: value' lines)", limits::kSmallText));
  std::vector<std::pair<std::string, std::string>> out;
  std::string line;
  int n = 0;
  auto is_token = [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  };
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    auto colon = line.find(':');
    std::string name = colon == std::string::npos ? "" : line.substr(0, colon);
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_token)) {
      // The line may be a secret: it is not repeated.
      throw InputError({path, n, 0}, "--notify-header", "expected a header line 'Name: value' (the line is not shown)");
    }
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
    for (unsigned char c : value) {
      if (c < ' ' && c != '\t') {
        throw InputError({path, n, 0}, "--notify-header", "a header's value may not hold control characters");
      }
    }
    out.emplace_back(name, value);
  }
  return out;
}

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

// The certificates of a PEM file; InputError naming it for anything else.
std::vector<X509*> read_ca_file(const std::string& path) {
  std::string text = read_input_file(path, "PEM certificates of the CAs to trust", limits::kCertificates);
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  std::vector<X509*> out;
  auto bad = [&](const std::string& why) {
    for (X509* c : out) X509_free(c);
    return InputError({path, 0, 0}, "--notify-ca", why);
  };
  size_t begins = 0;
  for (size_t at = 0; (at = text.find("-----BEGIN CERTIFICATE-----", at)) != std::string::npos; ++at) ++begins;
  ERR_clear_error();
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.push_back(c);
  ERR_clear_error();  // the end of the file reads as an error
  if (out.empty()) {
    throw bad("expected PEM certificates of the CAs to trust (-----BEGIN CERTIFICATE----- blocks); found none");
  }
  if (out.size() != begins) {
    throw bad(fmt::format("certificate {} of {} is not a valid PEM certificate", out.size() + 1, begins));
  }
  return out;
}

// A TLS failure the receiver's certificate causes: said once, not retried.
std::string tls_problem(httplib::Client& cli, const NotifyUrl& url) {
  long v = cli.get_openssl_verify_result();
  if (v != X509_V_OK) {
    return fmt::format(
        "the certificate of {} is not trusted ({}); if a CA of your own signed it, name it "
        "with --notify-ca FILE",
        url.host, X509_verify_cert_error_string(v));
  }
  return fmt::format("the certificate {} shows is not for the host name {}", url.host, url.host);
}

}  // namespace

int check_notify_ca(const std::string& path) {
  auto certs = read_ca_file(path);
  for (X509* c : certs) X509_free(c);
  return static_cast<int>(certs.size());
}

struct HttpNotifier::Sender {
  NotifyUrl url;
  const NotifyOptions& opts;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> queue;  // bodies waiting; the one being sent is out of it
  bool has_inflight = false;
  bool closing = false;  // no more notices come: send what is queued, then end
  bool abort = false;    // end now
  bool ended = false;
  NotifyStats stats;
  httplib::Client* client = nullptr;  // while the thread runs, for stop()
  std::thread thread;

  Sender(NotifyUrl u, const NotifyOptions& o) : url(std::move(u)), opts(o) {
    stats.url = url.shown();
    thread = std::thread([this] { loop(); });
  }

  void push(std::string body) {
    {
      std::lock_guard lk(mu);
      if (closing) return;
      if (queue.size() >= std::max<size_t>(1, opts.queue)) {
        queue.pop_front();
        ++stats.dropped;
      }
      queue.push_back(std::move(body));
    }
    cv.notify_all();
  }

  // 2xx delivered; 4xx other than 408 and 429 is a refusal that a retry
  // does not change; anything else (no answer, 5xx) is tried again.
  enum class Result { delivered, refused, again };

  Result post(httplib::Client& cli, const std::string& body, std::string& problem) {
    auto res = cli.Post(url.path.c_str(), body, "application/json");
    if (!res) {
      if (res.error() == httplib::Error::SSLServerVerification) {
        problem = tls_problem(cli, url);
        return Result::refused;
      }
      problem = fmt::format("no answer ({})", httplib::to_string(res.error()));
      return Result::again;
    }
    int s = res->status;
    if (s >= 200 && s < 300) return Result::delivered;
    problem = fmt::format("HTTP status {}", s);
    if (s >= 400 && s < 500 && s != 408 && s != 429) return Result::refused;
    return Result::again;
  }

  void loop() {
    httplib::Client cli(url.origin());
    auto secs = [](std::chrono::milliseconds ms) {
      return std::pair<time_t, time_t>(ms.count() / 1000, (ms.count() % 1000) * 1000);
    };
    auto [ts, tus] = secs(opts.timeout);
    cli.set_connection_timeout(ts, tus);
    cli.set_read_timeout(ts, tus);
    cli.set_write_timeout(ts, tus);
    httplib::Headers headers{{"User-Agent", "smsup"}};
    for (const auto& [k, v] : opts.headers) headers.emplace(k, v);
    cli.set_default_headers(headers);
    if (url.scheme == "https" && !opts.ca_file.empty()) {
      // The system's CAs (OpenSSL's default paths, as httplib trusts without
      // a store) and the team's own; the file was checked before the run.
      X509_STORE* store = X509_STORE_new();
      X509_STORE_set_default_paths(store);
      try {
        for (X509* c : read_ca_file(opts.ca_file)) {
          X509_STORE_add_cert(store, c);
          X509_free(c);
        }
      } catch (const std::exception&) {
        // Gone or changed since apply checked it: the system's CAs only.
      }
      cli.set_ca_cert_store(store);  // owned by the client's TLS context now
    }
    {
      std::lock_guard lk(mu);
      client = &cli;
    }
    for (;;) {
      std::string body;
      {
        std::unique_lock lk(mu);
        cv.wait(lk, [&] { return abort || closing || !queue.empty(); });
        if (abort || queue.empty()) break;
        body = std::move(queue.front());
        queue.pop_front();
        has_inflight = true;
      }
      auto delay = opts.backoff;
      for (int attempt = 1;; ++attempt) {
        std::string problem;
        Result r = post(cli, body, problem);
        std::unique_lock lk(mu);
        if (!problem.empty()) stats.problem = problem;
        if (r == Result::delivered) {
          ++stats.delivered;
          break;
        }
        if (r == Result::refused || attempt >= opts.attempts) {
          ++stats.failed;
          break;
        }
        if (abort) break;
        cv.wait_for(lk, delay, [&] { return abort; });
        if (abort) break;
        delay = std::min<std::chrono::milliseconds>(delay * 2, std::chrono::seconds(8));
      }
      std::lock_guard lk(mu);
      if (abort) break;  // the one in flight counts as unsent (finish())
      has_inflight = false;
    }
    std::lock_guard lk(mu);
    client = nullptr;
    ended = true;
    cv.notify_all();
  }
};

HttpNotifier::HttpNotifier(NotifyOptions opts) : opts_(std::move(opts)) {
  for (const auto& u : opts_.urls) senders_.push_back(std::make_unique<Sender>(parse_notify_url(u), opts_));
}

HttpNotifier::~HttpNotifier() { finish(std::chrono::milliseconds(0)); }

void HttpNotifier::send(const Event& e, std::optional<double> eta) {
  if (senders_.empty()) return;
  std::string body = notice_json(e, opts_.campaign, eta).dump();
  for (auto& s : senders_) s->push(body);
}

std::vector<NotifyStats> HttpNotifier::finish(std::chrono::milliseconds wait) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  std::vector<NotifyStats> out;
  for (auto& s : senders_) {
    std::lock_guard lk(s->mu);
    s->closing = true;
    s->cv.notify_all();
  }
  for (auto& s : senders_) {
    {
      std::unique_lock lk(s->mu);
      if (!s->cv.wait_until(lk, deadline, [&] { return s->ended; })) {
        // Out of time: cut off a request under way and stop retrying.
        s->abort = true;
        if (s->client) s->client->stop();
        s->cv.notify_all();
      }
    }
    if (s->thread.joinable()) s->thread.join();
    s->stats.unsent = static_cast<int64_t>(s->queue.size()) + (s->has_inflight ? 1 : 0);
    s->queue.clear();
    s->has_inflight = false;
    out.push_back(s->stats);
  }
  senders_.clear();
  return out;
}

std::string notify_summary(const std::vector<NotifyStats>& stats) {
  std::string out;
  for (const auto& s : stats) {
    out += fmt::format("Notifications to {}: {} delivered", s.url, s.delivered);
    if (s.dropped) out += fmt::format(", {} dropped (queue full)", s.dropped);
    if (s.failed) out += fmt::format(", {} given up after retries or refused", s.failed);
    if (s.unsent) out += fmt::format(", {} not sent before apply stopped waiting", s.unsent);
    if (s.delivered == 0 && !s.problem.empty())
      out += fmt::format("; {}", s.problem);
    else if (s.failed && !s.problem.empty())
      out += fmt::format("; the last: {}", s.problem);
    out += "\n";
  }
  return out;
}

}  // namespace smsup::run
