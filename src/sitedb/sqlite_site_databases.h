// The twin's site databases as SQLite files (twin/site_databases.h): the
// store the twin's simulation calls, kept apart from it so that the
// simulation links no database engine and starts no thread. Making the
// stand-ins is the slow part (a few hundred milliseconds of SQLite work per
// site), so open() makes them on several threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "twin/site_databases.h"

namespace smsup::sitedb {

// Where a twin's folder keeps them: <twin dir>/site-databases/<site code>.db.
inline constexpr const char* kSiteDatabasesDir = "site-databases";

// The databases as SQLite files DIR/<site code>.db.
class SqliteSiteDatabases : public twin::SiteDatabases {
 public:
  SqliteSiteDatabases(std::filesystem::path dir, uint64_t seed);
  // Refuses (InputError naming the room needed and free) when the disk under
  // the folder cannot hold the databases still to make for these sites:
  // about 4 MB per 1,000 clients, more once upgraded, plus a copy per core
  // while each is tested. Call before Twin::attach_databases.
  void check_room(const std::vector<twin::TwinSite>& sites) const;
  std::vector<AfterMb> open(const std::vector<Wanted>& sites,
                            const std::function<void(size_t, size_t)>& progress) override;
  void set_replication(const twin::TwinSite& s, bool on) override;
  void upgrade(const twin::TwinSite& s, const AfterMb& after) override;
  std::string where(const twin::TwinSite& s) const override;

 private:
  // One site's database; called on several threads at once, for different sites.
  AfterMb open_one(const twin::TwinSite& s, int64_t clients);

  std::filesystem::path dir_;
  uint64_t seed_;
};

}  // namespace smsup::sitedb
