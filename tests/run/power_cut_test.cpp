// Power cut, proven: a fault-injecting SQLite VFS in the manner of SQLite's
// test VFS and leveldb's fault-injection environment. It wraps the default
// VFS, remembers each file as it was at its last xSync, and at a chosen
// xWrite/xSync/xTruncate (the Nth) loses power: every file goes back to its
// last synced content (a file never synced disappears, the WAL index -shm,
// which lives in memory, is gone) and the process ends on the spot. The
// world the steps changed (a file on the real disk) keeps what happened.
//
// A power cut is a reboot: the machine comes back with a new boot id, which
// is how the journal knows that commits not synced may be lost (steps are
// `armed` by a synced commit so that their own start needs no sync).
//
// For every cut point of a run: the journal opens, SQLite finds it
// consistent, every step the durable journal shows `running`, and every
// armed step still pending, is asked about (the executor's rule for steps a
// dead run left), and after the resume every step has run exactly once and
// the journal ends as an uninterrupted run's.
//
// Written by hand: SQLite ships its test VFS only inside its own test
// harness (testvfs.c, Tcl), and no Debian library offers a power-loss VFS.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fake_driver.h"
#include "run/executor.h"
#include "run/journal.h"
#include "support.h"

using namespace smsup;

namespace {

constexpr int kCutStatus = 86;   // the child lost power
constexpr int kDoneStatus = 87;  // the child's run ended before the cut point

// ---- The power-loss VFS ---------------------------------------------------

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;
long g_events = 0;   // xWrite, xSync and xTruncate calls so far
long g_cut_at = -1;  // the event that loses power; -1: never
// What each file the VFS opened held at its last sync (nullopt: never synced,
// so it would not be there after a power cut).
std::map<std::string, std::optional<std::string>>* g_durable = nullptr;

struct CutFile {
  sqlite3_file base;
  sqlite3_file* real;
  const char* path;  // SQLite keeps the name alive while the file is open
};

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<CutFile*>(f)->real; }

std::optional<std::string> read_whole(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return std::nullopt;
  std::string s;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return s;
}

// The power goes: files back to what was synced, the -shm gone, the process
// ended without running anything more (no destructors, no atexit).
[[noreturn]] void power_cut() {
  for (const auto& [path, content] : *g_durable) {
    if (!content) {
      ::unlink(path.c_str());
      continue;
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
    if (fd >= 0) {
      const char* p = content->data();
      size_t left = content->size();
      while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n <= 0) break;
        p += n;
        left -= static_cast<size_t>(n);
      }
      ::close(fd);
    }
    ::unlink((path + "-shm").c_str());
  }
  ::_exit(kCutStatus);
}

void event() {
  if (++g_events == g_cut_at) power_cut();
}

