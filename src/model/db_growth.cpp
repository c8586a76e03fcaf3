#include "model/db_growth.h"

#include <algorithm>
#include <cmath>

namespace smsup {
namespace {

int64_t mb_up(double mb) { return static_cast<int64_t>(std::ceil(mb - 1e-9)); }

AfterMb apply_shares(int64_t data_mb, int64_t log_mb, double data_share, double log_share) {
  double d = static_cast<double>(std::max<int64_t>(0, data_mb));
  return {data_mb + mb_up(d * data_share), log_mb + mb_up(d * std::max(0.0, log_share))};
}

}  // namespace

MigrationRun generated_run(int64_t clients) {
  double n = static_cast<double>(std::max<int64_t>(0, clients));
  return {kEmptySiteDb.before + n * kPerClient.before, kEmptySiteDb.after + n * kPerClient.after,
          kEmptySiteDb.log + n * kPerClient.log};
}

int64_t miniature_clients(int64_t clients_held) { return std::clamp(clients_held, kMiniatureMin, kMiniatureMax); }

AfterMb scale_to_site(int64_t data_mb, int64_t log_mb, const MigrationRun& run, const MigrationRun& empty) {
  double inventory = run.before - empty.before;
  if (inventory <= 0) return {data_mb, log_mb};  // nothing but catalogs: nothing moves
  double data_share = ((run.after - run.before) - (empty.after - empty.before)) / inventory;
  double log_share = (run.log - empty.log) / inventory;
  return apply_shares(data_mb, log_mb, data_share, log_share);
}

AfterMb estimate_after(int64_t data_mb, int64_t log_mb) {
  return apply_shares(data_mb, log_mb, kDataGrowthShare, kLogGrowthShare);
}

DbGrowth db_growth(const Database& db) {
  if (db.dbtest) {
    return {true, db.dbtest->data_mb_after - db.data_mb, db.dbtest->log_mb_after - db.log_mb};
  }
  AfterMb a = estimate_after(db.data_mb, db.log_mb);
  return {false, a.data_mb_after - db.data_mb, a.log_mb_after - db.log_mb};
}

int64_t software_inventory_headroom_mb(int64_t clients_held) {
  int64_t kb = std::max<int64_t>(0, clients_held) * kSoftwareInventoryKbPerClient;
  return (kb + 1023) / 1024;
}

DiskNeed disk_need(const Database& db, int64_t clients_held) {
  return {db_growth(db), clients_held, software_inventory_headroom_mb(clients_held)};
}

std::vector<int64_t> clients_held_by_site(const Hierarchy& h) {
  std::vector<int64_t> held(h.sites.size(), 0);
  for (const auto& c : h.clients) {
    if (c.site < 0 || static_cast<size_t>(c.site) >= h.sites.size()) continue;
    for (int s = c.site; s >= 0; s = h.sites[static_cast<size_t>(s)].parent_index) ++held[static_cast<size_t>(s)];
  }
  return held;
}

}  // namespace smsup
