#include "cli/verbs.h"

namespace smsup::cli {

// Not built yet: see the open issue for this verb.
void register_apply(CLI::App& app, Status& status) {
  auto* sub = app.add_subcommand("apply", "(not available yet in this build)");
  sub->allow_extras();
  sub->callback([&status] {
    std::fprintf(stderr, "smsup apply: not available yet in this build\n");
    status.code = 2;
  });
}

}  // namespace smsup::cli
