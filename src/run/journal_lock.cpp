// The journal's lock (one row) and what it knows about its holder.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

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


std::optional<LockHolder> Journal::holder() const {
  sql::Stmt q(*db_, "SELECT pid, host, since FROM lock WHERE id=1");
  if (!q.step()) return std::nullopt;
  return LockHolder{q.integer(0), q.text(1), q.real(2)};
}

std::optional<LockHolder> Journal::lock() {
  set_sync(true);
  sql::Tx tx(*db_);
  std::optional<LockHolder> taken_over;
  sql::Stmt q(*db_, "SELECT pid, pid_start, host, since, boot FROM lock WHERE id=1");
  if (q.step()) {
    LockHolder h{q.integer(0), q.text(2), q.real(3)};
    int64_t start = q.integer(1);
    // The holder died with this machine: the commits it had not synced
    // may be lost, the armed steps may have started.
    if (h.host == hostname() && q.text(4) != boot_id()) {
      rebooted_ = true;
      start = 0;
    }
    bool same_host = h.host == hostname();
    if (!same_host || (!rebooted_ && process_alive(h.pid, start))) {
      throw InputError({path_, 0, 0}, "--journal",
                       fmt::format("in use by smsup apply, pid {} on host {}, since {}{}", h.pid,
                                   h.host, iso_time(h.since),
                                   same_host ? "" : " (on another host: cannot tell if it "
                                                    "still runs; stop it there first)"));
    }
    taken_over = h;
  }
  q.reset();
  sql::Stmt(*db_, "INSERT OR REPLACE INTO lock VALUES(1, ?1, ?2, ?3, ?4, ?5)")
      .bind(1, static_cast<int64_t>(getpid()))
      .bind(2, process_start(getpid()))
      .bind(3, hostname())
      .bind(4, now_seconds())
      .bind(5, boot_id())
      .run();
  tx.commit();
  return taken_over;
}

void Journal::unlock() {
  set_sync(true);
  sql::Stmt(*db_, "DELETE FROM lock WHERE id=1 AND pid=?1 AND host=?2")
      .bind(1, static_cast<int64_t>(getpid()))
      .bind(2, hostname())
      .run();
}

}  // namespace smsup::run
