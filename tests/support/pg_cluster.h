// A throwaway PostgreSQL cluster on loopback for the tests that need the
// real engine (tests/dbtest, tests/run): one per test binary, started on
// first use by initdb and pg_ctl (as the postgres user when the tests run
// as root), stopped and removed at exit. Linked as smsup_test_pg.
#pragma once

#include <string>

namespace smsup::test {

// One PostgreSQL cluster for the whole test binary, started on first use,
// stopped and removed at exit. url("db") is postgresql://...:port/db.
class PgCluster {
 public:
  static PgCluster* get();  // nullptr, with the reason in why_not(), when it cannot start
  static const std::string& why_not();
  std::string url(const std::string& db) const;
  void create_db(const std::string& name);                          // (re)creates an empty database
  std::string psql(const std::string& db, const std::string& sql);  // unaligned, tuples only
  // Checksum of every table's content, the database comment and publications.
  std::string checksum(const std::string& db);
  // The server's log (pg_ctl -l): what log_statement writes.
  std::string log_path() const { return dir_ + "/log"; }
  ~PgCluster();

 private:
  PgCluster() = default;
  bool start();
  std::string dir_, bin_, user_;
  int port_ = 0;
};

// A test that needs PostgreSQL and cannot start it fails, naming why: make
// test must never pass without the real database engine.
#define REQUIRE_POSTGRES()                  \
  auto* pg = smsup::test::PgCluster::get(); \
  if (!pg) GTEST_FAIL() << "PostgreSQL could not be started for this test: " << smsup::test::PgCluster::why_not()

}  // namespace smsup::test
