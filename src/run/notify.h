// `apply --notify URL`: every state change of the run (and a lease taken
// over, and the run's end) POSTed as JSON to receivers such as a chat
// webhook or an incident tool. A background sender per URL (cpp-httplib's
// client, http and https) with a timeout per request, retries with backoff
// and a bounded queue that drops the oldest notice when full: a slow, failing
// or hanging receiver never blocks or slows the executor, and apply waits for
// the senders at most a bounded time at its end (docs/apply.md).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "run/journal.h"

namespace smsup::run {

// What the executor's journal hands on: one event, as a document the same
// shape as serve's /api/events entries, plus the campaign and when the run
// is expected to end: `eta` (ISO 8601 UTC) and `remaining_seconds` from the
// event's time, both null when nothing can be estimated (eta.h, EtaTracker).
nlohmann::json notice_json(const Event& e, const std::string& campaign, std::optional<double> eta = std::nullopt);

// Where notices go. The journal's events reach it through
// Journal::on_event(); tests of the executor use a fake that keeps them.
class Notifier {
 public:
  virtual ~Notifier() = default;
  // Never blocks. `eta`: Unix seconds the run is expected to end, if known.
  virtual void send(const Event& e, std::optional<double> eta) = 0;
};

// A receiver as --notify names it: http:// or https://, a host, an optional
// port and path. InputError (field --notify) for anything else, and for a
// URL with a user or password in it (a secret must not be in argv: put it in
// --notify-header FILE).
struct NotifyUrl {
  std::string scheme, host;
  int port = 0;
  std::string path;            // "/" when none
  std::string origin() const;  // scheme://host:port, what httplib connects to
  std::string shown() const;   // for messages
};
NotifyUrl parse_notify_url(const std::string& url);

// Headers sent with every notice, read from a file of "Name: value" lines
// (blank lines and # comments skipped). InputError naming the file and line
// for a line that is not a header; the values are never printed.
std::vector<std::pair<std::string, std::string>> read_notify_headers(const std::string& path);

// --notify-ca FILE: PEM certificates of the CAs (a team's own) that https
// receivers' certificates may also be signed by, besides the system's.
// Returns how many; InputError naming the file when it holds none or one
// that is not a certificate.
int check_notify_ca(const std::string& path);

struct NotifyOptions {
  std::vector<std::string> urls;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string campaign;
  std::string ca_file;                      // --notify-ca: trusted besides the system's CAs (https)
  size_t queue = 1000;                      // notices waiting per URL; the oldest goes when full
  std::chrono::milliseconds timeout{5000};  // per request: connect, send, read each
  int attempts = 5;                         // per notice, then it is given up
  std::chrono::milliseconds backoff{250};   // before the 2nd attempt; doubles, at most 8 s
};

// What became of the notices to one URL.
struct NotifyStats {
  std::string url;        // as shown
  int64_t delivered = 0;  // a 2xx answer
  int64_t dropped = 0;    // pushed out of a full queue
  int64_t failed = 0;     // given up after every attempt, or refused (4xx)
  int64_t unsent = 0;     // still queued when apply stopped waiting
  std::string problem;    // why the last notice not delivered was not ("" none)
};

class HttpNotifier : public Notifier {
 public:
  // Checks the URLs (parse_notify_url) and starts a sender per URL.
  explicit HttpNotifier(NotifyOptions opts);
  ~HttpNotifier() override;  // finish(0)
  void send(const Event& e, std::optional<double> eta) override;
  // Stops taking notices and waits up to `wait` for the queues to empty (a
  // request under way is cut off then); returns what became of them.
  std::vector<NotifyStats> finish(std::chrono::milliseconds wait);

 private:
  struct Sender;
  NotifyOptions opts_;
  std::vector<std::unique_ptr<Sender>> senders_;
};

// "notifications to URL: 12 delivered, 3 dropped (queue full), ..." a line per URL.
std::string notify_summary(const std::vector<NotifyStats>& stats);

}  // namespace smsup::run
