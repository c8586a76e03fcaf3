// How much a site database grows during the SP2 upgrade: one model for the
// disk-space rule, the planner's disk check, the twin and dbtest, so that all
// of them show the same numbers (shared/spec/dbtest.md, last paragraph).
//
// The model is the shipped SP2 migration run on the generator's site database
// (src/dbtest/sql). A site database is its catalogs (what an empty one holds:
// schema, site control, status of the site itself) plus the inventory data of
// its clients. The catalogs do not grow with the site; the inventory part grows
// by a fixed share of its size, because the migration rewrites every
// inventory row. So a real database of data_mb MB grows by data_mb times
// those shares, whatever the number of clients it holds; the number of
// clients only sets how big a stand-in the twin builds (miniature_clients).
//
//   DbGrowth g = db_growth(db, clients_held);  // measured (dbtest block) or estimated
//   AfterMb a = scale_to_site(6200, 1400, run, empty);  // a miniature's run, at the site's size
#pragma once

#include <cstdint>
#include <vector>

#include "model/hierarchy.h"

namespace smsup {

// A site database's growth in MB: data and log, measured or estimated.
struct DbGrowth {
  bool measured = false;  // from a dbtest result
  int64_t data_mb = 0;
  int64_t log_mb = 0;
  int64_t total_mb() const { return data_mb + log_mb; }
};

// Bytes of one run of the migration: data before, data after, log written.
struct MigrationRun {
  double before = 0;
  double after = 0;
  double log = 0;
};

// The generator's database under the built-in migration, measured with
// `smsup twin db` and `smsup dbtest` (docs/dbtest.md gives the commands): the
// empty database (0 clients), and the bytes each client adds, from the runs at
// 2,000 and 10,000 clients. A test regenerates databases and checks these.
inline constexpr MigrationRun kEmptySiteDb{446464, 483328, 61440};
inline constexpr MigrationRun kPerClient{4054.5, 6267.4, 4062.2};

// The shares of the inventory part: data grows by 54.6 %, the log by 100.2 %.
inline constexpr double kDataGrowthShare = (kPerClient.after - kPerClient.before) / kPerClient.before;
inline constexpr double kLogGrowthShare = kPerClient.log / kPerClient.before;

// The generator's database for N clients and its migration, in bytes.
MigrationRun generated_run(int64_t clients);

// The twin's stand-in of a site database holds this many generated clients:
// the clients the site holds, within [kMiniatureMin, kMiniatureMax]. Below
// 1,000 clients the random volumes of single clients show in the shares
// (3 % off at 500); above 2,000 building it only costs time (0.5 % closer).
inline constexpr int64_t kMiniatureMin = 1000;
inline constexpr int64_t kMiniatureMax = 2000;
int64_t miniature_clients(int64_t clients_held);

// Sizes after the upgrade, in MB, the form of the inventory's dbtest block.
struct AfterMb {
  int64_t data_mb_after = 0;
  int64_t log_mb_after = 0;
};

// A run of the migration on a stand-in database, at the size of the site's
// real one (data_mb, log_mb): the shares of the stand-in's inventory part
// (its run less an empty database's run) applied to data_mb, rounded up.
AfterMb scale_to_site(int64_t data_mb, int64_t log_mb, const MigrationRun& run, const MigrationRun& empty);

// Without a test: the model's shares applied to data_mb, rounded up. Grows
// with the inventory data the database holds (rules.md, db-disk-space).
AfterMb estimate_after(int64_t data_mb, int64_t log_mb);

// The growth the disk rule, the planner and the twin use: from the
// database's dbtest block when there is one, estimated otherwise.
// clients_held is reported alongside, it does not change the estimate.
DbGrowth db_growth(const Database& db);

// Room for "the subsequent storage of software inventory that is reported
// from clients" (the checklist, on the database's free disk before the
// upgrade). The checklist gives no figure, and neither does any source we
// have: this is smsup's assumption, 512 KB of software inventory per client
// whose inventory the database holds, about what one full software inventory
// (file names, versions and sizes of a workstation's programs) takes in the
// SQL Server tables. It is a headroom on top of the upgrade's growth, measured
// or estimated; change it here and the disk rule, the plan's disk check and
// the twin all follow (docs/rules.md, db-disk-space).
inline constexpr int64_t kSoftwareInventoryKbPerClient = 512;

// kSoftwareInventoryKbPerClient for clients_held clients, in MB rounded up.
int64_t software_inventory_headroom_mb(int64_t clients_held);

// The free disk a site database needs before the upgrade: its growth and the
// software inventory headroom for the clients whose inventory it holds.
struct DiskNeed {
  DbGrowth growth;
  int64_t clients_held = 0;
  int64_t headroom_mb = 0;
  int64_t total_mb() const { return growth.total_mb() + headroom_mb; }
};
DiskNeed disk_need(const Database& db, int64_t clients_held);

// Per site: the clients whose inventory its database holds, its own and those
// of every site below it (inventory flows up the hierarchy).
std::vector<int64_t> clients_held_by_site(const Hierarchy& h);

}  // namespace smsup
