#include "run/journal.h"

#include <fmt/format.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <limits>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <unordered_map>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "run/journal_host.h"
#include "util/error.h"

namespace smsup::run {

namespace {

constexpr std::string_view kFormat = "smsup-journal/1";
// The tables' version: 2 added who and where to events and the lease to the lock.
constexpr int kSchema = 2;

}  // namespace

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string iso_time(double t) {
  if (t <= 0) return "-";
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

double Clock::wall() { return now_seconds(); }
std::chrono::steady_clock::time_point Clock::steady() { return std::chrono::steady_clock::now(); }

std::string default_operator() {
  const char* u = std::getenv("USER");
  std::string user = u && *u ? u : "";
  if (user.empty()) {
    if (passwd* pw = getpwuid(getuid())) user = pw->pw_name;
  }
  return (user.empty() ? "unknown" : user) + "@" + hostname();
}

Journal::Journal(const std::string& journal, bool create)
    : path_(journal), spec_(store::parse_spec(journal)), clock_(std::make_shared<Clock>()), who_(default_operator()) {
  if (spec_.engine == store::Engine::postgresql) {
    open_postgresql(create);
  } else {
    open_sqlite(create);
  }
}

Journal::Journal(const std::string& journal, ReadOnly)
    : path_(journal), spec_(store::parse_spec(journal)), clock_(std::make_shared<Clock>()), who_(default_operator()) {
  if (spec_.engine == store::Engine::postgresql) {
    db_ = store::open_postgresql(spec_, false);
    if (!db_->has_table("meta")) {
      throw InputError(
          {spec_.shown, 0, 0}, "--journal",
          fmt::format("no journal for campaign '{}' in this database (has apply run with it?)", spec_.campaign));
    }
  } else {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(spec_.path, ec)) {
      throw InputError({spec_.path, 0, 0}, "--journal",
                       std::filesystem::exists(spec_.path, ec) ? "not a regular file, so not a journal"
                                                               : "no such journal (has apply run with it?)");
    }
    try {
      db_ = store::open_sqlite(spec_.path, true);
    } catch (const std::runtime_error& e) {
      throw InputError({spec_.path, 0, 0}, "--journal", fmt::format("not a usable smsup journal ({})", e.what()));
    }
  }
  try {
    check_is_journal();
  } catch (const InputError&) {
    throw;
  } catch (const store::Unavailable&) {
    throw;
  } catch (const std::runtime_error& e) {
    throw InputError({spec_.shown, 0, 0}, "--journal", fmt::format("not a usable smsup journal ({})", e.what()));
  }
  require_current_schema();
}

void Journal::require_current_schema() {
  std::string v = meta("schema");
  if (v == std::to_string(kSchema)) return;
  throw InputError({spec_.shown, 0, 0}, "--journal",
                   fmt::format("a journal of an older smsup (schema {}); watching only reads it: run `smsup "
                               "status` on it once, which brings it up to schema {}",
                               v.empty() ? "1" : v, kSchema));
}

Journal::~Journal() { stop_heartbeat(); }

void Journal::open_sqlite(bool create) {
  const std::string& path = spec_.path;
  // Only apply creates a journal, and only where there is nothing yet (no
  // file, or an empty one). Any other file must already be a journal: it is
  // looked at before anything is written, so that a database that is not a
  // journal is refused untouched (no tables added, no switch to WAL).
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  bool fresh = false;
  if (!std::filesystem::exists(st)) {
    if (!create) throw InputError({path, 0, 0}, "--journal", "no such journal (has apply run with it?)");
    fresh = true;
  } else if (!std::filesystem::is_regular_file(st)) {
    throw InputError({path, 0, 0}, "--journal", "not a regular file, so not a journal");
  } else if (std::filesystem::file_size(path, ec) == 0) {
    if (!create) throw InputError({path, 0, 0}, "--journal", "an empty file, not a journal (has apply run with it?)");
    fresh = true;
  }
  try {
    db_ = store::open_sqlite(path);
    // An SQLite database without any table is empty too: what an apply
    // killed while it made the journal leaves behind.
    if (!fresh && create) {
      store::Stmt q(*db_, "SELECT count(*) FROM sqlite_master");
      fresh = q.step() && q.integer(0) == 0;
    }
    if (!fresh) check_is_journal();
    // WAL: readers (status from another terminal) never block the run.
    // synchronous=FULL: a commit is on disk before the next action starts,
    // so even a power loss cannot forget a step that completed (NORMAL could
    // roll back the last commits and a step would then run twice).
    db_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    if (fresh || meta("schema") != std::to_string(kSchema)) create_schema();
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const InputError*>(&e)) throw;
    throw InputError({path, 0, 0}, "--journal", fmt::format("not a usable smsup journal ({})", e.what()));
  }
}

