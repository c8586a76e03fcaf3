// dbtest on SQLite. The original is opened read-only and copied with the
// online backup API into PATH.smsup-dbtest-<pid>-<time>.db; everything after
// that happens in the copy.
//
// The log: SQL Server logs every page a transaction changes; SQLite's WAL
// would hold the same, but a WAL of gigabytes makes every page lookup scan
// its whole index (twice as slow as the bare shell on 1M clients). So the
// copy keeps a rollback journal (PERSIST, so it survives the commit) and the
// log is what a WAL would have held: the pre-existing pages the migration
// changed (the journal's records) plus the pages it added to the file.
#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>

#include "dbtest/copy_name.h"
#include "dbtest/dbtest.h"
#include "dbtest/sqlite_db.h"
#include "util/error.h"
#include "util/input_file.h"

namespace smsup::dbtest {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void remove_db_files(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

// Copies of `original` left by runs that died: their pid is in the name.
std::vector<std::string> clean_leftovers(const std::string& original) {
  std::map<std::string, bool> seen;
  fs::path dir = fs::path(original).parent_path();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir.empty() ? "." : dir, ec)) {
    std::string name = e.path().filename().string();
    auto pid = sqlite_copy_pid(original, name);
    if (!pid || pid_alive(*pid)) continue;
    fs::remove(e.path(), ec);
    std::string db = name.substr(0, name.rfind(".db") + 3);
    seen[(dir / db).string()] = true;
  }
  std::vector<std::string> out;
  for (const auto& [p, _] : seen) out.push_back(p);
  return out;
}

void refuse_copies_and_replication(const std::string& path, SqliteDb& db) {
  if (db.has_table(kCopyMarkerTable)) {
    throw InputError({path, 0, 0}, "--db",
                     "this database is a copy made by smsup dbtest (it holds the table " +
                         std::string(kCopyMarkerTable) + "), not a site database; give the original");
  }
  if (!db.has_table("SiteSettings")) return;
  std::string v = db.text("SELECT Value FROM SiteSettings WHERE Name = 'Replication'");
  for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (v == "true" || v == "1" || v == "yes" || v == "on") {
    throw InputError({path, 0, 0}, "--db",
                     "replication of the site database is enabled (SiteSettings.Replication = '" + v +
                         "'); nothing was touched. Disable publishing first (set SiteSettings "
                         "Replication to 'false'), back up again and test that backup; re-enable "
                         "replication after the upgrade is verified");
  }
}

std::vector<std::string> user_tables(SqliteDb& db) {
  std::vector<std::string> out;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db.get(),
                     "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                     "ORDER BY name",
                     -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) {
    std::string n = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    if (n != kCopyMarkerTable) out.push_back(n);
  }
  sqlite3_finalize(st);
  return out;
}

// Page records in a rollback journal left by journal_mode=PERSIST: one
// sector-sized header, then (4-byte page number, page, 4-byte checksum) each.
int64_t journal_pages(const std::string& journal, int64_t page) {
  std::error_code ec;
  auto size = static_cast<int64_t>(fs::file_size(journal, ec));
  if (ec || size <= 512) return 0;
  return (size - 512) / (page + 8);
}

// The sizes of the real database a stand-in stands for (site_db.h), when
// its SiteSettings name them.
std::optional<std::pair<int64_t, int64_t>> stand_in_sizes(SqliteDb& db) {
  if (!db.has_table("SiteSettings")) return std::nullopt;
  auto setting = [&](const char* name) -> std::optional<int64_t> {
    std::string v = db.text(std::string("SELECT Value FROM SiteSettings WHERE Name = '") + name + "'");
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 12) return std::nullopt;
    return std::stoll(v);
  };
  auto data = setting(kSiteDataMbSetting), log = setting(kSiteLogMbSetting);
  if (!data || !log) return std::nullopt;
  return std::make_pair(*data, *log);
}

// An empty site database (0 clients) run through the same migration: the
// catalogs' part of a run, which does not grow with the site. Once per
// migration text per process (the twin tests every site's database).
MigrationRun empty_run(const Options& opts) {
  static std::mutex mu;
  static std::map<std::string, MigrationRun> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(opts.migration.sql); it != cache.end()) return it->second;
  std::error_code ec;
  fs::path dir = fs::temp_directory_path(ec);
  static int counter = 0;
  std::string path =
      (dir / ("smsup-empty-site-db-" + std::to_string(getpid()) + "-" + std::to_string(++counter) + ".db")).string();
  remove_db_files(path);
  struct Remove {
    std::string p;
    ~Remove() { remove_db_files(p); }
  } guard{path};
  generate_sqlite(path, 0, 1);
  Options o = opts;
  o.keep_copy = false;
  o.free_disk_mb.reset();
  Report e = run_sqlite(path, o);
  if (!e.migration_ok) {
    throw InputError({opts.db, 0, 0}, "--migration",
                     "the migration fails on an empty site database (" + e.migration_error +
                         "), so the stand-in's figures cannot be scaled");
  }
  MigrationRun run{static_cast<double>(e.before.data_bytes), static_cast<double>(e.after.data_bytes),
                   static_cast<double>(e.after.log_bytes)};
  cache.emplace(opts.migration.sql, run);
  return run;
}

