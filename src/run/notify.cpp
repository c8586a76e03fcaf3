#include "run/notify.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <thread>

#include "util/error.h"

namespace smsup::run {

using json = nlohmann::json;

json notice_json(const Event& e, const std::string& campaign) {
  return {{"seq", e.seq},   {"at", iso_time(e.at)}, {"step", e.step},     {"state", e.state},
          {"how", e.how},   {"detail", e.detail},   {"who", e.who},       {"origin", e.origin},
          {"campaign", campaign}};
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
  std::transform(u.scheme.begin(), u.scheme.end(), u.scheme.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (u.scheme != "http" && u.scheme != "https") throw bad("the scheme must be http or https");
  std::string rest = url.substr(colon + 3);
  auto slash = rest.find_first_of("/?#");
  std::string authority = rest.substr(0, slash);
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (u.path[0] != '/') u.path = "/" + u.path;
  if (auto hash = u.path.find('#'); hash != std::string::npos) u.path.resize(hash);
  if (authority.find('@') != std::string::npos) {
    throw bad("a user or password in the URL would be in the process list; put an Authorization header in "
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
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "--notify-header", "cannot read this file");
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

  Result post(httplib::Client& cli, const std::string& body) {
    auto res = cli.Post(url.path.c_str(), body, "application/json");
    if (!res) return Result::again;
    int s = res->status;
    if (s >= 200 && s < 300) return Result::delivered;
    if (s >= 400 && s < 500 && s != 408 && s != 429) return Result::refused;
    return Result::again;
  }

  void loop() {
    httplib::Client cli(url.origin());
    auto secs = [](std::chrono::milliseconds ms) { return std::pair<time_t, time_t>(ms.count() / 1000, (ms.count() % 1000) * 1000); };
    auto [ts, tus] = secs(opts.timeout);
    cli.set_connection_timeout(ts, tus);
    cli.set_read_timeout(ts, tus);
    cli.set_write_timeout(ts, tus);
    httplib::Headers headers{{"User-Agent", "smsup"}};
    for (const auto& [k, v] : opts.headers) headers.emplace(k, v);
    cli.set_default_headers(headers);
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
        Result r = post(cli, body);
        std::unique_lock lk(mu);
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

void HttpNotifier::send(const Event& e) {
  if (senders_.empty()) return;
  std::string body = notice_json(e, opts_.campaign).dump();
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
    out += "\n";
  }
  return out;
}

}  // namespace smsup::run
