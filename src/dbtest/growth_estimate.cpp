// estimate_growth (site_db.h): per-client figures measured on the generator's
// databases under the built-in SP2 migration, by a straight line through
// 2,000 and 40,000 clients (docs/dbtest.md gives the commands). A test
// regenerates a database and checks the estimate against a real migration.
#include "dbtest/site_db.h"

namespace smsup::dbtest {
namespace {
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kFixedBefore = 154000;       // catalogs, site control, schema
constexpr double kDataPerClient = 4095;       // bytes per client before
constexpr double kFixedAfter = 16000;         // the dropped table's pages are reused
constexpr double kDataAfterPerClient = 6337;  // bytes per client after
constexpr double kLogPerClient = 4127;        // WAL bytes the migration writes per client
}  // namespace

Growth estimate_growth(int64_t clients) {
  double n = clients < 0 ? 0.0 : static_cast<double>(clients);
  return {(kFixedBefore + kDataPerClient * n) / kMiB,
          (kFixedAfter + kDataAfterPerClient * n) / kMiB, (kLogPerClient * n) / kMiB};
}

}  // namespace smsup::dbtest
