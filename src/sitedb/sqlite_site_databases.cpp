#include "sitedb/sqlite_site_databases.h"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

#include "dbtest/dbtest.h"
#include "dbtest/site_db.h"
#include "twin/faults.h"
#include "util/error.h"

namespace smsup::sitedb {
namespace {

using twin::TwinSite;

namespace fs = std::filesystem;

// What a stand-in measured when it was made: its sizes after the migration,
// at the site's size (SiteSettings rows next to the sizes it stands for).
constexpr const char* kDataAfter = "smsup.sp2_data_mb_after";
constexpr const char* kLogAfter = "smsup.sp2_log_mb_after";
// What it was made for: "<data_mb>/<log_mb>/<clients>/<seed>".
constexpr const char* kMadeFor = "smsup.made_for";

// The file's bytes on disk before it takes the site's name: after a power
// loss the name never points at a file with pages missing.
void sync_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    throw InputError({path, 0, 0}, "", std::string("cannot sync the twin's site database: ") + std::strerror(err));
  }
  ::close(fd);
}

std::optional<int64_t> number(const std::string& v) {
  if (v.empty() || v.size() > 15 || v.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(v);
}

}  // namespace

SqliteSiteDatabases::SqliteSiteDatabases(fs::path dir, uint64_t seed) : dir_(std::move(dir)), seed_(seed) {}

std::string SqliteSiteDatabases::where(const TwinSite& s) const { return (dir_ / (s.code + ".db")).string(); }

AfterMb SqliteSiteDatabases::open_one(const TwinSite& s, int64_t clients) {
  if (!s.db) throw std::logic_error("SqliteSiteDatabases::open: site " + s.code + " has no database");
  std::string path = where(s);
  const uint64_t seed = twin::hash64(seed_, s.code, 17);
  const std::string made_for = fmt::format("{}/{}/{}/{}", s.db->data_mb, s.db->log_mb, clients, seed);
  if (fs::exists(path)) {
    // Only a fresh twin asks (a loaded one keeps the databases it made, and
    // never asks again). One made here for another inventory or seed, or
    // already upgraded by an earlier twin, is stale: made again. A file the
    // twin did not make is not touched.
    auto settings = dbtest::read_settings_sqlite(path);
    const std::string& was = settings[kMadeFor];
    bool upgraded = settings["SchemaVersion"] == dbtest::kSp2SchemaVersion;
    if (!was.empty() && (was != made_for || upgraded)) {
      for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(path + suffix);
    }
  }
  if (!fs::exists(path)) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) throw InputError({dir_.string(), 0, 0}, "", "cannot create the twin's database directory: " + ec.message());
    // Made under another name and renamed when whole: a run killed while
    // making it leaves no half database under the site's name.
    std::string making = path + ".making";
    fs::remove(making, ec);
    dbtest::GenerateOptions g;
    g.clients = clients;
    g.seed = seed;
    g.site_code = s.code;
    g.site_data_mb = s.db->data_mb;
    g.site_log_mb = s.db->log_mb;
    try {
      dbtest::generate_sqlite(making, g);
      dbtest::Options o;
      o.db = "sqlite:" + making;
      o.migration = dbtest::builtin_migration();
      dbtest::Report r = dbtest::run_sqlite(making, o);
      if (!r.migration_ok || !r.checks_ok() || !r.site) {
        throw InputError({making, 0, 0}, "",
                         "the SP2 migration failed on the twin's site database: " + r.migration_error);
      }
      dbtest::write_settings_unsynced_sqlite(making, {{kDataAfter, std::to_string(r.data_mb_after())},
                                                      {kLogAfter, std::to_string(r.log_mb_after())},
                                                      {"Replication", s.db->replication ? "true" : "false"},
                                                      {kMadeFor, made_for}});
      sync_file(making);
      fs::rename(making, path);
    } catch (...) {
      fs::remove(making, ec);
      throw;
    }
  }
  auto settings = dbtest::read_settings_sqlite(path);
  auto data = number(settings[kDataAfter]);
  auto log = number(settings[kLogAfter]);
  if (!data || !log) {
    throw InputError({path, 0, 0}, kDataAfter,
                     "not a site database made by the twin (no measured sizes); remove it or use another --twin-dir");
  }
  return {*data, *log};
}

std::vector<AfterMb> SqliteSiteDatabases::open(const std::vector<Wanted>& sites,
                                               const std::function<void(size_t, size_t)>& progress) {
  // The sites are independent: spread them over the cores.
  std::vector<AfterMb> measured(sites.size());
  std::atomic<size_t> next{0};
  size_t done = 0;
  std::mutex mu;
  std::exception_ptr error;
  auto work = [&] {
    for (size_t k; (k = next++) < sites.size();) {
      {
        std::lock_guard lock(mu);
        if (error) return;
      }
      try {
        measured[k] = open_one(*sites[k].site, sites[k].clients);
        std::lock_guard lock(mu);
        if (progress) progress(++done, sites.size());
      } catch (...) {
        std::lock_guard lock(mu);
        if (!error) error = std::current_exception();
      }
    }
  };
  size_t n = std::min<size_t>(sites.size(), std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  return measured;
}

void SqliteSiteDatabases::check_room(const std::vector<twin::TwinSite>& sites) const {
  double need = 0, biggest = 0;
  for (const auto& s : sites) {
    if (!s.db || !s.db->file.empty()) continue;
    MigrationRun run = generated_run(miniature_clients(s.db->clients_held));
    need += run.after;
    biggest = std::max(biggest, run.after + run.log);
  }
  if (need == 0) return;
  need += 2 * biggest;
  fs::path probe = dir_;
  std::error_code ec;
  while (!probe.empty() && !fs::exists(probe, ec)) probe = probe.parent_path();
  auto space = fs::space(probe.empty() ? fs::path(".") : probe, ec);
  if (!ec && static_cast<double>(space.available) < need) {
    throw InputError({dir_.string(), 0, 0}, "site databases",
                     fmt::format("the sites' databases need about {:.0f} MB and only {} MB are free there; "
                                 "make room, use a folder on a bigger disk (--twin-dir, TMPDIR or the journal's "
                                 "folder), or --no-databases",
                                 need / 1048576.0, space.available / 1048576));
  }
}

void SqliteSiteDatabases::set_replication(const TwinSite& s, bool on) { dbtest::set_replication_sqlite(where(s), on); }

void SqliteSiteDatabases::upgrade(const TwinSite& s, const AfterMb& after) {
  dbtest::upgrade_sqlite(where(s), dbtest::sp2_migration_sql(), after.data_mb_after, after.log_mb_after);
}

}  // namespace smsup::sitedb
