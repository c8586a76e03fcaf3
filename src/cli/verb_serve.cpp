// `smsup serve`: the live page of a campaign, its JSON API and steering
// (src/web/server.h; docs/serve.md).
#include <csignal>
#include <cstdio>
#include <thread>

#include "cli/verbs.h"
#include "web/server.h"

namespace smsup::cli {

struct ServeOptions {
  web::ServeOptions web;
};

int run_serve(const ServeOptions& o, std::FILE* out) {
  // SIGINT/SIGTERM end the server cleanly: blocked here (before any thread
  // starts, so every thread inherits the mask) and awaited by one thread.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  web::Server server(o.web);
  int port = server.bind();
  auto [host, given] = web::parse_listen(o.web.listen);
  std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  std::fprintf(out, "smsup serve: http://%s:%d/ for the journal %s%s%s\n", shown.c_str(), port,
               o.web.sources.journal.c_str(), o.web.read_only ? " (read-only)" : "",
               o.web.token_file.empty() ? "" : " (token required)");
  std::fflush(out);
  std::thread waiter([&server, set] {
    int sig = 0;
    sigwait(&set, &sig);
    server.stop();
  });
  server.run();
  // Ended by a signal, or by the server itself: wake the waiter either way.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::fprintf(out, "smsup serve: stopped\n");
  return 0;
}

void register_serve(CLI::App& app, Status& status) {
  auto o = std::make_shared<ServeOptions>();
  auto& w = o->web;
  auto* sub = app.add_subcommand(
      "serve",
      "A live page of a run (the report's views, running/waiting/failed steps, ETA) with confirm, "
      "mark failed and retry, and a JSON API under /api/ (docs/serve.md)");
  sub->add_option("--journal", w.sources.journal, "the journal of the run (smsup apply --journal)")->required();
  sub->add_option("--plan", w.sources.plan, "the plan file (default: the one the journal is bound to)");
  sub->add_option("--inventory", w.sources.inventory, "the inventory (default: the one the plan names, if readable)");
  sub->add_option("--rehearsal", w.sources.rehearsal, "a rehearsal as JSON: its durations feed the ETA");
  sub->add_option("--logs", w.sources.logs, "folder of the sites' logs as the twin lays them out (default: <journal>.twin)");
  sub->add_option("--listen", w.listen,
                  "HOST:PORT to listen on; a non-loopback address needs --token-file (port 0: any free port)")
      ->capture_default_str();
  sub->add_option("--token-file", w.token_file,
                  "file holding a secret (16+ characters); every request must then carry it (cookie after "
                  "the page's prompt, or Authorization: Bearer)");
  sub->add_flag("--read-only", w.read_only, "serve the page without steering: confirm, fail and retry are refused");
  sub->callback([o, &status] { status.code = run_serve(*o, stdout); });
}

}  // namespace smsup::cli
