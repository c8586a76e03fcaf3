#include "run/journal.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <unordered_map>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "run/journal_host.h"
#include "util/error.h"

namespace smsup::run {

namespace {

constexpr std::string_view kFormat = "smsup-journal/1";

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

Journal::Journal(const std::string& path, bool create) : path_(path) {
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
    db_ = std::make_unique<sql::Db>(path);
    if (!fresh) check_is_journal();
    // WAL: readers (status from another terminal) never block the run.
    // synchronous=FULL: a commit is on disk before the next action starts,
    // so even a power loss cannot forget a step that completed (NORMAL could
    // roll back the last commits and a step would then run twice).
    db_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    create_schema();
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const InputError*>(&e)) throw;
    throw InputError({path, 0, 0}, "--journal",
                     fmt::format("not a usable smsup journal ({})", e.what()));
  }
}

// Reads only: a file that is not an SQLite database, or one without the
// journal's meta table and format row, is bad input.
void Journal::check_is_journal() {
  sql::Stmt t(*db_, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'");
  bool has_meta = t.step() && t.integer(0) > 0;
  t.reset();
  std::string format;
  if (has_meta) {
    sql::Stmt q(*db_, "SELECT value FROM meta WHERE key='format'");
    if (q.step()) format = q.text(0);
  }
  if (format.empty()) {
    throw InputError({path_, 0, 0}, "--journal",
                     "an SQLite database that is not an smsup journal (it has no journal format "
                     "record); left untouched. Name a new file for a new journal");
  }
  if (format != kFormat) {
    throw InputError({path_, 0, 0}, "--journal",
                     fmt::format("journal format '{}' is not {}; left untouched", format, kFormat));
  }
}

void Journal::create_schema() {
  sql::Tx tx(*db_);
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
      how TEXT, detail TEXT);
    CREATE TABLE IF NOT EXISTS lock(
      id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER, pid_start INTEGER, host TEXT,
      since REAL, boot TEXT);
  )");
  sql::Stmt fmt_row(*db_, "SELECT value FROM meta WHERE key='format'");
  if (fmt_row.step()) {
    if (fmt_row.text(0) != kFormat) {
      throw InputError({path_, 0, 0}, "--journal",
                       fmt::format("journal format '{}' is not {}", fmt_row.text(0), kFormat));
    }
  } else {
    sql::Stmt(*db_, "INSERT INTO meta VALUES('format', ?1)").bind(1, kFormat).run();
  }
  tx.commit();
}

std::string Journal::meta(std::string_view key) const {
  sql::Stmt q(*db_, "SELECT value FROM meta WHERE key=?1");
  q.bind(1, key);
  return q.step() ? q.text(0) : std::string();
}

bool Journal::has_plan() const { return !meta("plan_digest").empty(); }

void Journal::bind(const plan::Plan& plan, const std::string& digest,
                   const std::string& plan_path, const std::string& target) {
  sql::Tx tx(*db_);
  std::string old = meta("plan_digest");
  if (!old.empty()) {
    if (old != digest) {
      throw InputError({path_, 0, 0}, "--journal",
                       fmt::format("this journal belongs to another plan ({}, digest {}); "
                                   "this plan's digest is {}. Use a new --journal for it",
                                   meta("plan_path"), old.substr(0, 12), digest.substr(0, 12)));
    }
    return;
  }
  sql::Stmt m(*db_, "INSERT OR REPLACE INTO meta VALUES(?1, ?2)");
  auto put = [&](std::string_view k, std::string_view v) { m.bind(1, k).bind(2, v).run(); };
  put("plan_digest", digest);
  put("plan_path", plan_path);
  put("hierarchy", plan.hierarchy);
  put("target", target);
  put("created", iso_time(now_seconds()));
  put("run_id", fmt::format("{}-{}-{}", hostname(), getpid(),
                            static_cast<int64_t>(now_seconds() * 1000)));
  sql::Stmt ins(*db_,
                "INSERT INTO steps(id, ord, kind, site, host, title, manual, state, attempts) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', 0)");
  sql::Stmt edge(*db_, "INSERT INTO edges(step, after, lane) VALUES(?1, ?2, ?3)");
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

JournalStep read_step(const sql::Stmt& q) {
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
  sql::Stmt q(*db_, std::string(kSelect) + "ORDER BY ord");
  while (q.step()) out.push_back(read_step(q));
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < out.size(); ++i) index[out[i].id] = i;
  sql::Stmt e(*db_, "SELECT step, after FROM edges ORDER BY rowid");
  while (e.step()) {
    auto it = index.find(e.text(0));
    if (it != index.end()) out[it->second].after.push_back(e.text(1));
  }
  return out;
}

