// The journal's lock (one row) and what it knows about its holder.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "run/journal.h"
#include "run/journal_host.h"
#include "util/error.h"

namespace smsup::run {

std::string hostname() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

// Start time of a process (clock ticks since boot, field 22 of /proc/PID/stat),
// so that a reused pid is not taken for the lock holder. 0 when unknown.
int64_t process_start(int64_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = s.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(s.substr(close + 2));
  std::string f;
  for (int i = 3; i <= 22 && fields >> f; ++i) {
    if (i == 22) return std::stoll(f);
  }
  return 0;
}

// Changes every boot: tells a killed process (the OS cache kept every
// commit) from a power loss or OS crash (the unsynced commits may be lost).
std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

bool process_alive(int64_t pid, int64_t start) {
  if (pid <= 0) return false;
  if (kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  return start == 0 || process_start(pid) == start;
}

namespace {

// The store's clock in SQL (store.h, Conn::now()), so that a renewal and the
// age of a lease are judged by one clock.
const char* now_sql(const store::Conn& c) {
  return c.engine() == store::Engine::postgresql ? "extract(epoch FROM clock_timestamp())"
                                                 : "((julianday('now') - 2440587.5) * 86400.0)";
}

int64_t ticks(std::chrono::steady_clock::time_point t) { return t.time_since_epoch().count(); }

std::optional<LockHolder> holder_in(store::Conn& c) {
  store::Stmt q(c, fmt::format("SELECT pid, host, since, who, renewed, lease, {} - renewed "
                               "FROM lock WHERE id=1",
                               now_sql(c)));
  if (!q.step()) return std::nullopt;
  return LockHolder{q.integer(0), q.text(1), q.real(2), q.text(3), q.real(4), q.real(5), q.real(6)};
}

}  // namespace

std::optional<LockHolder> Journal::holder() const { return holder_in(*db_); }

Journal::Look Journal::look() const {
  // The same holder as holder_in() gives; max(seq) is read from the
  // primary key's index on both engines.
  store::Stmt q(*db_, fmt::format("SELECT (SELECT coalesce(max(seq), 0) FROM events), l.id, l.pid, l.host, l.since, "
                                  "l.who, l.renewed, l.lease, {} - l.renewed "
                                  "FROM (SELECT 1 AS one) AS o LEFT JOIN lock AS l ON l.id = 1",
                                  now_sql(*db_)));
  Look l;
  if (!q.step()) return l;
  l.last_seq = q.integer(0);
  if (!q.is_null(1)) {
    l.holder = LockHolder{q.integer(2), q.text(3), q.real(4), q.text(5), q.real(6), q.real(7), q.real(8)};
  }
  q.reset();
  return l;
}

std::optional<LockHolder> Journal::lock(double lease) {
  bool sqlite = db_->engine() == store::Engine::sqlite;
  if (!sqlite) {
    // A holder paused inside a transaction (SIGSTOP, a hung VM) would hold
    // the writers' lock for ever: the server ends such a session after a
    // lease, so that another apply can take over.
    db_->exec(fmt::format("SET idle_in_transaction_session_timeout = {}", static_cast<int64_t>(lease * 1000)));
  }
  auto sent = clock_->steady();
  unpublished_.clear();
  store::Tx tx(*db_, true);
  double store_now = db_->now();
  std::string boot = db_->boot();
  std::optional<LockHolder> taken_over;
  bool alive = false;
  store::Stmt q(*db_, "SELECT pid, pid_start, host, since, boot, who, renewed, lease FROM lock WHERE id=1");
  if (q.step()) {
    LockHolder h{q.integer(0), q.text(2), q.real(3), q.text(5), q.real(6), q.real(7), 0};
    h.age = store_now - (h.renewed > 0 ? h.renewed : h.since);
    int64_t start = q.integer(1);
    std::string their_boot = q.text(4);
    bool same_host = h.host == hostname();
    // The holder died with the store's machine (this machine for SQLite, a
    // restart of the PostgreSQL server): the commits not synced may be lost,
    // the armed steps may have started.
    rebooted_ = sqlite ? same_host && their_boot != boot : !their_boot.empty() && their_boot != boot;
    // A process of this host can be asked whether it still runs; one of
    // another host cannot, and only its lease tells.
    alive = same_host ? !(sqlite && rebooted_) && process_alive(h.pid, start) : true;
    bool expired = h.lease > 0 && h.age > h.lease;
    if (alive && !expired) {
      std::string lease_text =
          h.lease > 0 ? fmt::format("; its lease was renewed {:.0f} s ago and lasts {:.0f} s", h.age, h.lease) : "";
      throw InputError({spec_.shown, 0, 0}, "--journal",
                       fmt::format("in use by smsup apply, pid {} on host {}{}, since {}{}{}", h.pid, h.host,
                                   h.who.empty() ? "" : " (operator " + h.who + ")", iso_time(h.since), lease_text,
                                   same_host ? ""
                                             : " (on another host: it is taken over once its "
                                               "lease runs out unrenewed)"));
    }
    taken_over = h;
  }
  q.reset();
  token_ = fmt::format("{}-{}-{}", hostname(), getpid(), ticks(sent));
  db_->exec("DELETE FROM lock");
  store::Stmt(*db_,
              "INSERT INTO lock(id, pid, pid_start, host, since, boot, token, renewed, lease, who) "
              "VALUES(1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
      .bind(1, static_cast<int64_t>(getpid()))
      .bind(2, process_start(getpid()))
      .bind(3, hostname())
      .bind(4, now())
      .bind(5, boot)
      .bind(6, token_)
      .bind(7, store_now)
      .bind(8, lease)
      .bind(9, who_)
      .run();
  if (taken_over) {
    const LockHolder& h = *taken_over;
    add_event("", "takeover", "lease",
              fmt::format(
                  "took the journal over from pid {} on host {}{}, whose lease was last renewed "
                  "{:.1f} s before{}",
                  h.pid, h.host, h.who.empty() ? "" : " (operator " + h.who + ")", h.age,
                  alive ? fmt::format(" (its lease of {:.0f} s ran out)", h.lease) : " (that process no longer runs)"),
              now());
  }
  tx.commit();
  publish();
  lease_ = lease;
  lost_ = false;
  confirmed_ = ticks(sent);
  return taken_over;
}

void Journal::unlock() {
  stop_heartbeat();
  if (token_.empty()) return;
  store::Stmt(*db_, "DELETE FROM lock WHERE id=1 AND token=?1").bind(1, token_).run();
  token_.clear();
}

bool Journal::renew(store::Conn& c) {
  store::Stmt(c, fmt::format("UPDATE lock SET renewed={} WHERE id=1 AND token=?1", now_sql(c))).bind(1, token_).run();
  return c.changes() > 0;
}

void Journal::start_heartbeat(std::chrono::milliseconds every) {
  if (token_.empty() || heartbeat_.joinable()) return;
  using namespace std::chrono;
  if (every.count() <= 0) {
    every = std::clamp(milliseconds(static_cast<int64_t>(lease_ * 1000 / 5)), milliseconds(100), milliseconds(10000));
  }
  hb_stop_ = false;
  heartbeat_ = std::thread([this, every] {
    // Its own connection: a connection is used by one thread at a time.
    std::unique_ptr<store::Conn> c;
    std::unique_lock lk(hb_mu_);
    while (!hb_cv_.wait_for(lk, every, [&] { return hb_stop_; })) {
      lk.unlock();
      try {
        if (!c) {
          c = spec_.engine == store::Engine::postgresql ? store::open_postgresql(spec_, false)
                                                        : store::open_sqlite(spec_.path);
        }
        auto sent = clock_->steady();
        if (!renew(*c)) {
          lost_ = true;
          return;
        }
        confirmed_ = ticks(sent);
      } catch (const std::exception&) {
        c.reset();  // connect again at the next beat; check_lease() judges the delay
      }
      lk.lock();
    }
  });
}

void Journal::stop_heartbeat() {
  if (!heartbeat_.joinable()) return;
  {
    std::lock_guard lk(hb_mu_);
    hb_stop_ = true;
  }
  hb_cv_.notify_all();
  heartbeat_.join();
}

void Journal::check_lease() {
  if (token_.empty()) return;
  if (lost_) lease_lost();
  auto since = std::chrono::steady_clock::duration(ticks(clock_->steady()) - confirmed_.load());
  if (std::chrono::duration<double>(since).count() <= lease_ / 2) return;
  // Not confirmed for half a lease (a slow heartbeat, a paused process):
  // confirm it now, before anything starts.
  auto sent = clock_->steady();
  bool ok = false;
  {
    store::Tx tx(*db_, true);
    ok = renew(*db_);
    tx.commit();
  }
  if (!ok) lease_lost();
  confirmed_ = ticks(sent);
}

void Journal::check_lease_after_disconnect() {
  if (token_.empty() || spec_.engine != store::Engine::postgresql) return;
  std::unique_ptr<store::Conn> c;
  try {
    c = store::open_postgresql(spec_, false);
    store::Stmt q(*c, "SELECT token FROM lock WHERE id=1");
    if (q.step() && q.text(0) == token_) return;
  } catch (const std::exception&) {
    return;  // the server cannot be asked: the lost connection is the news
  }
  lease_lost(c.get());
}

void Journal::lease_lost(store::Conn* asked) {
  lost_ = true;
  std::string by;
  try {
    if (auto h = holder_in(asked ? *asked : *db_)) {
      by = fmt::format(" by pid {} on host {}{}", h->pid, h->host, h->who.empty() ? "" : " (operator " + h->who + ")");
    }
  } catch (const std::exception&) {
  }
  throw LeaseLost(
      fmt::format("{}: this apply's lease on the journal was taken over{} (it was not renewed "
                  "within {:.0f} s): it starts nothing more. The steps it started go on; "
                  "the apply holding the journal now resolves them",
                  spec_.shown, by, lease_));
}

}  // namespace smsup::run
