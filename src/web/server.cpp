#include "web/server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "run/eta.h"
#include "run/status.h"
#include "run/watch.h"
#include "util/closest.h"
#include "util/error.h"
#include "util/printable.h"
#include "util/input_file.h"
#include "web/report.h"

namespace smsup::web {

using nlohmann::json;

std::pair<std::string, int> parse_listen(const std::string& listen) {
  auto bad = [&](const std::string& why) {
    return InputError({}, "--listen", "'" + listen + "' " + why + "; expected HOST:PORT, e.g. 127.0.0.1:8040");
  };
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) throw bad("has no port");
  if (colon == 0) throw bad("has no host (127.0.0.1 for this machine only)");
  std::string host = listen.substr(0, colon), port = listen.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) {
    throw bad("has no valid port");
  }
  int p = std::stoi(port);
  if (p > 65535) throw bad("has a port above 65535");
  return {host, p};
}

bool is_loopback(const std::string& host) {
  // An address, read as one: a name that merely starts with "127." (a
  // page's own 127.attacker.example, rebound to this machine) is a name,
  // and names other than localhost are not loopback.
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return host == "localhost";
}

namespace {

// The journal as last read, and what is built from it on demand.
struct Snapshot {
  int64_t version = 0;
  std::vector<run::JournalStep> steps;
  std::string status;  // smsup-status/1 + version, serialized
  std::optional<run::Eta> eta;
  std::shared_ptr<std::vector<Evidence>> evidence;
  std::once_flag live_once, page_once, steps_once;
  std::string live, page, steps_json;
};

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t b = 0;
  while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  return s.substr(b);
}

bool same_secret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void send_json(httplib::Response& res, int status, const json& j) {
  res.status = status;
  res.set_content(j.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& msg) {
  send_json(res, status, {{"error", msg}});
}

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  std::string c = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < c.size()) {
    size_t end = c.find(';', pos);
    if (end == std::string::npos) end = c.size();
    std::string part = trim(c.substr(pos, end - pos));
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

constexpr const char* kLoginPage =
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>smsup serve: token</title>"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; form-action "
    "'self'\">"
    "<style>body{font:15px system-ui,sans-serif;margin:60px auto;max-width:420px}</style></head><body>"
    "<h1>smsup serve</h1><p>This campaign's page needs the token of its --token-file.</p>"
    "<form method=post action=\"/login\"><input type=password name=token autofocus size=40> "
    "<button type=submit>Open</button></form></body></html>";

}  // namespace

struct Server::Impl {
  ServeOptions opts;
  std::string host;
  int port = 0;
  std::string token;
  Loaded loaded;
  httplib::Server http;
  int listen_fd = -1;  // the listening socket, for the backlog (bind())

  std::mutex journal_mu;  // the Journal's SQLite connection, one user at a time
  std::unique_ptr<run::Journal> journal;
  std::unique_ptr<run::StatusView> view;  // the journal as status shows it, read incrementally
  std::mutex snap_mu;
  std::shared_ptr<Snapshot> snap;
  std::atomic<bool> dirty{true};
  std::atomic<bool> stopping{false};
  std::thread poller;
  std::mutex wake_mu;
  std::condition_variable wake;
  double evidence_at = 0;
  double refreshed_at = 0;
  std::shared_ptr<std::vector<Evidence>> evidence;

