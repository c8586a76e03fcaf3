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

#include "run/journal_host.h"
#include "util/error.h"

namespace smsup::run {

namespace {

constexpr std::string_view kFormat = "smsup-journal/1";
constexpr std::string_view kStates[] = {"pending", "running", "waiting",
                                        "succeeded", "failed", "skipped"};

}  // namespace

std::string_view to_string(State s) { return kStates[static_cast<int>(s)]; }

std::optional<State> parse_state(std::string_view s) {
  for (int i = 0; i < 6; ++i) {
    if (kStates[i] == s) return static_cast<State>(i);
  }
  return std::nullopt;
}

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
  if (!create && !std::filesystem::exists(path)) {
    throw InputError({path, 0, 0}, "--journal", "no such journal (has apply run with it?)");
  }
  try {
    db_ = std::make_unique<sql::Db>(path);
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

StepRecord read_record(const sql::Stmt& q) {
  StepRecord r;
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

std::vector<StepRecord> Journal::steps() const {
  std::vector<StepRecord> out;
  sql::Stmt q(*db_, std::string(kSelect) + "ORDER BY ord");
  while (q.step()) out.push_back(read_record(q));
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < out.size(); ++i) index[out[i].id] = i;
  sql::Stmt e(*db_, "SELECT step, after FROM edges ORDER BY rowid");
  while (e.step()) {
    auto it = index.find(e.text(0));
    if (it != index.end()) out[it->second].after.push_back(e.text(1));
  }
  return out;
}

std::optional<StepRecord> Journal::step(std::string_view id) const {
  sql::Stmt q(*db_, std::string(kSelect) + "WHERE id=?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return read_record(q);
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

// Lane edges (plan.h, is_lane_edge) only order: they are not followed here.
void Journal::skip_dependants(std::string_view failed_id, double now) {
  std::string msg = fmt::format("not run: depends on {}, which failed", failed_id);
  sql::Stmt q(*db_, R"(
    WITH RECURSIVE d(id) AS (
      SELECT step FROM edges WHERE after = ?1 AND lane = 0
      UNION SELECT e.step FROM edges e JOIN d ON e.after = d.id AND e.lane = 0)
    SELECT id FROM d)");
  q.bind(1, failed_id);
  sql::Stmt up(*db_,
               "UPDATE steps SET state='skipped', message=?2, how='executor' "
               "WHERE id=?1 AND state='pending'");
  std::vector<std::string> ids;
  while (q.step()) ids.push_back(q.text(0));
  for (const auto& id : ids) {
    up.bind(1, id).bind(2, msg).run();
    if (db_->changes() > 0) add_event(id, State::skipped, "executor", msg, now);
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
    if (c.state == State::failed) skip_dependants(c.id, now);
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
  if (fail) skip_dependants(id, now);
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
  // Give every skipped step back, then skip again behind the steps that are
  // still failed: a step behind two failures stays skipped.
  sql::Stmt(*db_, "UPDATE steps SET state='pending', message=NULL, how='retry' "
                  "WHERE state='skipped'")
      .run();
  std::vector<std::string> failed;
  sql::Stmt q(*db_, "SELECT id FROM steps WHERE state='failed' ORDER BY ord");
  while (q.step()) failed.push_back(q.text(0));
  for (const auto& f : failed) skip_dependants(f, now);
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
