#include "cli/add_verb.h"

namespace smsup::cli {

void register_all(CLI::App& app, Status& status) {
  register_check(app, status);
  register_plan(app, status);
  register_show(app, status);
  register_rehearse(app, status);
  register_apply(app, status);
  register_hosts(app, status);
  register_verify(app, status);
  register_logs(app, status);
  register_dbtest(app, status);
  register_clients(app, status);
  register_twin(app, status);
  register_demo(app, status);
  register_inventory(app, status);
  register_report(app, status);
  register_serve(app, status);
  register_journal(app, status);
}

}  // namespace smsup::cli