// SHA-256 of a file's bytes ("" when it cannot be read): the original is
// proven byte-identical after every run, whatever the migration did.
std::string file_sha256(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 20);
  bool ok = true;
  for (;;) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    if (n <= 0) break;
    EVP_DigestUpdate(ctx, buf.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  if (!ok) return "";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
  return hex;
}

// The copy's connection may not reach any other database file: ATTACH (and
// so a migration that ends the transaction, attaches the original and writes
// to it) is denied by SQLite itself, before the statement runs.
int deny_attach(void*, int action, const char*, const char*, const char*, const char*) {
  return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

// Removes the working copy on every way out except a kill (next run's job).
struct CopyGuard {
  std::string path;
  bool armed = true;
  ~CopyGuard() {
    if (armed) remove_db_files(path);
  }
};

}  // namespace

namespace {

// The first read of the original, refused in the administrator's words: a
// file another process is writing, and one a crashed writer left with a hot
// journal (which SQLite must roll back before anyone reads it, and a
// read-only test never writes), were both "no such database file" or
// SQLite's own terse error.
// A rollback journal that starts with SQLite's journal magic means a writer
// is inside a transaction or crashed in one. Opened in either case, SQLite
// would roll a crashed writer's journal back into the original (it does so
// even on a read-only connection when the file is writable), so the test
// would change what it promises to leave alone: refused before the open.
// (A journal zeroed at commit, PRAGMA journal_mode=PERSIST, is at rest.)
void refuse_journal_in_flight(const std::string& path) {
  static constexpr unsigned char kMagic[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
  const std::string journal = path + "-journal";
  int fd = ::open(journal.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return;
  unsigned char head[8] = {};
  ssize_t n = ::read(fd, head, sizeof head);
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof head) || !std::equal(head, head + 8, kMagic)) return;
  throw InputError({path, 0, 0}, "--db",
                   "has a hot journal (" + journal +
                       "): a writer is inside a transaction, or crashed in one. The test reads only a database at "
                       "rest and never rolls a journal back into the original: wait for the writer to finish, or "
                       "open the file once with the sqlite3 shell if it crashed (or test the backup), then run the "
                       "test again");
}

void refuse_unreadable(SqliteDb& db, const std::string& path) {
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db.get(), "SELECT count(*) FROM sqlite_master", -1, &st, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  const int ext = sqlite3_extended_errcode(db.get());
  if (ext == SQLITE_READONLY_ROLLBACK) {
    throw InputError({path, 0, 0}, "--db",
                     "has a hot journal from a crashed writer (" + path +
                         "-journal), which SQLite must roll back before the file can be read; open it once with "
                         "the sqlite3 shell (or test the backup), then run the test again");
  }
  if ((ext & 0xff) == SQLITE_BUSY || (ext & 0xff) == SQLITE_LOCKED) {
    throw InputError({path, 0, 0}, "--db",
                     "is locked by another process (it held a write lock for more than 5 s); test a backup, or "
                     "run the test again when that process is done");
  }
  throw InputError({path, 0, 0}, "--db",
                   std::string("cannot be read as an SQLite database: ") + sqlite3_errmsg(db.get()));
}

}  // namespace

