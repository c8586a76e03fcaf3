// estimate_growth (site_db.h): the generator's database under the built-in
// SP2 migration, from the per-client figures of model/db_growth.h (measured
// on generated databases; docs/dbtest.md gives the commands). A test
// regenerates databases and checks the figures against real migrations.
#include "dbtest/site_db.h"
#include "model/db_growth.h"

namespace smsup::dbtest {

Growth estimate_growth(int64_t clients) {
  constexpr double kMiB = 1024.0 * 1024.0;
  MigrationRun r = generated_run(clients);
  return {r.before / kMiB, r.after / kMiB, r.log / kMiB};
}

}  // namespace smsup::dbtest
