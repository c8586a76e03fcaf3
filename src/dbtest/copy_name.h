// Names of the copies dbtest makes. They cannot be taken for an original:
//   SQLite:      PATH.smsup-dbtest-<pid>-<unixtime>.db   (kept:
//   PATH.smsup-dbtest-kept-<unixtime>.db) PostgreSQL:  <db>_smsup_dbtest_<pid>_<unixtime> (kept:
//   <db>_smsup_dbtest_kept_<unixtime>)
// dbtest refuses any input whose name carries the marker, and a later run
// removes copies left by runs that died (their pid is gone / their lock free).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace smsup::dbtest {

inline constexpr const char* kSqliteMarker = ".smsup-dbtest-";
inline constexpr const char* kPgMarker = "_smsup_dbtest_";
// The table dbtest adds to every SQLite copy, and the comment on every
// PostgreSQL copy: a copy renamed by hand is still recognised.
inline constexpr const char* kCopyMarkerTable = "smsup_dbtest_copy";
inline constexpr const char* kCopyComment = "smsup-dbtest copy";

std::string sqlite_copy_path(const std::string& original, int64_t pid, int64_t time);
std::string sqlite_kept_path(const std::string& original, int64_t time);
// The pid of a working copy of `original` named by `file_name` (a name in the
// same folder), or nothing when the name is not one.
std::optional<int64_t> sqlite_copy_pid(const std::string& original, const std::string& file_name);

std::string pg_copy_name(const std::string& original, int64_t pid, int64_t time);
std::string pg_kept_name(const std::string& original, int64_t time);
bool is_pg_working_copy_of(const std::string& original, const std::string& name);

bool looks_like_copy(const std::string& name);  // carries either marker
bool pid_alive(int64_t pid);

}  // namespace smsup::dbtest
