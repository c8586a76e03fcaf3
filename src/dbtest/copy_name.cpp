#include "dbtest/copy_name.h"

#include <signal.h>

#include <cerrno>
#include <filesystem>
#include <regex>

namespace smsup::dbtest {
namespace {
// PostgreSQL names are at most 63 bytes: the original's part gives way.
std::string pg_prefix(const std::string& original, size_t suffix_len) {
  size_t room = 63 - suffix_len;
  return original.size() <= room ? original : original.substr(0, room);
}
}  // namespace

std::string sqlite_copy_path(const std::string& original, int64_t pid, int64_t time) {
  return original + kSqliteMarker + std::to_string(pid) + "-" + std::to_string(time) + ".db";
}

std::string sqlite_kept_path(const std::string& original, int64_t time) {
  return original + kSqliteMarker + "kept-" + std::to_string(time) + ".db";
}

std::optional<int64_t> sqlite_copy_pid(const std::string& original, const std::string& file_name) {
  std::string base = std::filesystem::path(original).filename().string() + kSqliteMarker;
  if (file_name.compare(0, base.size(), base) != 0) return std::nullopt;
  static const std::regex rest(R"(^([0-9]{1,10})-([0-9]{1,20})\.db(-wal|-shm|-journal)?$)");
  std::smatch m;
  std::string tail = file_name.substr(base.size());
  if (!std::regex_match(tail, m, rest)) return std::nullopt;
  return std::stoll(m[1].str());
}

std::string pg_copy_name(const std::string& original, int64_t pid, int64_t time) {
  std::string suffix = std::string(kPgMarker) + std::to_string(pid) + "_" + std::to_string(time);
  return pg_prefix(original, suffix.size()) + suffix;
}

std::string pg_kept_name(const std::string& original, int64_t time) {
  std::string suffix = std::string(kPgMarker) + "kept_" + std::to_string(time);
  return pg_prefix(original, suffix.size()) + suffix;
}

bool is_pg_working_copy_of(const std::string& original, const std::string& name) {
  static const std::regex tail(R"(_smsup_dbtest_[0-9]{1,10}_[0-9]{1,20}$)");
  std::smatch m;
  if (!std::regex_search(name, m, tail)) return false;
  std::string prefix = name.substr(0, static_cast<size_t>(m.position(0)));
  return prefix == pg_prefix(original, static_cast<size_t>(m.length(0)));
}

bool looks_like_copy(const std::string& name) {
  return name.find(kSqliteMarker) != std::string::npos || name.find(kPgMarker) != std::string::npos;
}

bool pid_alive(int64_t pid) {
  if (pid <= 0) return false;
  return kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

}  // namespace smsup::dbtest
