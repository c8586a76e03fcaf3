// dbtest on PostgreSQL. The source database is only read (publications, its
// name); the copy is CREATE DATABASE <db>_smsup_dbtest_<pid>_<time> TEMPLATE
// <db>, made from the maintenance database while this run holds an advisory
// lock named after the copy: a later run that can take the lock knows the
// copy's owner died and drops it. Log = WAL bytes written by the migration.
#include <unistd.h>

#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "dbtest/copy_name.h"
#include "dbtest/dbtest.h"
#include "dbtest/pg_conn.h"
#include "dbtest/sqlite_db.h"
#include "util/error.h"

namespace smsup::dbtest {
namespace {

using Clock = std::chrono::steady_clock;

std::string lit(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

void refuse_source(PgConn& src, const std::string& url) {
  std::string name = src.dbname();
  std::string comment = src.text(
      "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database "
      "WHERE datname = current_database()");
  if (looks_like_copy(name) || comment.rfind(kCopyComment, 0) == 0) {
    throw InputError({}, "--db",
                     "database " + name +
                         " is a copy made by smsup dbtest, not a "
                         "site database; give the original");
  }
  auto pubs = src.query("SELECT pubname FROM pg_publication ORDER BY pubname");
  if (!pubs.empty()) {
    std::string names, drops;
    for (const auto& p : pubs) {
      names += (names.empty() ? "" : ", ") + p[0];
      drops += " DROP PUBLICATION " + quote_ident(p[0]) + ";";
    }
    throw InputError({}, "--db",
                     redact_url(url) + ": replication is enabled (publication " + names +
                         "); nothing was touched. Disable it first (" + drops.substr(1) +
                         " and remove the subscriptions on the subscribers), then "
                         "test again; re-create it after the upgrade is verified");
  }
}

std::vector<std::string> clean_leftovers(PgConn& maint, const std::string& source) {
  std::vector<std::string> cleaned;
  for (const auto& row : maint.query("SELECT datname FROM pg_database ORDER BY datname")) {
    const std::string& name = row[0];
    if (!is_pg_working_copy_of(source, name)) continue;
    if (maint.text("SELECT pg_try_advisory_lock(hashtext($1))", {name}) != "t") continue;  // alive
    // Its owner is gone; sessions it left behind (a query still running on
    // the server) go with the copy.
    if (maint.try_exec("DROP DATABASE IF EXISTS " + quote_ident(name) + " WITH (FORCE)").empty()) {
      cleaned.push_back(name);
    }
    maint.query("SELECT pg_advisory_unlock(hashtext($1))", {name});
  }
  return cleaned;
}

// Client sessions only: CREATE DATABASE itself stops autovacuum workers.
// A session that has just disconnected (ours, or a tool's) can linger for a
// moment in pg_stat_activity; like CREATE DATABASE, wait up to 5 s for it.
void refuse_other_sessions(PgConn& maint, const std::string& source) {
  std::vector<std::vector<std::string>> rows;
  for (int i = 0; i < 50; ++i) {
    rows = maint.query(
        "SELECT pid::text, coalesce(usename, ''), coalesce(application_name, '') FROM "
        "pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() "
        "AND backend_type = 'client backend'",
        {source});
    if (rows.empty()) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string who;
  for (const auto& r : rows) {
    who += (who.empty() ? "" : ", ") + ("pid " + r[0] + " " + r[1] + " " + r[2]);
  }
  throw InputError({}, "--db",
                   std::to_string(rows.size()) + " other session(s) are connected to " + source + " (" + who +
                       "); CREATE DATABASE ... TEMPLATE needs it idle: stop the SMS services "
                       "using it and try again");
}

std::vector<std::string> user_tables(PgConn& c) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT tablename FROM pg_tables WHERE schemaname NOT IN "
                               "('pg_catalog', 'information_schema') ORDER BY tablename")) {
    out.push_back(r[0]);
  }
  return out;
}

bool has_table(PgConn& c, const std::string& t) {
  return c.scalar(
             "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
             "'information_schema') AND lower(tablename) = lower($1)",
             {t}) > 0;
}
std::string table_ref(PgConn& c, const std::string& t) {
  // Unquoted names in SQL files fold to lower case; find the real spelling.
  return quote_ident(
      c.text("SELECT tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
             "'information_schema') AND lower(tablename) = lower($1) LIMIT 1",
             {t}));
}

Sizes measure(PgConn& c, const std::string& lsn0) {
  return {c.scalar("SELECT pg_database_size(current_database())"),
          c.scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + lsn0 + "')::bigint")};
}

