// A web::Server on a port of its own, in a thread, stopped when this goes.
#pragma once

#include <atomic>
#include <thread>

#include "support.h"
#include "web/server.h"

namespace smsup::test {

struct Serving {
  web::Server server;
  int port;
  std::atomic<bool> ended{false};
  std::thread thread;
  explicit Serving(const web::ServeOptions& o) : server(o), port(server.bind()) {
    thread = std::thread([this] {
      server.run();
      ended = true;
    });
  }
  ~Serving() {
    // stop() before run() listens would be lost: asked until it ends.
    test::eventually([this] {
      server.stop();
      return ended.load();
    });
    thread.join();
  }
};

}  // namespace smsup::test
