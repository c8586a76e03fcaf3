// The twin sites' own site databases (shared/spec/twin.md, "What it keeps";
// dbtest.md, last paragraph). Each primary site of the twin owns a real
// database with the schema of dbtest.md: a stand-in for the site's real one,
// holding generated inventory for miniature_clients(held) clients and naming
// the real sizes it stands for. Its migration, scaled to the real size, is what
// the twin's upgrade really adds; `smsup dbtest` on the same file reports the
// same figures; the disk rule's estimate comes from the same model
// (model/db_growth.h).
//
// The twin core calls this interface and does no I/O itself; SqliteSiteDatabases
// keeps the files in a directory, and tests can put a fake in its place.
//
//   twin::SqliteSiteDatabases dbs(twin_dir / "db", seed);
//   twin.attach_databases(&dbs);   // makes or finds every site's database
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/db_growth.h"
#include "twin/state.h"

namespace smsup::twin {

class SiteDatabases {
 public:
  virtual ~SiteDatabases() = default;
  // Makes the database of site s when it has none (a stand-in of `clients`
  // generated clients, sized as s.db says), or finds the one made before.
  // Returns its sizes after the SP2 migration at the site's size: run on a
  // copy, the real database is not touched (a made database keeps the figures
  // it measured when made). Called from several threads at once, for
  // different sites; the other calls come from one thread.
  virtual AfterMb open(const TwinSite& s, int64_t clients) = 0;
  // Replication turned on or off on the database.
  virtual void set_replication(const TwinSite& s, bool on) = 0;
  // The upgrade's database step on the database itself; the sizes it then
  // stands for. Idempotent: a database at SP2 already is left as it is.
  virtual void upgrade(const TwinSite& s, const AfterMb& after) = 0;
  // Where the database of site s is, for people ("demo-out/twin/db/CEN.db").
  virtual std::string where(const TwinSite& s) const = 0;
};

// Where a twin's folder keeps them: <twin dir>/site-databases/<site code>.db.
inline constexpr const char* kSiteDatabasesDir = "site-databases";

// The databases as SQLite files DIR/<site code>.db.
class SqliteSiteDatabases : public SiteDatabases {
 public:
  SqliteSiteDatabases(std::filesystem::path dir, uint64_t seed);
  // Refuses (InputError naming the room needed and free) when the disk under
  // the folder cannot hold the databases still to make for these sites:
  // about 4 MB per 1,000 clients, more once upgraded, plus a copy per core
  // while each is tested. Call before Twin::attach_databases.
  void check_room(const std::vector<TwinSite>& sites) const;
  AfterMb open(const TwinSite& s, int64_t clients) override;
  void set_replication(const TwinSite& s, bool on) override;
  void upgrade(const TwinSite& s, const AfterMb& after) override;
  std::string where(const TwinSite& s) const override;

 private:
  std::filesystem::path dir_;
  uint64_t seed_;
};

}  // namespace smsup::twin
