// The journal's SQLite engine (store.h) over the thin layer of sqlite.h.
#include <fmt/format.h>

#include "run/journal.h"
#include "run/journal_host.h"
#include "run/sqlite.h"
#include "run/store.h"

namespace smsup::run::store {

namespace {

class SqliteQuery : public Query {
 public:
  SqliteQuery(sql::Db& db, std::string_view s) : st_(db, s) {}
  void bind(int i, std::string_view v) override { st_.bind(i, v); }
  void bind(int i, int64_t v) override { st_.bind(i, v); }
  void bind(int i, double v) override { st_.bind(i, v); }
  void bind_null(int i) override { st_.bind_null(i); }
  bool step() override { return st_.step(); }
  void reset() override { st_.reset(); }
  std::string text(int col) const override { return st_.text(col); }
  int64_t integer(int col) const override { return st_.integer(col); }
  double real(int col) const override { return st_.real(col); }
  bool is_null(int col) const override { return st_.is_null(col); }

 private:
  sql::Stmt st_;
};

class SqliteConn : public Conn {
 public:
  SqliteConn(const std::string& path, bool read_only) : db_(path, read_only) {}
  Engine engine() const override { return Engine::sqlite; }
  std::unique_ptr<Query> prepare(std::string_view s) override { return std::make_unique<SqliteQuery>(db_, s); }
  void exec(std::string_view s) override { db_.exec(s); }
  int64_t changes() const override { return db_.changes(); }
  void begin(bool durable) override {
    if (durable != synced_) {
      db_.exec(durable ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      synced_ = durable;
    }
    db_.exec("BEGIN IMMEDIATE");
  }
  void commit() override { db_.exec("COMMIT"); }
  void rollback() override { db_.exec("ROLLBACK"); }
  void flush() override {
    if (!synced_) {
      db_.exec("PRAGMA synchronous=FULL");
      synced_ = true;
    }
    db_.exec("PRAGMA wal_checkpoint(FULL)");
  }
  bool changed_elsewhere() override {
    sql::Stmt q(db_, "PRAGMA data_version");
    int64_t v = q.step() ? q.integer(0) : 0;
    bool changed = version_ >= 0 && v != version_;
    version_ = v;
    return changed;
  }
  bool has_table(std::string_view name) override {
    sql::Stmt q(db_, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?1");
    q.bind(1, name);
    return q.step() && q.integer(0) > 0;
  }
  double now() override { return now_seconds(); }
  std::string boot() override { return boot_id(); }

 private:
  sql::Db db_;
  bool synced_ = true;
  int64_t version_ = -1;
};

}  // namespace

std::unique_ptr<Conn> open_sqlite(const std::string& path, bool read_only) {
  return std::make_unique<SqliteConn>(path, read_only);
}

}  // namespace smsup::run::store
