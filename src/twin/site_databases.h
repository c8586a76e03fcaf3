// The twin sites' own site databases (shared/spec/twin.md, "What it keeps";
// dbtest.md, last paragraph). Each primary site of the twin owns a real
// database with the schema of dbtest.md: a stand-in for the site's real one,
// holding generated inventory for miniature_clients(held) clients and naming
// the real sizes it stands for. Its migration, scaled to the real size, is what
// the twin's upgrade really adds; `smsup dbtest` on the same file reports the
// same figures; the disk rule's estimate comes from the same model
// (model/db_growth.h).
//
// The twin core calls this interface from its one thread and does no I/O
// itself; sitedb::SqliteSiteDatabases (src/sitedb/) keeps the files in a
// directory and makes them in parallel, and tests can put a fake in its place.
//
//   sitedb::SqliteSiteDatabases dbs(twin_dir / sitedb::kSiteDatabasesDir, seed);
//   twin.attach_databases(&dbs);   // makes or finds every site's database
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/db_growth.h"
#include "twin/state.h"

namespace smsup::twin {

class SiteDatabases {
 public:
  virtual ~SiteDatabases() = default;
  struct Wanted {
    const TwinSite* site = nullptr;
    int64_t clients = 0;  // generated clients of its stand-in
  };
  // Makes the database of each wanted site that has none (a stand-in of
  // `clients` generated clients, sized as site->db says), or finds the one
  // made before. Returns their sizes after the SP2 migration at the site's
  // size, in the order asked: run on a copy, the real database is not
  // touched (a made database keeps the figures it measured when made). The
  // sites are independent, so a store may make them at once; it calls
  // `progress(done, total)` after each, one call at a time, and returns (or
  // throws the first error) once none is being made any more.
  virtual std::vector<AfterMb> open(const std::vector<Wanted>& sites,
                                    const std::function<void(size_t, size_t)>& progress) = 0;
  // Replication turned on or off on the database.
  virtual void set_replication(const TwinSite& s, bool on) = 0;
  // The upgrade's database step on the database itself; the sizes it then
  // stands for. Idempotent: a database at SP2 already is left as it is.
  virtual void upgrade(const TwinSite& s, const AfterMb& after) = 0;
  // Where the database of site s is, for people ("demo-out/twin/db/CEN.db").
  virtual std::string where(const TwinSite& s) const = 0;
};

}  // namespace smsup::twin
