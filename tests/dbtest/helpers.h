// Shared by the dbtest tests: file digests; the throwaway PostgreSQL
// cluster, temp folders and running the binary come from tests/support.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "dbtest/dbtest.h"
#include "pg_cluster.h"
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

using smsup::test::PgCluster;

}  // namespace dbtest_test
