// Shared by the dbtest tests: file digests and a throwaway PostgreSQL
// cluster on loopback; temp folders and running the binary come from
// tests/support.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dbtest/dbtest.h"
#include "support.h"

namespace dbtest_test {

// dbtest options for the SQLite file at PATH with the built-in migration.
smsup::dbtest::Options opts_for(const std::string& path);

// A fresh folder, removed at the end of the test. World-writable so that
// the postgres user can use it when the tests run as root.
struct TempDir : smsup::test::TempDir {
  TempDir() : smsup::test::TempDir(Access::everyone) {}
};

std::string sha256_file(const std::string& path);
std::vector<std::string> files_in(const std::filesystem::path& dir);

using smsup::test::run_smsup;
// Starts SMSUP_BINARY with args, stdout/stderr to /dev/null; returns its pid.
inline int start_smsup(const std::vector<std::string>& args) { return smsup::test::start_smsup(args, "/dev/null"); }

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
  ~PgCluster();

 private:
  PgCluster() = default;
  bool start();
  std::string dir_, bin_, user_;
  int port_ = 0;
};

// A test that needs PostgreSQL and cannot start it fails, naming why: make
// test must never pass without the real database engine.
#define REQUIRE_POSTGRES()                                   \
  auto* pg = dbtest_test::PgCluster::get();                  \
  if (!pg)                                                   \
  GTEST_FAIL() << "PostgreSQL could not be started for this test: " \
               << dbtest_test::PgCluster::why_not()

}  // namespace dbtest_test
