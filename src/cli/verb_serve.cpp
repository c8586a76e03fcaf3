// `smsup serve`: the live page of a campaign, its JSON API and steering
// (src/web/server.h; docs/serve.md).
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <pthread.h>

#include <csignal>
#include <thread>

#include "cli/add_verb.h"
#include "cli/report.h"
#include "web/server.h"

namespace smsup::cli {

int run_serve(const ServeOptions& o, Output& out) {
  web::ServeOptions w = o.web;
  w.log = &out.err;
  // SIGINT/SIGTERM end the server cleanly: blocked here (before any thread
  // starts, so every thread inherits the mask) and awaited by one thread.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  web::Server server(w);
  int port = server.bind();
  auto [host, given] = web::parse_listen(w.listen);
  std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  fmt::print(out.out, "smsup serve: http://{}:{}/ for the journal {}{}{}\n", shown, port, w.sources.journal,
             w.read_only ? " (read-only)" : "", w.token_file.empty() ? "" : " (token required)");
  out.out.flush();
  std::thread waiter([&server, set] {
    int sig = 0;
    sigwait(&set, &sig);
    server.stop();
  });
  server.run();
  // Ended by a signal, or by the server itself: wake the waiter either way.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  fmt::print(out.out, "smsup serve: stopped\n");
  return 0;
}

void register_serve(CLI::App& app, Status& status) {
  auto [sub, o] = add_verb(app, status, "serve",
                           "A live page of a run (the report's views, running/waiting/failed steps, ETA) with "
                           "confirm, mark failed and retry, and a JSON API under /api/ (docs/serve.md)",
                           run_serve);
  auto& w = o->web;
  sub->add_option("--journal", w.sources.journal, "the journal of the run (smsup apply --journal)")->required();
  sub->add_option("--plan", w.sources.plan, "the plan file (default: the one the journal is bound to)");
  sub->add_option("--inventory", w.sources.inventory, "the inventory (default: the one the plan names, if readable)");
  sub->add_option("--rehearsal", w.sources.rehearsal, "a rehearsal as JSON: its durations feed the ETA");
  sub->add_option("--logs", w.sources.logs,
                  "folder of the sites' logs as the twin lays them out (default: <journal>.twin)");
  sub->add_option("--listen", w.listen,
                  "HOST:PORT to listen on; a non-loopback address needs --token-file (port 0: any free port)")
      ->capture_default_str();
  sub->add_option("--token-file", w.token_file,
                  "file holding a secret (16+ characters); every request must then carry it (cookie after "
                  "the page's prompt, or Authorization: Bearer)");
  sub->add_flag("--read-only", w.read_only, "serve the page without steering: confirm, fail and retry are refused");
}

}  // namespace smsup::cli