  explicit Impl(const ServeOptions& o) : opts(o) {
    auto [h, p] = parse_listen(opts.listen);
    host = h;
    port = p;
    if (opts.sources.journal.empty()) throw InputError({}, "--journal", "smsup serve needs the journal of a run");
    if (!opts.token_file.empty()) {
      // Read as every input is: a FIFO would block serve for ever (and
      // SIGTERM with it), /dev/zero take all the memory.
      token = trim(read_input_file(opts.token_file, "a token file", limits::kSmallText));
      if (token.size() < 16) {
        throw InputError({opts.token_file, 1, 0}, "--token-file",
                         "the token must be at least 16 characters (e.g. openssl rand -hex 24 > FILE)");
      }
      if (token.find_first_of(" ;,\"\\\r\n\t") != std::string::npos) {
        throw InputError({opts.token_file, 1, 0}, "--token-file",
                         "the token may not hold spaces, quotes, commas or semicolons");
      }
    } else if (!is_loopback(host)) {
      throw InputError({}, "--listen",
                       "'" + opts.listen +
                           "' is not a loopback address: anyone who reaches it could steer the run. "
                           "Give --token-file FILE (a secret of 16+ characters) to listen there");
    }
    load(opts.sources, loaded);
    journal = std::make_unique<run::Journal>(opts.sources.journal, false);
    view = std::make_unique<run::StatusView>(*journal);
    refresh();
    routes();
  }

  // Reads the journal again when another process (apply, confirm) or this
  // one changed it. The Journal call is short; requests never wait on it
  // beyond one read.
  void refresh() {
    auto s = std::make_shared<Snapshot>();
    json status;
    run::StatusHead head;
    std::optional<run::Eta> journal_eta;  // without a plan loaded at start: the journal's own
    {
      std::lock_guard lk(journal_mu);
      // One small query when nothing changed; otherwise only the steps
      // changed since the last look are read (run/watch.h).
      bool changed = view->refresh(*journal);
      // Unchanged: keep the snapshot, but redraw every 5 s all the same so
      // that running steps' elapsed times and the ETA move on.
      bool stale = run::now_seconds() - refreshed_at > 5;
      if (!changed && !dirty.exchange(false) && snap && !stale) return;
      refreshed_at = run::now_seconds();
      dirty = false;
      s->steps = view->steps();
      head = view->head();
      if (!loaded.plan) journal_eta = view->eta(run::now_seconds());
    }
    double now = run::now_seconds();
    // The journal's steps are read once per change and the ETA made once,
    // from the plan read at start (with the rehearsal's durations) when
    // there is one; the page and /api/status show the same figures.
    if (loaded.plan) s->eta = run::estimate(*loaded.plan, s->steps, now, loaded.rehearsal_min);
    status = run::status_json(*journal, head, s->steps, loaded.plan ? s->eta : journal_eta);
    // The sites' logs are read again at most every 5 s: with thousands of
    // sites that is the heavy part.
    if (!loaded.logs.empty() && loaded.hierarchy && (now - evidence_at > 5 || !evidence)) {
      evidence = std::make_shared<std::vector<Evidence>>(collect_evidence(*loaded.hierarchy, loaded.logs));
      evidence_at = now;
    }
    s->evidence = evidence;
    std::lock_guard lk(snap_mu);
    s->version = snap ? snap->version + 1 : 1;
    status["version"] = s->version;
    s->status = status.dump();
    snap = s;
  }

  std::shared_ptr<Snapshot> current() {
    std::lock_guard lk(snap_mu);
    return snap;
  }

  Inputs inputs_of(const Snapshot& s) const {
    Inputs in = loaded.inputs;
    in.now = run::now_seconds();
    in.journal = &s.steps;
    in.eta = s.eta ? &*s.eta : nullptr;
    in.evidence = s.evidence ? s.evidence.get() : nullptr;
    return in;
  }

  PageOptions page_options() const { return {true, !opts.read_only, ""}; }

