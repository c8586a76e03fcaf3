// `smsup serve`: the live page of a campaign and its JSON API, over
// cpp-httplib. Reads the journal read-mostly (a poller notices other
// processes' commits); writes only the short transactions `smsup confirm` and
// `smsup retry` make, through the same Journal calls.
//
// Security (docs/serve.md): loopback unless a token file is given; with a
// token every request needs it (cookie after /login, or a bearer header);
// changes are POST only, with a JSON body, and refused when Origin is not
// this server; --read-only refuses them all.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "web/load.h"

namespace smsup::web {

struct ServeOptions {
  Sources sources;                        // journal required
  std::string listen = "127.0.0.1:8040";  // host:port; port 0 picks a free one
  std::string token_file;
  bool read_only = false;
  int poll_ms = 250;            // how often the journal is looked at
  std::ostream* log = nullptr;  // trouble reading the journal (none: not said)
};

// host and port of "host:port" ("[::1]:80" too); InputError when malformed.
std::pair<std::string, int> parse_listen(const std::string& listen);
// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& host);

class Server {
 public:
  // Checks the options (InputError: a non-loopback address without a token,
  // an unreadable or empty token file, a missing journal) and loads the inputs.
  explicit Server(const ServeOptions& opts);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds; returns the port (InputError when it cannot bind).
  int bind();
  // Serves until stop() (from another thread or a signal handler's thread).
  void run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace smsup::web
