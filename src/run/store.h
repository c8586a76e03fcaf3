// The journal's store: the few things the journal (journal.h) asks of a SQL
// engine, so that the journal's rules -- what a commit holds, when it is
// durable, the cascade it writes, the lease -- are written once for every
// engine. Two engines: SQLite (a file, sqlite.h) and PostgreSQL (libpq, one
// schema per campaign). The journal's SQL is the part both dialects share;
// parameters are written ?1, ?2 (PostgreSQL gets $1, $2).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace smsup::run::store {

enum class Engine { sqlite, postgresql };

// One statement, prepared once, run many times.
class Query {
 public:
  virtual ~Query() = default;
  virtual void bind(int i, std::string_view v) = 0;
  virtual void bind(int i, int64_t v) = 0;
  virtual void bind(int i, double v) = 0;
  virtual void bind_null(int i) = 0;
  virtual bool step() = 0;  // true while a row is available
  virtual void reset() = 0;
  virtual std::string text(int col) const = 0;  // "" for NULL
  virtual int64_t integer(int col) const = 0;   // 0 for NULL
  virtual double real(int col) const = 0;       // 0 for NULL
  virtual bool is_null(int col) const = 0;
};

// A connection. Errors are std::runtime_error naming the journal; a lost
// PostgreSQL connection is Unavailable.
class Conn {
 public:
  virtual ~Conn() = default;
  virtual Engine engine() const = 0;
  virtual std::unique_ptr<Query> prepare(std::string_view sql) = 0;
  virtual void exec(std::string_view sql) = 0;
  virtual int64_t changes() const = 0;  // rows the last statement changed
  // A write transaction: writers take turns (SQLite: BEGIN IMMEDIATE;
  // PostgreSQL: a transaction-scoped advisory lock of the campaign), readers
  // never wait. `durable`: the commit is on disk before commit() returns
  // (SQLite synchronous=FULL; PostgreSQL synchronous_commit=on); otherwise it
  // survives this process being killed but not the store's machine losing
  // power (SQLite NORMAL in WAL; PostgreSQL synchronous_commit=off).
  virtual void begin(bool durable) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // Makes every commit so far durable.
  virtual void flush() = 0;
  // True when another connection committed a change since the last call
  // (SQLite: data_version; PostgreSQL: LISTEN/NOTIFY, and after a reconnect).
  virtual bool changed_elsewhere() = 0;
  // Whether the journal's tables exist (read only: nothing is created).
  virtual bool has_table(std::string_view name) = 0;
  // Seconds since 1970 by the store's clock: the PostgreSQL server's (one
  // clock for every host sharing the journal), this machine's for SQLite.
  virtual double now() = 0;
  // Tells a crash of the store's machine (commits not synced may be lost):
  // this boot's id for SQLite, the server's start time for PostgreSQL.
  virtual std::string boot() = 0;
};

// A statement as a value, as the journal uses it.
class Stmt {
 public:
  Stmt(Conn& c, std::string_view sql) : q_(c.prepare(sql)) {}
  Stmt& bind(int i, std::string_view v) {
    q_->bind(i, v);
    return *this;
  }
  Stmt& bind(int i, const std::string& v) {
    q_->bind(i, std::string_view(v));
    return *this;
  }
  Stmt& bind(int i, const char* v) {
    q_->bind(i, std::string_view(v));
    return *this;
  }
  Stmt& bind(int i, int64_t v) {
    q_->bind(i, v);
    return *this;
  }
  Stmt& bind(int i, int v) {
    q_->bind(i, static_cast<int64_t>(v));
    return *this;
  }
  Stmt& bind(int i, double v) {
    q_->bind(i, v);
    return *this;
  }
  Stmt& bind_null(int i) {
    q_->bind_null(i);
    return *this;
  }
  bool step() { return q_->step(); }
  void run() {
    while (q_->step()) {
    }
    q_->reset();
  }
  void reset() { q_->reset(); }
  std::string text(int col) const { return q_->text(col); }
  int64_t integer(int col) const { return q_->integer(col); }
  double real(int col) const { return q_->real(col); }
  bool is_null(int col) const { return q_->is_null(col); }

 private:
  std::unique_ptr<Query> q_;
};

// begin() on construction; rolls back unless commit() was called.
class Tx {
 public:
  Tx(Conn& c, bool durable = true) : c_(c) { c_.begin(durable); }
  ~Tx() {
    if (!done_) {
      try {
        c_.rollback();
      } catch (...) {
      }
    }
  }
  Tx(const Tx&) = delete;
  Tx& operator=(const Tx&) = delete;
  void commit() {
    done_ = true;
    c_.commit();
  }

 private:
  Conn& c_;
  bool done_ = false;
};

// The journal's store could not be reached, or the connection was lost: no
// new step starts; the run can go on with --resume.
struct Unavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What --journal (or SMSUP_JOURNAL) names: an SQLite file, or a PostgreSQL
// database (a postgresql:// or postgres:// URI, or a libpq keyword string
// such as "host=db dbname=ops"), with an optional campaign (URI parameter
// campaign=NAME, or the keyword campaign=NAME; default "main") whose tables
// live in the schema smsup_<campaign>.
struct Spec {
  Engine engine = Engine::sqlite;
  std::string path;      // SQLite
  std::string conninfo;  // PostgreSQL, without the campaign
  std::string campaign;  // PostgreSQL
  std::string schema;    // PostgreSQL: smsup_<campaign>
  std::string shown;     // for messages: no password
  // The journal as a person may type it again in a command smsup prints as
  // advice: an SQLite file's absolute path; a PostgreSQL string in libpq
  // keywords with its campaign and without a password (libpq then reads
  // PGPASSWORD or ~/.pgpass).
  std::string retype;
};
// InputError (field --journal) for a PostgreSQL string libpq cannot parse or
// a campaign name that is not letters, digits and _.
Spec parse_spec(const std::string& journal);

// `read_only`: SQLITE_OPEN_READONLY, for a watcher that must never change
// the file (nor checkpoint the WAL into it when it closes last).
std::unique_ptr<Conn> open_sqlite(const std::string& path, bool read_only = false);
// Connects; with `create`, makes the campaign's schema when it is missing.
// Unavailable when the server cannot be reached.
std::unique_ptr<Conn> open_postgresql(const Spec& spec, bool create);
// Whether the campaign's schema exists (read only).
bool schema_exists(Conn& pg, const Spec& spec);

}  // namespace smsup::run::store