  bool authorized(const httplib::Request& req) const {
    if (token.empty()) return true;
    std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) == 0 && same_secret(trim(auth.substr(7)), token)) return true;
    return same_secret(cookie_value(req, "smsup_token"), token);
  }

  // A state change must come from this server's own page (Origin equal to
  // http://<Host>, Host one this server answers to), or from a program
  // authenticated with the bearer header and sending no Origin.
  std::optional<std::string> refuse_cross_site(const httplib::Request& req) const {
    std::string origin = req.get_header_value("Origin");
    std::string host_hdr = req.get_header_value("Host");
    std::string auth = req.get_header_value("Authorization");
    if (origin.empty()) {
      if (!token.empty() && auth.rfind("Bearer ", 0) == 0) return std::nullopt;
      return "a change needs an Origin header naming this server (or, with --token-file, a bearer token)";
    }
    if (origin != "http://" + host_hdr) return "cross-origin request refused (Origin " + origin + ")";
    if (!known_host(host_hdr)) return "request for another host name refused (Host " + host_hdr + ")";
    return std::nullopt;
  }

  // A Host this server answers to: its own address, or any loopback name
  // when it listens on loopback (a page of another site that rebinds its
  // name to 127.0.0.1 sends its own name, and is refused).
  bool known_host(const std::string& host_hdr) const {
    if (host_hdr.empty()) return true;  // HTTP/1.0 clients; Origin checks still apply to changes
    auto colon = host_hdr.rfind(':');
    std::string h = colon == std::string::npos || host_hdr.back() == ']' ? host_hdr : host_hdr.substr(0, colon);
    if (h.size() > 2 && h.front() == '[') h = h.substr(1, h.size() - 2);
    return h == host || (is_loopback(host) && is_loopback(h)) || host == "0.0.0.0" || host == "::";
  }

  void steer(const httplib::Request& req, httplib::Response& res, const std::string& action) {
    if (opts.read_only)
      return send_error(res, 403, "this server is read-only (--read-only): no change can be made here");
    if (auto why = refuse_cross_site(req)) return send_error(res, 403, *why);
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      return send_error(res, 415, "the body must be JSON (Content-Type: application/json)");
    }
    json body;
    try {
      body = json::parse(req.body);
    } catch (const json::exception& e) {  // a syntax error, or a number too large (out_of_range)
      return send_error(res, 400, std::string("the body is not JSON: ") + e.what());
    }
    if (!body.is_object() || !body.contains("step") || !body["step"].is_string()) {
      return send_error(res, 400,
                        "the body needs \"step\": the step id, e.g. {\"step\": \"CEN/drw\", \"who\": \"Ann\"}");
    }
    auto text = [&](const char* k) {
      return body.contains(k) && body[k].is_string() ? body[k].get<std::string>() : std::string();
    };
    std::string step = body["step"], who = trim(text("who")), note = trim(text("note"));
    if (who.empty())
      return send_error(res, 400, "\"who\": enter your name; it is recorded in the journal with the action");
    if (who.size() > 100 || note.size() > 2000 || step.size() > 300) {
      return send_error(res, 400, "too long: \"who\" holds up to 100 characters, \"note\" 2000");
    }
    // JSON may carry any character (\u0000 too); a journal keeps text. A name
    // is one line; a note may hold lines, never a NUL: the journal's text
    // ends there (libpq and SQLite's C strings), the rest silently lost.
    if (has_control(who)) return send_error(res, 400, "\"who\": a name on one line, without control characters");
    if (note.find('\0') != std::string::npos || step.find('\0') != std::string::npos)
      return send_error(res, 400, "\"note\" and \"step\" cannot hold a NUL character (\\u0000)");
    std::string by = "by " + who + " from " + req.remote_addr + " (smsup serve)";
    std::string detail = note.empty() ? by : note + " [" + by + "]";
    std::string done;
    try {
      std::lock_guard lk(journal_mu);
      if (!journal->step(step)) {
        std::vector<std::string> ids;
        for (const auto& s : journal->steps()) ids.push_back(s.id);
        return send_error(res, 404, "no step '" + step + "' in this journal" + did_you_mean(step, ids));
      }
      if (action == "confirm" || action == "fail") {
        journal->confirm(step, detail, action == "fail");
        done = action == "fail" ? "recorded as failed" : "confirmed as done";
      } else {
        journal->retry(step, detail);
        done = "set back to pending, with the steps it had held back";
      }
    } catch (const InputError& e) {
      return send_error(res, 409, e.message());
    }
    dirty = true;
    wake.notify_all();
    send_json(res, 200, {{"step", step}, {"action", action}, {"message", step + ": " + done + " (" + by + ")"}});
  }

  void routes() {
    http.set_payload_max_length(64 * 1024);
    http.set_keep_alive_timeout(2);
    http.new_task_queue = [] { return new httplib::ThreadPool(16); };
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string msg = "internal error";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        msg = e.what();
      } catch (...) {
      }
      send_error(res, 500, msg);
    });
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      std::string msg = res.status == 404   ? "no such page: " + req.path
                        : res.status == 413 ? "request body too large (64 KiB at most)"
                        : res.status == 405 ? "method not allowed"
                                            : "bad request";
      send_error(res, res.status, msg);
    });
    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("X-Frame-Options", "DENY");
      res.set_header("Referrer-Policy", "no-referrer");
      res.set_header("Cache-Control", "no-store");
      if (!known_host(req.get_header_value("Host"))) {
        send_error(res, 403, "request for another host name refused (Host " + req.get_header_value("Host") + ")");
        return httplib::Server::HandlerResponse::Handled;
      }
      if (req.path == "/login") return httplib::Server::HandlerResponse::Unhandled;
      if (authorized(req)) return httplib::Server::HandlerResponse::Unhandled;
      res.status = 401;
      if (req.method == "GET" && req.path == "/") {
        res.set_content(kLoginPage, "text/html; charset=utf-8");
      } else {
        send_error(
            res, 401,
            "this server needs its token: a bearer header (Authorization: Bearer TOKEN) or the cookie /login sets");
      }
      return httplib::Server::HandlerResponse::Handled;
    });
    http.Get("/login", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(kLoginPage, "text/html; charset=utf-8");
    });
    http.Post("/login", [this](const httplib::Request& req, httplib::Response& res) {
      std::string given = req.has_param("token") ? req.get_param_value("token") : "";
      if (token.empty() || !same_secret(trim(given), token)) {
        res.status = 401;
        res.set_content(kLoginPage, "text/html; charset=utf-8");
        return;
      }
      res.set_header("Set-Cookie", "smsup_token=" + token + "; Path=/; HttpOnly; SameSite=Strict");
      res.set_redirect("/", 303);
    });
    http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
      auto s = current();
      std::call_once(s->page_once, [&] {
        auto po = page_options();
        po.version = std::to_string(s->version);
        s->page = render_page(inputs_of(*s), po);
      });
      res.set_content(s->page, "text/html; charset=utf-8");
    });
    http.Get("/live", [this](const httplib::Request&, httplib::Response& res) {
      auto s = current();
      std::call_once(s->live_once, [&] { s->live = render_live(inputs_of(*s), page_options()); });
      res.set_content(s->live, "text/html; charset=utf-8");
    });
    http.Get("/api/status", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(current()->status, "application/json");
    });
    http.Get("/api/steps", [this](const httplib::Request& req, httplib::Response& res) {
      auto s = current();
      std::string want = req.has_param("state") ? req.get_param_value("state") : "";
      if (!want.empty() && !run::parse_state(want)) {
        return send_error(res, 400,
                          "state '" + want + "' is not one of pending, running, waiting, succeeded, failed, skipped");
      }
      json out = json::array();
      double now = run::now_seconds();
      for (const auto& r : s->steps) {
        if (!want.empty() && run::to_string(r.state) != want) continue;
        json j = {{"id", r.id},
                  {"kind", r.kind},
                  {"site", r.site},
                  {"host", r.host},
                  {"title", r.title},
                  {"manual", r.manual},
                  {"state", run::to_string(r.state)},
                  {"attempts", r.attempts},
                  {"started", r.started > 0 ? json(run::iso_time(r.started)) : json(nullptr)},
                  {"finished", r.finished > 0 ? json(run::iso_time(r.finished)) : json(nullptr)},
                  {"message", r.message},
                  {"note", r.note},
                  {"output_tail", r.output_tail}};
        if (r.state == run::State::running && r.started > 0) j["elapsed_s"] = now - r.started;
        out.push_back(std::move(j));
      }
      send_json(res, 200, {{"version", s->version}, {"steps", out}});
    });
    http.Get("/api/events", [this](const httplib::Request& req, httplib::Response& res) {
      int64_t after = 0;
      int limit = 500;
      try {
        if (req.has_param("after")) after = std::stoll(req.get_param_value("after"));
        if (req.has_param("limit")) limit = std::stoi(req.get_param_value("limit"));
      } catch (const std::exception&) {
        return send_error(res, 400, "after and limit must be whole numbers");
      }
      if (after < 0 || limit < 1 || limit > 5000) return send_error(res, 400, "after must be >= 0 and limit 1..5000");
      std::vector<run::Event> ev;
      {
        std::lock_guard lk(journal_mu);
        ev = journal->events(after, limit);
      }
      json out = json::array();
      for (const auto& e : ev) {
        out.push_back({{"seq", e.seq},
                       {"at", run::iso_time(e.at)},
                       {"step", e.step},
                       {"state", e.state},
                       {"how", e.how},
                       {"detail", e.detail},
                       {"who", e.who},
                       {"origin", e.origin}});
      }
      send_json(res, 200, {{"events", out}});
    });
    http.Get("/api/eta", [this](const httplib::Request&, httplib::Response& res) {
      auto s = current();
      if (!s->eta) return send_error(res, 404, "no ETA: the plan of this journal cannot be read (give --plan)");
      send_json(res, 200, run::to_json(*s->eta));
    });
    for (const char* action : {"confirm", "fail", "retry"}) {
      std::string a = action;
      http.Post("/api/" + a, [this, a](const httplib::Request& req, httplib::Response& res) { steer(req, res, a); });
    }
  }

  void poll_loop() {
    while (!stopping) {
      {
        std::unique_lock lk(wake_mu);
        wake.wait_for(lk, std::chrono::milliseconds(opts.poll_ms), [&] { return stopping.load() || dirty.load(); });
      }
      if (stopping) break;
      try {
        refresh();
      } catch (const std::exception& e) {
        // The journal busy or briefly unreadable: try again next time.
        if (opts.log) *opts.log << "smsup serve: reading the journal: " << e.what() << "\n" << std::flush;
      }
    }
  }
};