int x_close(sqlite3_file* f) {
  int rc = real_of(f)->pMethods ? real_of(f)->pMethods->xClose(real_of(f)) : SQLITE_OK;
  return rc;
}
int x_read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
  return real_of(f)->pMethods->xRead(real_of(f), b, n, o);
}
int x_write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  event();
  return real_of(f)->pMethods->xWrite(real_of(f), b, n, o);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  event();
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
// What is durable is this VFS's record, so the disk's own fsync is left out
// (it would only make the test slow).
int x_sync(sqlite3_file* f, int) {
  event();
  auto* cf = reinterpret_cast<CutFile*>(f);
  if (cf->path) (*g_durable)[cf->path] = read_whole(cf->path);
  return SQLITE_OK;
}
int x_size(sqlite3_file* f, sqlite3_int64* s) { return real_of(f)->pMethods->xFileSize(real_of(f), s); }
int x_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int x_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int x_check(sqlite3_file* f, int* r) { return real_of(f)->pMethods->xCheckReservedLock(real_of(f), r); }
int x_control(sqlite3_file* f, int op, void* a) { return real_of(f)->pMethods->xFileControl(real_of(f), op, a); }
int x_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int x_device(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int x_shm_map(sqlite3_file* f, int i, int sz, int ext, void volatile** p) {
  return real_of(f)->pMethods->xShmMap(real_of(f), i, sz, ext, p);
}
int x_shm_lock(sqlite3_file* f, int o, int n, int fl) { return real_of(f)->pMethods->xShmLock(real_of(f), o, n, fl); }
void x_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return real_of(f)->pMethods->xShmUnmap(real_of(f), del); }

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* cf = reinterpret_cast<CutFile*>(f);
  cf->real = reinterpret_cast<sqlite3_file*>(cf + 1);
  cf->path = name;
  // A file there before the VFS saw it is durable as it is (the runs before
  // ended cleanly); one it creates is not until synced.
  if (name && !g_durable->count(name)) (*g_durable)[name] = read_whole(name);
  int rc = g_real->xOpen(g_real, name, cf->real, flags, out_flags);
  f->pMethods = rc == SQLITE_OK ? &g_methods : nullptr;
  return rc;
}
// Deleting is taken as durable at once (SQLite syncs the folder after
// deleting a hot journal; the WAL is deleted only after a checkpoint synced).
int x_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  event();
  (*g_durable)[name] = std::nullopt;
  return g_real->xDelete(g_real, name, sync_dir);
}
int x_access(sqlite3_vfs*, const char* n, int fl, int* r) { return g_real->xAccess(g_real, n, fl, r); }
int x_full(sqlite3_vfs*, const char* n, int sz, char* out) { return g_real->xFullPathname(g_real, n, sz, out); }
void* x_dlopen(sqlite3_vfs*, const char* n) { return g_real->xDlOpen(g_real, n); }
void x_dlerror(sqlite3_vfs*, int n, char* m) { g_real->xDlError(g_real, n, m); }
void (*x_dlsym(sqlite3_vfs*, void* h, const char* s))(void) { return g_real->xDlSym(g_real, h, s); }
void x_dlclose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int x_random(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int x_time(sqlite3_vfs*, double* t) { return g_real->xCurrentTime(g_real, t); }
int x_last_error(sqlite3_vfs*, int n, char* m) { return g_real->xGetLastError(g_real, n, m); }
int x_time64(sqlite3_vfs*, sqlite3_int64* t) { return g_real->xCurrentTimeInt64(g_real, t); }

// Registers the VFS as the default, so that the journal (which opens with
// the default VFS) goes through it.
void install_power_cut_vfs() {
  if (g_real) return;
  g_real = sqlite3_vfs_find(nullptr);
  ASSERT_NE(g_real, nullptr);
  ASSERT_GE(g_real->iVersion, 2);
  g_durable = new std::map<std::string, std::optional<std::string>>();
  g_methods = {};
  g_methods.iVersion = 2;  // shared memory for WAL; no memory-mapped I/O (xFetch)
  g_methods.xClose = x_close;
  g_methods.xRead = x_read;
  g_methods.xWrite = x_write;
  g_methods.xTruncate = x_truncate;
  g_methods.xSync = x_sync;
  g_methods.xFileSize = x_size;
  g_methods.xLock = x_lock;
  g_methods.xUnlock = x_unlock;
  g_methods.xCheckReservedLock = x_check;
  g_methods.xFileControl = x_control;
  g_methods.xSectorSize = x_sector;
  g_methods.xDeviceCharacteristics = x_device;
  g_methods.xShmMap = x_shm_map;
  g_methods.xShmLock = x_shm_lock;
  g_methods.xShmBarrier = x_shm_barrier;
  g_methods.xShmUnmap = x_shm_unmap;
  g_vfs = {};
  g_vfs.iVersion = 2;
  g_vfs.szOsFile = static_cast<int>(sizeof(CutFile)) + g_real->szOsFile;
  g_vfs.mxPathname = g_real->mxPathname;
  g_vfs.zName = "smsup-power-cut";
  g_vfs.xOpen = x_open;
  g_vfs.xDelete = x_delete;
  g_vfs.xAccess = x_access;
  g_vfs.xFullPathname = x_full;
  g_vfs.xDlOpen = x_dlopen;
  g_vfs.xDlError = x_dlerror;
  g_vfs.xDlSym = x_dlsym;
  g_vfs.xDlClose = x_dlclose;
  g_vfs.xRandomness = x_random;
  g_vfs.xSleep = x_sleep;
  g_vfs.xCurrentTime = x_time;
  g_vfs.xGetLastError = x_last_error;
  g_vfs.xCurrentTimeInt64 = x_time64;
  ASSERT_EQ(sqlite3_vfs_register(&g_vfs, 1), SQLITE_OK);
}

// ---- The world the steps change --------------------------------------------

// Each step, when started, appends its id to a file on the real disk (what a
// step does on a host survives the journal's power cut); the probe reads it.
class WorldDriver : public test::FakeDriver {
 public:
  explicit WorldDriver(std::string world) : world_(std::move(world)) {}
  void start(const plan::Step& s) override {
    int fd = ::open(world_.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
    std::string line = s.id + "\n";
    if (fd < 0 || ::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(3);
    ::close(fd);
    FakeDriver::start(s);
  }
  drivers::Probe probe(const plan::Step& s) override {
    probed.push_back(s.id);
    return ran().count(s.id) ? drivers::Probe::done : drivers::Probe::not_done;
  }
  std::map<std::string, int> ran() const {
    std::map<std::string, int> c;
    std::ifstream in(world_);
    for (std::string line; std::getline(in, line);) ++c[line];
    return c;
  }

 private:
  std::string world_;
};

plan::Plan cut_plan() {
  using test::step;
  return test::plan_of(
      {step("CEN/backup", {}, "CEN01", "CEN"), step("CEN/upgrade", {"CEN/backup"}, "CEN01", "CEN"),
       step("PR1/backup", {}, "PR101", "PR1"), step("PR1/upgrade", {"PR1/backup", "CEN/upgrade"}, "PR101", "PR1"),
       step("PR2/backup", {}, "PR201", "PR2"), step("PR2/upgrade", {"PR2/backup", "CEN/upgrade"}, "PR201", "PR2")});
}

// As apply does (run/session.cpp): take the journal, bind the plan, run.
// No heartbeat: its thread's writes would make the events of a run differ
// from one run to the next.
run::Summary apply(const plan::Plan& p, const std::string& journal, WorldDriver& d) {
  run::Journal j(journal);
  j.lock(3600);
  j.bind(p, "digest", "plan.json", "fake");
  run::Options o;
  o.tick = std::chrono::milliseconds(1);
  run::Executor ex(p, j, d, o, nullptr);
  auto s = ex.run();
  j.unlock();
  return s;
}

// A power cut is a reboot: the machine comes back with a new boot id. The
// journal's holder row carries the boot id it was taken under; the test
// machine keeps its own, so the row is given the old boot's instead.
void reboot(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, "UPDATE lock SET boot = 'the boot before the power cut'", nullptr, nullptr, &err);
  std::string why = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  // A journal whose lock table was never created has no holder to update.
  if (rc != SQLITE_OK) {
    EXPECT_NE(why.find("no such table"), std::string::npos) << why;
  }
}

std::map<std::string, std::string> states_of(const std::string& journal) {
  run::Journal j(journal, false);
  std::map<std::string, std::string> m;
  for (const auto& r : j.steps()) m[r.id] = std::string(run::to_string(r.state)) + "/" + std::to_string(r.attempts);
  return m;
}

std::string integrity(const std::string& path) {
  sqlite3* db = nullptr;
  std::string out = "cannot open";
  // Read-write: a WAL database whose -shm went with the power needs to make
  // a new one to be read.
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

// Runs the plan in a child process that loses power at event `cut_at`
// (-1: never); returns its exit status and, through `events`, how many
// events the child saw when it ran to the end.
int run_with_power_cut(const plan::Plan& p, const std::string& journal, const std::string& world, long cut_at,
                       const std::string& count_file) {
  g_durable->clear();
  g_events = 0;
  g_cut_at = cut_at;
  pid_t pid = ::fork();
  if (pid == 0) {
    WorldDriver d(world);
    auto s = apply(p, journal, d);
    std::ofstream(count_file) << g_events;
    ::_exit(s.all_succeeded() ? kDoneStatus : 4);
  }
  g_cut_at = -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

}  // namespace

TEST(PowerCut, AtEveryWriteAndSyncTheJournalOpensConsistentAndEveryDurableRunningStepIsAskedAbout) {
  install_power_cut_vfs();
  test::TempDir t;
  auto p = cut_plan();

  // An uninterrupted run: the reference, and how many events a run has.
  ASSERT_EQ(run_with_power_cut(p, t / "ref.db", t / "ref-world.txt", -1, t / "count"), kDoneStatus);
  long events = std::stol(test::read_file(t / "count"));
  ASSERT_GT(events, 20) << "the VFS saw too few writes: is the journal going through it?";
  auto reference = states_of(t / "ref.db");

  // Every event when a run has few; else a few hundred spread over the run.
  long stride = std::max(1L, events / 300);
  int cuts = 0, with_running = 0, with_armed = 0;
  for (long cut = 1; cut <= events; cut += stride) {
    std::string tag = std::to_string(cut);
    std::string journal = t / ("j" + tag + ".db"), world = t / ("w" + tag + ".txt");
    int status = run_with_power_cut(p, journal, world, cut, t / "count");
    // A run may take a few events fewer than the first (steps that end in
    // the same poll share a commit): near the end it can finish first.
    ASSERT_TRUE(status == kCutStatus || (status == kDoneStatus && cut > events - 10))
        << "cut " << cut << " of " << events << ": exit status " << status;
    if (status == kCutStatus) ++cuts;

    // After the cut: what the disk kept. An empty or missing file is a
    // journal never created (apply makes a new one there).
    // Steps that must be asked about: those durably `running`, and those
    // armed (they may start on a record not yet synced) still pending.
    std::set<std::string> running, armed;
    auto kept = read_whole(journal);
    if (kept && !kept->empty()) {
      EXPECT_EQ(integrity(journal), "ok") << "cut " << cut;
      reboot(journal);
      try {
        run::Journal j(journal, false);
        for (const auto& r : j.steps()) {
          if (r.state == run::State::running) running.insert(r.id);
          if (r.state == run::State::pending && r.armed) armed.insert(r.id);
        }
      } catch (const std::exception& e) {
        // A journal whose first transactions were lost is empty (SQLite
        // rolled back the hot journal of its creation) or has none of
        // smsup's tables; apply creates it anew. Anything else is a failure.
        std::string what = e.what();
        EXPECT_TRUE(what.find("not an smsup journal") != std::string::npos ||
                    what.find("an empty file, not a journal") != std::string::npos)
            << "cut " << cut << ": " << what;
      }
    }
    if (!running.empty()) ++with_running;
    if (!armed.empty()) ++with_armed;

    WorldDriver d(world);
    auto s = apply(p, journal, d);
    EXPECT_TRUE(s.all_succeeded()) << "cut " << cut;
    std::set<std::string> probed(d.probed.begin(), d.probed.end());
    for (const auto& id : running)
      EXPECT_TRUE(probed.count(id)) << "cut " << cut << ": " << id << " was durably running and never asked about";
    for (const auto& id : armed)
      EXPECT_TRUE(probed.count(id)) << "cut " << cut << ": " << id << " was armed and never asked about";
    auto ran = d.ran();
    EXPECT_EQ(ran.size(), p.steps.size()) << "cut " << cut << ": some step never ran";
    for (const auto& [id, n] : ran) EXPECT_EQ(n, 1) << "cut " << cut << ": " << id << " ran " << n << " times";
    auto after = states_of(journal);
    for (const auto& [id, st] : reference) {
      // A step the resume found done by probing has one attempt, as in the
      // reference; the state must match.
      EXPECT_EQ(after[id].substr(0, after[id].find('/')), st.substr(0, st.find('/'))) << "cut " << cut << ": " << id;
    }
  }
  EXPECT_GE(with_running, cuts / 10) << "too few cuts landed while a step was durably running";
  std::printf("[power cut] %ld events in a run, %d cuts, %d with a step durably running, %d with an armed step\n",
              events, cuts, with_running, with_armed);
}
