#include "cli/verbs.h"

namespace smsup::cli {

// Not built yet: see the open issue for this verb.
void register_verify(CLI::App& app, Status& status) {
  auto* sub = app.add_subcommand("verify", "(not available yet in this build)");
  sub->allow_extras();
  sub->callback([&status] {
    std::fprintf(stderr, "smsup verify: not available yet in this build\n");
    status.code = 2;
  });
}

}  // namespace smsup::cli