Server::Server(const ServeOptions& opts) : impl_(std::make_unique<Impl>(opts)) {}

Server::~Server() {
  stop();
  if (impl_->poller.joinable()) impl_->poller.join();
}

int Server::bind() {
  auto& i = *impl_;
  // Debian's cpp-httplib is a shared library built with a listen backlog of
  // 5 (CPPHTTPLIB_LISTEN_BACKLOG is fixed inside it): under a hundred
  // viewers connecting at once the kernel drops their SYNs and each waits 1,
  // 3, 7... seconds to try again. The listening socket is noted when it is
  // made and listen() is called on it again with the system's maximum (Linux
  // takes a new backlog for a socket that already listens).
  i.http.set_socket_options([&i](socket_t sock) {
    httplib::default_socket_options(sock);
    i.listen_fd = sock;
  });
  if (i.port == 0) {
    i.port = i.http.bind_to_any_port(i.host);
    if (i.port < 0) throw InputError({}, "--listen", "cannot listen on " + i.opts.listen);
  } else if (!i.http.bind_to_port(i.host, i.port)) {
    throw InputError({}, "--listen",
                     "cannot listen on " + i.opts.listen + " (in use, or not an address of this machine)");
  }
  if (i.listen_fd >= 0) ::listen(i.listen_fd, SOMAXCONN);
  return i.port;
}

void Server::run() {
  auto& i = *impl_;
  i.poller = std::thread([&i] { i.poll_loop(); });
  i.http.listen_after_bind();
}

void Server::stop() {
  impl_->stopping = true;
  impl_->wake.notify_all();
  impl_->http.stop();
}

}  // namespace smsup::web
