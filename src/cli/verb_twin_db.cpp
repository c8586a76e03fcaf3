#include "cli/verbs.h"

namespace smsup::cli {

// Not built yet: see the open issue for this verb.
void register_twin_db(CLI::App& twin, Status& status) {
  auto* sub = twin.add_subcommand("db", "(not available yet in this build)");
  sub->allow_extras();
  sub->callback([&status] {
    std::fprintf(stderr, "smsup twin db: not available yet in this build\n");
    status.code = 2;
  });
}

}  // namespace smsup::cli