std::optional<JournalStep> Journal::step(std::string_view id) const {
  sql::Stmt q(*db_, std::string(kSelect) + "WHERE id=?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_step(q);
}

void Journal::add_event(std::string_view id, State s, std::string_view how,
                        std::string_view detail, double now) {
  sql::Stmt(*db_, "INSERT INTO events(at, step, state, how, detail) VALUES(?1, ?2, ?3, ?4, ?5)")
      .bind(1, now)
      .bind(2, id)
      .bind(3, to_string(s))
      .bind(4, how)
      .bind(5, detail)
      .run();
}

const Waits& Journal::waits() {
  // The graph is fixed once bound; only the states change.
  if (!ids_.empty()) return waits_;
  std::unordered_map<std::string, size_t> index;
  sql::Stmt q(*db_, "SELECT id FROM steps ORDER BY ord");
  while (q.step()) {
    index.emplace(q.text(0), ids_.size());
    ids_.push_back(q.text(0));
  }
  waits_.assign(ids_.size(), {});
  sql::Stmt e(*db_, "SELECT step, after, lane FROM edges ORDER BY rowid");
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
  sql::Stmt q(*db_, "SELECT state FROM steps ORDER BY ord");
  while (q.step()) states.push_back(parse_state(q.text(0)).value_or(State::pending));
  if (states.size() != ids_.size()) throw std::logic_error("journal: steps changed after bind");
  sql::Stmt skip(*db_, "UPDATE steps SET state='skipped', message=?2, how='executor' WHERE id=?1");
  sql::Stmt back(*db_, "UPDATE steps SET state='pending', message=NULL, how='retry' WHERE id=?1");
  for (const auto& c : cascade(w, states)) {
    if (c.state == State::skipped) {
      std::string msg = skip_message(ids_[c.because]);
      skip.bind(1, ids_[c.step]).bind(2, msg).run();
      add_event(ids_[c.step], State::skipped, "executor", msg, now);
    } else {
      back.bind(1, ids_[c.step]).run();
    }
  }
  if (!reword) return;
  auto behind = failed_behind(w, states);
  sql::Stmt again(*db_,
                  "UPDATE steps SET message=?2, how='executor' "
                  "WHERE id=?1 AND state='skipped' AND message IS NOT ?2");
  for (size_t i = 0; i < ids_.size(); ++i) {
    if (states[i] != State::skipped || !behind[i]) continue;
    std::string msg = skip_message(ids_[*behind[i]]);
    again.bind(1, ids_[i]).bind(2, msg).run();
    if (db_->changes() > 0) add_event(ids_[i], State::skipped, "executor", msg, now);
  }
}

void Journal::record(const std::vector<Change>& changes) {
  bool start = std::any_of(changes.begin(), changes.end(),
                           [](const Change& c) { return c.state == State::running; });
  record(changes, {}, start);
}

void Journal::record(const std::vector<Change>& changes, const std::vector<std::string>& arm,
                     bool durable) {
  if (changes.empty() && arm.empty()) return;
  double now = now_seconds();
  set_sync(durable);
  sql::Tx tx(*db_);
  sql::Stmt arm_q(*db_, "UPDATE steps SET armed=1 WHERE id=?1");
  for (const auto& id : arm) arm_q.bind(1, id).run();
  sql::Stmt run(*db_,
                "UPDATE steps SET state='running', attempts=attempts+1, started=?2, "
                "finished=NULL, exit_code=NULL, output_tail=NULL, message=?3, how=?4 WHERE id=?1");
  sql::Stmt end(*db_,
                "UPDATE steps SET state=?2, finished=?3, exit_code=?4, output_tail=?5, "
                "message=?6, how=?7 WHERE id=?1");
  sql::Stmt other(*db_, "UPDATE steps SET state=?2, message=?3, how=?4 WHERE id=?1");
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
      throw std::runtime_error(fmt::format("{}: no step '{}' in this journal", path_, c.id));
    }
    add_event(c.id, c.state, c.how, msg, now);
  }
  // Once for the batch, as the executor decides it for the same states.
  if (std::any_of(changes.begin(), changes.end(), [](const Change& c) { return c.state == State::failed; })) {
    apply_cascade(now, false);
  }
  tx.commit();
}

void Journal::confirm(std::string_view id, const std::string& note, bool fail) {
  sql::Tx tx(*db_);
  auto s = step(id);
  if (!s) throw InputError({path_, 0, 0}, "STEP", fmt::format("no step '{}' in this journal", id));
  if (s->state != State::waiting) {
    throw InputError({path_, 0, 0}, "STEP",
                     fmt::format("step '{}' is {}; only a step waiting for a person can be "
                                 "confirmed",
                                 id, to_string(s->state)));
  }
  double now = now_seconds();
  State st = fail ? State::failed : State::succeeded;
  sql::Stmt(*db_,
            "UPDATE steps SET state=?2, finished=?3, note=?4, how='confirm', "
            "message=?5 WHERE id=?1")
      .bind(1, id)
      .bind(2, to_string(st))
      .bind(3, now)
      .bind(4, note)
      .bind(5, fail ? "a person reported it failed" : "confirmed by a person")
      .run();
  add_event(id, st, "confirm", note, now);
  if (fail) apply_cascade(now, false);
  tx.commit();
}

void Journal::retry(std::string_view id) {
  sql::Tx tx(*db_);
  auto s = step(id);
  if (!s) throw InputError({path_, 0, 0}, "STEP", fmt::format("no step '{}' in this journal", id));
  if (s->state != State::failed) {
    throw InputError({path_, 0, 0}, "STEP",
                     fmt::format("step '{}' is {}; only a failed step can be retried", id,
                                 to_string(s->state)));
  }
  double now = now_seconds();
  sql::Stmt(*db_, "UPDATE steps SET state='pending', message='set back by retry', how='retry' "
                  "WHERE id=?1")
      .bind(1, id)
      .run();
  add_event(id, State::pending, "retry", "", now);
  // Gives back what only this failure skipped; a step behind another
  // failure stays skipped, naming that one.
  apply_cascade(now, true);
  tx.commit();
}

void Journal::set_sync(bool full) {
  if (full == synced_) return;
  db_->exec(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  synced_ = full;
}

void Journal::flush() {
  set_sync(true);
  db_->exec("PRAGMA wal_checkpoint(FULL)");
}

bool Journal::changed_elsewhere() {
  sql::Stmt q(*db_, "PRAGMA data_version");
  int64_t v = q.step() ? q.integer(0) : 0;
  bool changed = data_version_ >= 0 && v != data_version_;
  data_version_ = v;
  return changed;
}

}  // namespace smsup::run
