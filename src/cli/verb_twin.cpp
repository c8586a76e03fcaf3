// `smsup twin`: the verbs that make twins.
#include "cli/add_verb.h"
#include "cli/twin.h"

namespace smsup::cli {

void register_twin(CLI::App& app, Status& status) {
  auto* twin = app.add_subcommand("twin",
                                  "Make twins: a twin of an inventory with its sites' databases (twin make), synthetic "
                                  "inventories (twin inventory) and site databases (twin db)");
  twin->require_subcommand(1);
  register_twin_inventory(*twin, status);
  register_twin_db(*twin, status);
  register_twin_make(*twin, status);
}

}  // namespace smsup::cli