void Journal::open_postgresql(bool create) {
  db_ = store::open_postgresql(spec_, create);
  if (db_->has_table("meta")) {
    check_is_journal();
    // A journal of this schema is only read here: a reader (status, ten
    // operators polling) takes no writers' turn and wakes no apply.
    if (meta("schema") == std::to_string(kSchema)) return;
  } else {
    if (!create) {
      throw InputError(
          {spec_.shown, 0, 0}, "--journal",
          fmt::format("no journal for campaign '{}' in this database (has apply run with it?)", spec_.campaign));
    }
    store::Stmt q(*db_, "SELECT count(*) FROM information_schema.tables WHERE table_schema=?1");
    q.bind(1, spec_.schema);
    if (q.step() && q.integer(0) > 0) {
      throw InputError(
          {spec_.shown, 0, 0}, "--journal",
          fmt::format("schema {} holds tables that are not an smsup journal; left untouched", spec_.schema));
    }
  }
  create_schema();
}

// Reads only: a store that is not a journal (no meta table, no format
// row), or a journal of another format or a newer schema, is bad input.
void Journal::check_is_journal() {
  std::string format;
  if (db_->has_table("meta")) format = meta("format");
  if (format.empty()) {
    throw InputError({spec_.shown, 0, 0}, "--journal",
                     spec_.engine == store::Engine::sqlite
                         ? "an SQLite database that is not an smsup journal (it has no journal format "
                           "record); left untouched. Name a new file for a new journal"
                         : "not an smsup journal (no journal format record); left untouched");
  }
  if (format != kFormat) {
    throw InputError({spec_.shown, 0, 0}, "--journal",
                     fmt::format("journal format '{}' is not {}; left untouched", format, kFormat));
  }
  std::string v = meta("schema");
  int schema = v.empty() ? 1 : std::atoi(v.c_str());
  if (schema > kSchema) {
    throw InputError({spec_.shown, 0, 0}, "--journal",
                     fmt::format("written by a newer smsup (journal schema {}; this smsup reads schemas "
                                 "up to {}); use that smsup or a newer one; left untouched",
                                 schema, kSchema));
  }
}