Check index_check(PgConn& c) {
  if (!c.try_exec("CREATE EXTENSION IF NOT EXISTS amcheck").empty()) {
    return {"integrity", true, "amcheck not available: index check skipped"};
  }
  auto rows = c.query(
      "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
      "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
      "WHERE a.amname = 'btree' AND n.nspname NOT IN ('pg_catalog', 'information_schema', "
      "'pg_toast') "
      "ORDER BY c.relname");
  for (const auto& r : rows) {
    std::string err = c.try_exec("SELECT bt_index_check(" + lit(quote_ident(r[0])) + "::regclass)");
    if (!err.empty()) return {"integrity", false, "index " + r[0] + ": " + err};
  }
  return {"integrity", true, "amcheck bt_index_check: " + std::to_string(rows.size()) + " indexes ok"};
}

}  // namespace

Report run_postgresql(const std::string& url, const Options& opts) {
  auto t0 = Clock::now();
  Report r;
  r.engine = "postgresql";
  r.migration = opts.migration.name;
  r.free_disk_mb = opts.free_disk_mb;
  std::string source;
  {
    PgConn src(url);
    source = src.dbname();
    r.database = source;
    refuse_source(src, url);
  }
  std::unique_ptr<PgConn> maint_conn;
  try {
    maint_conn = std::make_unique<PgConn>(url, "postgres");
  } catch (const InputError&) {
    maint_conn = std::make_unique<PgConn>(url, "template1");  // clusters without "postgres"
  }
  PgConn& maint = *maint_conn;
  r.cleaned = clean_leftovers(maint, source);
  refuse_other_sessions(maint, source);
  int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  r.copy = pg_copy_name(source, getpid(), now);
  maint.query("SELECT pg_advisory_lock(hashtext($1))", {r.copy});  // held until we finish or die
  auto tc = Clock::now();
  std::string err = maint.try_exec("CREATE DATABASE " + quote_ident(r.copy) + " TEMPLATE " + quote_ident(source));
  if (!err.empty()) throw InputError({}, "--db", "cannot copy " + source + ": " + err);
  struct Drop {  // on every way out except a kill (next run's job)
    PgConn& m;
    std::string name;
    bool armed = true;
    ~Drop() {
      if (armed) m.try_exec("DROP DATABASE IF EXISTS " + quote_ident(name));
    }
  } drop{maint, r.copy};
  r.copy_seconds = std::chrono::duration<double>(Clock::now() - tc).count();
  maint.exec("COMMENT ON DATABASE " + quote_ident(r.copy) + " IS " +
             lit(std::string(kCopyComment) + " of " + source + " by pid " + std::to_string(getpid()) +
                 ": never the original; safe to drop"));
  {
    PgConn copy(url, r.copy);
    std::vector<std::string> keep = opts.migration.keep_rows_declared ? opts.migration.keep_rows : user_tables(copy);
    std::map<std::string, int64_t> rows_before;
    for (const auto& t : keep) {
      rows_before[t] = has_table(copy, t) ? copy.scalar("SELECT count(*) FROM " + table_ref(copy, t)) : -1;
    }
    std::string lsn0 = copy.text("SELECT pg_current_wal_lsn()::text");
    r.before = measure(copy, lsn0);
    auto tm = Clock::now();
    // A scratch session: let sorts, hashes and index builds use memory
    // rather than temporary files (the sizes measured do not change).
    copy.exec("SET work_mem = '128MB'; SET maintenance_work_mem = '512MB'");
    copy.exec("BEGIN");
    r.migration_error = copy.try_exec(opts.migration.sql);
    if (r.migration_error.empty()) r.migration_error = copy.try_exec("COMMIT");
    r.migration_ok = r.migration_error.empty();
    if (!r.migration_ok) copy.try_exec("ROLLBACK");
    r.migration_seconds = std::chrono::duration<double>(Clock::now() - tm).count();
    r.after = measure(copy, lsn0);
    auto tk = Clock::now();
    if (r.migration_ok) {
      r.checks.push_back(index_check(copy));
      for (const auto& [t, n] : rows_before) {
        bool there = has_table(copy, t);
        if (!there && !opts.migration.keep_rows_declared) continue;  // dropped on purpose
        int64_t m = there ? copy.scalar("SELECT count(*) FROM " + table_ref(copy, t)) : -1;
        r.checks.push_back({"rows " + t, n >= 0 && m == n,
                            (n < 0 ? std::string("missing before") : std::to_string(n)) + " -> " +
                                (m < 0 ? std::string("missing after") : std::to_string(m))});
      }
    }
    r.check_seconds = std::chrono::duration<double>(Clock::now() - tk).count();
  }
  if (opts.keep_copy) {
    std::string kept = pg_kept_name(source, now);
    maint.exec("ALTER DATABASE " + quote_ident(r.copy) + " RENAME TO " + quote_ident(kept));
    r.copy = kept;
    r.copy_kept = true;
    drop.armed = false;
  }
  r.total_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  return r;
}

}  // namespace smsup::dbtest
