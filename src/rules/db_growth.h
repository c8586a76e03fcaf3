// How much the site database grows during the SP2 upgrade: measured by a
// database upgrade test when there is one, estimated otherwise.
#pragma once

#include <cstdint>

#include "model/hierarchy.h"

namespace smsup::rules {

struct DbGrowth {
  bool measured = false;  // from a dbtest result
  int64_t data_mb = 0;
  int64_t log_mb = 0;
  int64_t total_mb() const { return data_mb + log_mb; }
};

// Without a test, the estimate (docs/rules.md, "db-disk-space"):
//   data grows by half its size     (the upgrade copies inventory tables to
//                                    their new form before dropping the old),
//   log grows by the data size / 2  (every moved row is logged) plus its own
//                                    size / 2 (log headroom),
//   plus 100 KB per client whose inventory the database holds (the clients
//   of the site and of every site below it, since inventory flows up):
//   the checklist says growth depends "primarily on how many computers and how
//   much inventory data is in the SMS site database".
// Calibrated on the spec's example (4,200 MB data, 900 MB log grew by 3,900
// MB): the estimate is deliberately on the safe side.
inline constexpr int64_t kKbPerHeldClient = 100;

inline DbGrowth db_growth(const Database& db, int64_t clients_held) {
  if (db.dbtest) {
    return {true, db.dbtest->data_mb_after - db.data_mb, db.dbtest->log_mb_after - db.log_mb};
  }
  int64_t per_client_mb = (clients_held * kKbPerHeldClient + 1023) / 1024;
  return {false, (db.data_mb + 1) / 2 + per_client_mb, (db.data_mb + 1) / 2 + (db.log_mb + 1) / 2};
}

}  // namespace smsup::rules