void Journal::create_schema() {
  bool pg = spec_.engine == store::Engine::postgresql;
  store::Tx tx(*db_);
  // The same tables on both engines; PostgreSQL's types are spelled out
  // (its REAL is single precision) and it numbers edges explicitly.
  if (pg) {
    db_->exec(R"(
    CREATE TABLE IF NOT EXISTS meta(key text PRIMARY KEY, value text NOT NULL);
    CREATE TABLE IF NOT EXISTS steps(
      id text PRIMARY KEY, ord integer NOT NULL, kind text, site text, host text,
      title text, manual integer NOT NULL, state text NOT NULL, attempts integer NOT NULL,
      started double precision, finished double precision, exit_code integer, output_tail text,
      message text, note text, how text, armed integer NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS edges(rowid bigserial PRIMARY KEY, step text NOT NULL,
                                     after text NOT NULL, lane integer NOT NULL DEFAULT 0);
    CREATE INDEX IF NOT EXISTS edges_after ON edges(after);
    CREATE TABLE IF NOT EXISTS events(
      seq bigserial PRIMARY KEY, at double precision NOT NULL, step text NOT NULL,
      state text NOT NULL, how text, detail text, who text, origin text);
    CREATE TABLE IF NOT EXISTS lock(
      id integer PRIMARY KEY CHECK (id = 1), pid bigint, pid_start bigint, host text,
      since double precision, boot text, token text, renewed double precision,
      lease double precision, who text);
  )");
  } else {
    db_->exec(R"(
    CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS steps(
      id TEXT PRIMARY KEY, ord INTEGER NOT NULL, kind TEXT, site TEXT, host TEXT,
      title TEXT, manual INTEGER NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
      started REAL, finished REAL, exit_code INTEGER, output_tail TEXT, message TEXT,
      note TEXT, how TEXT, armed INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS edges(step TEXT NOT NULL, after TEXT NOT NULL,
                                     lane INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX IF NOT EXISTS edges_after ON edges(after);
    CREATE TABLE IF NOT EXISTS events(
      seq INTEGER PRIMARY KEY, at REAL NOT NULL, step TEXT NOT NULL, state TEXT NOT NULL,
      how TEXT, detail TEXT, who TEXT, origin TEXT);
    CREATE TABLE IF NOT EXISTS lock(
      id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER, pid_start INTEGER, host TEXT,
      since REAL, boot TEXT, token TEXT, renewed REAL, lease REAL, who TEXT);
  )");
  }
  std::string format = meta("format");
  if (format.empty()) {
    store::Stmt(*db_, "INSERT INTO meta VALUES('format', ?1)").bind(1, kFormat).run();
    store::Stmt(*db_, "INSERT INTO meta VALUES('schema', ?1)").bind(1, std::to_string(kSchema)).run();
  } else if (meta("schema").empty()) {
    // Schema 1 (SQLite only): events without who and where, a lock without
    // a lease.
    db_->exec(R"(
      ALTER TABLE events ADD COLUMN who TEXT; ALTER TABLE events ADD COLUMN origin TEXT;
      ALTER TABLE lock ADD COLUMN token TEXT; ALTER TABLE lock ADD COLUMN renewed REAL;
      ALTER TABLE lock ADD COLUMN lease REAL; ALTER TABLE lock ADD COLUMN who TEXT;)");
    store::Stmt(*db_, "INSERT INTO meta VALUES('schema', ?1)").bind(1, std::to_string(kSchema)).run();
  }
  tx.commit();
}

std::string Journal::meta(std::string_view key) const {
  store::Stmt q(*db_, "SELECT value FROM meta WHERE key=?1");
  q.bind(1, key);
  return q.step() ? q.text(0) : std::string();
}

void Journal::set_meta(std::string_view key, std::string_view value) {
  store::Tx tx(*db_);
  store::Stmt(*db_, "DELETE FROM meta WHERE key=?1").bind(1, key).run();
  store::Stmt(*db_, "INSERT INTO meta VALUES(?1, ?2)").bind(1, key).bind(2, value).run();
  tx.commit();
}

bool Journal::has_plan() const { return !meta("plan_digest").empty(); }

std::optional<std::vector<double>> Journal::step_estimates() const {
  std::string text = meta("step_estimates");
  if (text.empty()) return std::nullopt;
  std::vector<double> out;
  const char* p = text.c_str();
  while (*p) {
    char* end = nullptr;
    double v = std::strtod(p, &end);
    if (end == p) return std::nullopt;  // not written by smsup: as if absent
    out.push_back(v);
    p = end;
  }
  return out;
}

void Journal::bind(const plan::Plan& plan, const std::string& digest, const std::string& plan_path,
                   const std::string& target) {
  store::Tx tx(*db_);
  store::Stmt m(*db_, "INSERT INTO meta VALUES(?1, ?2)");
  auto put = [&](std::string_view k, std::string_view v) { m.bind(1, k).bind(2, v).run(); };
  // Each step's estimate, for the ETA (step_estimates()).
  std::string estimates;
  for (const auto& s : plan.steps)
    fmt::format_to(std::back_inserter(estimates), "{}{}", estimates.empty() ? "" : " ", s.estimate_min);
  std::string old = meta("plan_digest");
  if (!old.empty()) {
    if (old != digest) {
      throw InputError({spec_.shown, 0, 0}, "--journal",
                       fmt::format("this journal belongs to another plan ({}, digest {}); "
                                   "this plan's digest is {}. Use a new --journal for it",
                                   meta("plan_path"), old.substr(0, 12), digest.substr(0, 12)));
    }
    // A journal bound by an older smsup gains the estimates when its run
    // goes on (the same plan: the digest says so).
    if (meta("step_estimates").empty()) {
      put("step_estimates", estimates);
      tx.commit();
    }
    return;
  }
  put("plan_digest", digest);
  put("plan_path", plan_path);
  put("hierarchy", plan.hierarchy);
  put("target", target);
  put("created", iso_time(now()));
  put("run_id", fmt::format("{}-{}-{}", hostname(), getpid(), static_cast<int64_t>(now() * 1000)));
  put("step_estimates", estimates);
  store::Stmt ins(*db_,
                  "INSERT INTO steps(id, ord, kind, site, host, title, manual, state, attempts) "
                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 0)");
  store::Stmt edge(*db_, "INSERT INTO edges(step, after, lane) VALUES(?1, ?2, ?3)");
  int ord = 0;
  for (const auto& s : plan.steps) {
    ins.bind(1, s.id).bind(2, ord++).bind(3, s.kind).bind(4, s.site).bind(5, s.host);
    ins.bind(6, s.title).bind(7, s.manual ? 1 : 0).run();
    for (const auto& a : s.after) {
      edge.bind(1, s.id).bind(2, a).bind(3, plan::is_lane_edge(s, a) ? 1 : 0).run();
    }
  }
  tx.commit();
}

namespace {

JournalStep read_step(const store::Stmt& q) {
  JournalStep r;
  r.id = q.text(0);
  r.kind = q.text(1);
  r.site = q.text(2);
  r.host = q.text(3);
  r.title = q.text(4);
  r.manual = q.integer(5) != 0;
  r.state = parse_state(q.text(6)).value_or(State::pending);
  r.attempts = static_cast<int>(q.integer(7));
  r.started = q.real(8);
  r.finished = q.real(9);
  r.exit_code = static_cast<int>(q.integer(10));
  r.output_tail = q.text(11);
  r.message = q.text(12);
  r.note = q.text(13);
  r.how = q.text(14);
  r.armed = q.integer(15) != 0;
  return r;
}

constexpr std::string_view kSelect =
    "SELECT id, kind, site, host, title, manual, state, attempts, started, finished, "
    "exit_code, output_tail, message, note, how, armed FROM steps ";

}  // namespace

std::vector<JournalStep> Journal::steps() const {
  std::vector<JournalStep> out;
  store::Stmt q(*db_, std::string(kSelect) + "ORDER BY ord");
  while (q.step()) out.push_back(read_step(q));
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < out.size(); ++i) index[out[i].id] = i;
  store::Stmt e(*db_, "SELECT step, after FROM edges ORDER BY rowid");
  while (e.step()) {
    auto it = index.find(e.text(0));
    if (it != index.end()) out[it->second].after.push_back(e.text(1));
  }
  return out;
}

std::optional<JournalStep> Journal::step(std::string_view id) const {
  store::Stmt q(*db_, std::string(kSelect) + "WHERE id=?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_step(q);
}

std::vector<JournalStep> Journal::steps_named(const std::vector<std::string>& ids) const {
  constexpr size_t kBatch = 32;
  std::string sql = std::string(kSelect) + "WHERE id IN (";
  for (size_t i = 0; i < kBatch; ++i) sql += fmt::format("{}?{}", i ? ", " : "", i + 1);
  sql += ")";
  std::vector<JournalStep> out;
  store::Stmt q(*db_, sql);
  for (size_t from = 0; from < ids.size(); from += kBatch) {
    for (size_t i = 0; i < kBatch; ++i) {
      int at = static_cast<int>(i + 1);
      if (from + i < ids.size()) {
        q.bind(at, ids[from + i]);
      } else {
        q.bind_null(at);  // matches nothing
      }
    }
    while (q.step()) out.push_back(read_step(q));
    q.reset();
  }
  return out;
}

std::vector<std::string> Journal::armed_pending() const {
  std::vector<std::string> out;
  store::Stmt q(*db_, "SELECT id FROM steps WHERE armed=1 AND state='pending'");
  while (q.step()) out.push_back(q.text(0));
  return out;
}

void Journal::add_event(std::string_view id, std::string_view state, std::string_view how, std::string_view detail,
                        double at) {
  if (!on_event_) {
    store::Stmt(*db_,
                "INSERT INTO events(at, step, state, how, detail, who, origin) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .bind(1, at)
        .bind(2, id)
        .bind(3, state)
        .bind(4, how)
        .bind(5, detail)
        .bind(6, who_)
        .bind(7, hostname())
        .run();
    return;
  }
  // Someone listens (apply --notify): the event's number too, handed on
  // once the transaction commits (publish()).
  store::Stmt q(*db_,
                "INSERT INTO events(at, step, state, how, detail, who, origin) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING seq");
  q.bind(1, at).bind(2, id).bind(3, state).bind(4, how).bind(5, detail).bind(6, who_).bind(7, hostname());
  int64_t seq = q.step() ? q.integer(0) : 0;
  q.reset();
  unpublished_.push_back(
      {seq, at, std::string(id), std::string(state), std::string(how), std::string(detail), who_, hostname()});
}

void Journal::publish() {
  auto events = std::move(unpublished_);
  unpublished_.clear();
  if (!on_event_) return;
  for (const auto& e : events) on_event_(e);
}

std::vector<Event> Journal::events(int64_t after, int64_t limit) const {
  std::vector<Event> out;
  store::Stmt q(*db_,
                "SELECT seq, at, step, state, how, detail, who, origin FROM events WHERE seq > ?1 "
                "ORDER BY seq LIMIT ?2");
  q.bind(1, after).bind(2, limit < 0 ? std::numeric_limits<int64_t>::max() : limit);
  while (q.step()) {
    out.push_back({q.integer(0), q.real(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6), q.text(7)});
  }
  return out;
}

const Waits& Journal::waits() {
  // The graph is fixed once bound; only the states change.
  if (!ids_.empty()) return waits_;
  std::unordered_map<std::string, size_t> index;
  store::Stmt q(*db_, "SELECT id FROM steps ORDER BY ord");
  while (q.step()) {
    index.emplace(q.text(0), ids_.size());
    ids_.push_back(q.text(0));
  }
  waits_.assign(ids_.size(), {});
  store::Stmt e(*db_, "SELECT step, after, lane FROM edges ORDER BY rowid");
  while (e.step()) {
    auto s = index.find(e.text(0));
    auto a = index.find(e.text(1));
    if (s != index.end() && a != index.end()) waits_[s->second].push_back({a->second, e.integer(2) != 0});
  }
  return waits_;
}

// Writes what cascade() decides for the states now in the journal. After a
// retry (`reword`), a step still skipped names the failure still behind it.
void Journal::apply_cascade(double now, bool reword) {
  const Waits& w = waits();
  std::vector<State> states;
  states.reserve(ids_.size());
  store::Stmt q(*db_, "SELECT state FROM steps ORDER BY ord");
  while (q.step()) states.push_back(parse_state(q.text(0)).value_or(State::pending));
  if (states.size() != ids_.size()) throw std::logic_error("journal: steps changed after bind");
  store::Stmt skip(*db_, "UPDATE steps SET state='skipped', message=?2, how='executor' WHERE id=?1");
  store::Stmt back(*db_, "UPDATE steps SET state='pending', message=NULL, how='retry' WHERE id=?1");
  for (const auto& c : cascade(w, states)) {
    if (c.state == State::skipped) {
      std::string msg = skip_message(ids_[c.because]);
      skip.bind(1, ids_[c.step]).bind(2, msg).run();
      add_event(ids_[c.step], to_string(State::skipped), "executor", msg, now);
    } else {
      back.bind(1, ids_[c.step]).run();
    }
  }
  if (!reword) return;
  auto behind = failed_behind(w, states);
  store::Stmt again(*db_,
                    "UPDATE steps SET message=?2, how='executor' "
                    "WHERE id=?1 AND state='skipped' AND message IS DISTINCT FROM ?2");
  for (size_t i = 0; i < ids_.size(); ++i) {
    if (states[i] != State::skipped || !behind[i]) continue;
    std::string msg = skip_message(ids_[*behind[i]]);
    again.bind(1, ids_[i]).bind(2, msg).run();
    if (db_->changes() > 0) add_event(ids_[i], to_string(State::skipped), "executor", msg, now);
  }
}

void Journal::record(const std::vector<Change>& changes) {
  bool start = std::any_of(changes.begin(), changes.end(), [](const Change& c) { return c.state == State::running; });
  record(changes, {}, start);
}

void Journal::record(const std::vector<Change>& changes, const std::vector<std::string>& arm, bool durable) {
  if (changes.empty() && arm.empty()) return;
  double now = this->now();
  auto sent = clock_->steady();
  unpublished_.clear();
  store::Tx tx(*db_, durable);
  // Fenced: nothing is written by an apply whose lease was taken.
  if (!token_.empty() && !renew(*db_)) lease_lost();
  store::Stmt arm_q(*db_, "UPDATE steps SET armed=1 WHERE id=?1");
  for (const auto& id : arm) arm_q.bind(1, id).run();
  store::Stmt run(*db_,
                  "UPDATE steps SET state='running', attempts=attempts+1, started=?2, "
                  "finished=NULL, exit_code=NULL, output_tail=NULL, message=?3, how=?4 WHERE id=?1");
  store::Stmt end(*db_,
                  "UPDATE steps SET state=?2, finished=?3, exit_code=?4, output_tail=?5, "
                  "message=?6, how=?7 WHERE id=?1");
  store::Stmt other(*db_, "UPDATE steps SET state=?2, message=?3, how=?4 WHERE id=?1");
  for (const auto& c : changes) {
    std::string msg = c.outcome && c.message.empty() ? c.outcome->message : c.message;
    if (c.state == State::running) {
      run.bind(1, c.id).bind(2, now).bind(3, msg).bind(4, c.how).run();
    } else if (c.state == State::succeeded || c.state == State::failed) {
      end.bind(1, c.id).bind(2, to_string(c.state)).bind(3, now);
      end.bind(4, c.outcome ? c.outcome->exit_code : 0);
      end.bind(5, c.outcome ? c.outcome->output_tail : std::string());
      end.bind(6, msg).bind(7, c.how).run();
    } else {
      other.bind(1, c.id).bind(2, to_string(c.state)).bind(3, msg).bind(4, c.how).run();
    }
    if (db_->changes() == 0) {
      throw std::runtime_error(fmt::format("{}: no step '{}' in this journal", spec_.shown, c.id));
    }
    add_event(c.id, to_string(c.state), c.how, msg, now);
  }
  // Once for the batch, as the executor decides it for the same states.
  if (std::any_of(changes.begin(), changes.end(), [](const Change& c) { return c.state == State::failed; })) {
    apply_cascade(now, false);
  }
  tx.commit();
  if (!token_.empty()) confirmed_ = sent.time_since_epoch().count();
  publish();
}

void Journal::confirm(std::string_view id, const std::string& note, bool fail) {
  unpublished_.clear();
  store::Tx tx(*db_);
  auto s = step(id);
  if (!s) throw InputError({spec_.shown, 0, 0}, "STEP", fmt::format("no step '{}' in this journal", id));
  if (s->state != State::waiting) {
    throw InputError({spec_.shown, 0, 0}, "STEP",
                     fmt::format("step '{}' is {}; only a step waiting for a person can be "
                                 "confirmed",
                                 id, to_string(s->state)));
  }
  if (s->manual && s->kind == "upgrade" && note.empty()) {
    throw InputError({spec_.shown, 0, 0}, "--note",
                     fmt::format("step '{}' is an upgrade a person did by hand: say what was done and "
                                 "what was checked with --note TEXT (it stays in the journal's events)",
                                 id));
  }
  double now = this->now();
  State st = fail ? State::failed : State::succeeded;
  store::Stmt(*db_,
              "UPDATE steps SET state=?2, finished=?3, note=?4, how='confirm', "
              "message=?5 WHERE id=?1")
      .bind(1, id)
      .bind(2, to_string(st))
      .bind(3, now)
      .bind(4, note)
      .bind(5, fail ? "a person reported it failed" : "confirmed by a person")
      .run();
  add_event(id, to_string(st), "confirm", note, now);
  if (fail) apply_cascade(now, false);
  tx.commit();
  publish();
}

void Journal::retry(std::string_view id, std::string_view detail) {
  unpublished_.clear();
  store::Tx tx(*db_);
  auto s = step(id);
  if (!s) throw InputError({spec_.shown, 0, 0}, "STEP", fmt::format("no step '{}' in this journal", id));
  if (s->state != State::failed) {
    throw InputError({spec_.shown, 0, 0}, "STEP",
                     fmt::format("step '{}' is {}; only a failed step can be retried", id, to_string(s->state)));
  }
  double now = this->now();
  store::Stmt(*db_,
              "UPDATE steps SET state='pending', message='set back by retry', how='retry' "
              "WHERE id=?1")
      .bind(1, id)
      .run();
  add_event(id, to_string(State::pending), "retry", detail, now);
  // Gives back what only this failure skipped; a step behind another
  // failure stays skipped, naming that one.
  apply_cascade(now, true);
  tx.commit();
  publish();
}

void Journal::flush() { db_->flush(); }

namespace {

// Copies `cols` of `table` in `order`, each read and written by its kind:
// t text, i integer, r real; NULL stays NULL.
size_t copy_rows(store::Conn& from, store::Conn& to, const std::string& table,
                 const std::vector<std::pair<std::string, char>>& cols, const std::string& order,
                 const std::string& where = "") {
  std::string names, marks;
  for (size_t i = 0; i < cols.size(); ++i) {
    names += (i ? ", " : "") + cols[i].first;
    marks += fmt::format("{}?{}", i ? ", " : "", i + 1);
  }
  store::Stmt q(from, fmt::format("SELECT {} FROM {} {} ORDER BY {}", names, table, where, order));
  store::Stmt ins(to, fmt::format("INSERT INTO {}({}) VALUES({})", table, names, marks));
  size_t n = 0;
  while (q.step()) {
    for (size_t i = 0; i < cols.size(); ++i) {
      int c = static_cast<int>(i);
      if (q.is_null(c)) {
        ins.bind_null(c + 1);
      } else if (cols[i].second == 'i') {
        ins.bind(c + 1, q.integer(c));
      } else if (cols[i].second == 'r') {
        ins.bind(c + 1, q.real(c));
      } else {
        ins.bind(c + 1, q.text(c));
      }
    }
    ins.run();
    ++n;
  }
  return n;
}

}  // namespace

Journal::Copied Journal::copy_into(Journal& target) const {
  Copied c;
  store::Tx tx(*target.db_);
  copy_rows(*db_, *target.db_, "meta", {{"key", 't'}, {"value", 't'}}, "key", "WHERE key NOT IN ('format', 'schema')");
  c.steps = copy_rows(*db_, *target.db_, "steps",
                      {{"id", 't'},
                       {"ord", 'i'},
                       {"kind", 't'},
                       {"site", 't'},
                       {"host", 't'},
                       {"title", 't'},
                       {"manual", 'i'},
                       {"state", 't'},
                       {"attempts", 'i'},
                       {"started", 'r'},
                       {"finished", 'r'},
                       {"exit_code", 'i'},
                       {"output_tail", 't'},
                       {"message", 't'},
                       {"note", 't'},
                       {"how", 't'},
                       {"armed", 'i'}},
                      "ord");
  c.edges = copy_rows(*db_, *target.db_, "edges", {{"step", 't'}, {"after", 't'}, {"lane", 'i'}}, "rowid");
  c.events = copy_rows(
      *db_, *target.db_, "events",
      {{"at", 'r'}, {"step", 't'}, {"state", 't'}, {"how", 't'}, {"detail", 't'}, {"who", 't'}, {"origin", 't'}},
      "seq");
  tx.commit();
  target.ids_.clear();
  return c;
}

bool Journal::changed_elsewhere() { return db_->changed_elsewhere(); }

}  // namespace smsup::run