Report run_sqlite(const std::string& path, const Options& opts) {
  auto t0 = Clock::now();
  Report r;
  r.engine = "sqlite";
  r.database = path;
  r.migration = opts.migration.name;
  r.free_disk_mb = opts.free_disk_mb;
  if (looks_like_copy(fs::path(path).filename().string())) {
    throw InputError({path, 0, 0}, "--db",
                     "this file is named as a copy made by smsup dbtest (" + std::string(kSqliteMarker) +
                         "), not a site database; give the original");
  }
  if (std::string what = not_regular_reason(path); !what.empty()) {
    throw InputError({path, 0, 0}, "--db", "is " + what + "; expected an SQLite site database file");
  }
  if (!fs::exists(path)) throw InputError({path, 0, 0}, "--db", "no such database file");
  refuse_journal_in_flight(path);
  SqliteDb original(path, SQLITE_OPEN_READONLY);
  refuse_unreadable(original, path);
  const std::string original_sha = file_sha256(path);
  refuse_copies_and_replication(path, original);
  if (opts.migration.sql == sp2_migration_sql() && original.has_table("SiteSettings") &&
      original.text("SELECT Value FROM SiteSettings WHERE Name = 'SchemaVersion'") == kSp2SchemaVersion) {
    throw InputError({path, 0, 0}, "--db",
                     std::string("this site database is at SMS 2003 SP2 already (SchemaVersion ") + kSp2SchemaVersion +
                         "); nothing was touched. Test a backup taken before its upgrade");
  }
  auto stand_in = stand_in_sizes(original);
  r.cleaned = clean_leftovers(path);

  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  r.copy = sqlite_copy_path(path, getpid(), now);
  int fd = ::open(r.copy.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600);  // never overwrite
  if (fd < 0) throw InputError({r.copy, 0, 0}, "--db", "cannot create the copy next to the original");
  ::close(fd);
  CopyGuard guard{r.copy};
  auto tc = Clock::now();
  SqliteDb copy(r.copy, SQLITE_OPEN_READWRITE);
  copy.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF");
  sqlite3_backup* b = sqlite3_backup_init(copy.get(), "main", original.get(), "main");
  if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE) {
    sqlite3_backup_finish(b);
    throw InputError({path, 0, 0}, "--db", std::string("cannot copy: ") + sqlite3_errmsg(copy.get()));
  }
  sqlite3_backup_finish(b);
  original.close();
  r.copy_seconds = seconds_since(tc);

  copy.exec(std::string("CREATE TABLE ") + kCopyMarkerTable +
            " (original TEXT, pid INTEGER, made TEXT);"
            "INSERT INTO " +
            kCopyMarkerTable + " VALUES ('see the file name', " + std::to_string(getpid()) + ", datetime('now'))");
  // From here on a journal: the migration must be able to roll back.
  copy.exec("PRAGMA journal_mode=PERSIST; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144");

  std::vector<std::string> keep = opts.migration.keep_rows_declared ? opts.migration.keep_rows : user_tables(copy);
  std::map<std::string, int64_t> rows_before;
  for (const auto& t : keep) {
    rows_before[t] = copy.has_table(t) ? copy.scalar("SELECT count(*) FROM " + quote_ident(t)) : -1;
  }
  const int64_t page = copy.scalar("PRAGMA page_size");
  r.before = {sqlite_data_bytes(copy), 0};

  sqlite3_set_authorizer(copy.get(), deny_attach, nullptr);
  auto tm = Clock::now();
  copy.exec("BEGIN");
  r.migration_error = copy.try_exec(opts.migration.sql);
  r.migration_ok = r.migration_error.empty();
  if (r.migration_ok) r.migration_error = copy.try_exec("COMMIT");
  r.migration_ok = r.migration_error.empty();
  if (!r.migration_ok && sqlite3_get_autocommit(copy.get()) == 0) copy.try_exec("ROLLBACK");
  r.migration_seconds = seconds_since(tm);
  r.after = {sqlite_data_bytes(copy), 0};
  if (r.migration_ok) {
    r.after.log_bytes = journal_pages(r.copy + "-journal", page) * page +
                        std::max<int64_t>(0, r.after.data_bytes - r.before.data_bytes);
  }

  auto tk = Clock::now();
  if (r.migration_ok) {
    const char* pragma = opts.full_check ? "integrity_check" : "quick_check";
    std::string ic = copy.text(std::string("PRAGMA ") + pragma);
    r.checks.push_back({"integrity", ic == "ok", std::string("PRAGMA ") + pragma + ": " + ic});
    for (const auto& [t, n] : rows_before) {
      bool there = copy.has_table(t);
      if (!there && !opts.migration.keep_rows_declared) continue;  // dropped on purpose
      int64_t m = there ? copy.scalar("SELECT count(*) FROM " + quote_ident(t)) : -1;
      r.checks.push_back({"rows " + t, n >= 0 && m == n,
                          (n < 0 ? std::string("missing before") : std::to_string(n)) + " -> " +
                              (m < 0 ? std::string("missing after") : std::to_string(m))});
    }
  }
  r.check_seconds = seconds_since(tk);

  if (stand_in && r.migration_ok) {
    SiteScale s;
    s.data_mb = stand_in->first;
    s.log_mb = stand_in->second;
    s.empty = empty_run(opts);
    MigrationRun run{static_cast<double>(r.before.data_bytes), static_cast<double>(r.after.data_bytes),
                     static_cast<double>(r.after.log_bytes)};
    s.after = scale_to_site(s.data_mb, s.log_mb, run, s.empty);
    r.site = s;
  }

  if (opts.keep_copy) {
    copy.exec("PRAGMA journal_mode=DELETE");
    copy.close();
    std::string kept = sqlite_kept_path(path, now);
    fs::rename(r.copy, kept);
    remove_db_files(r.copy);
    r.copy = kept;
    r.copy_kept = true;
    guard.armed = false;
  } else {
    copy.close();
  }
  const std::string after_sha = file_sha256(path);
  r.checks.push_back({"original unchanged", !original_sha.empty() && after_sha == original_sha,
                      after_sha == original_sha
                          ? "SHA-256 of the original before and after: " + original_sha
                          : "THE ORIGINAL CHANGED DURING THE TEST: SHA-256 " + original_sha + " before, " +
                                (after_sha.empty() ? "unreadable" : after_sha) + " after"});
  r.total_seconds = seconds_since(t0);
  return r;
}

}  // namespace smsup::dbtest
