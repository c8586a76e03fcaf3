// The twin target. The twin (src/twin) is not part of this build yet.
#include <fmt/format.h>

#include "run/target.h"
#include "util/error.h"

namespace smsup::run {

std::unique_ptr<drivers::Driver> make_twin_target(const ApplyRequest&, const plan::Plan&,
                                                  const Hierarchy*, const std::string&) {
  throw InputError({}, "--target",
                   "the twin is not part of this build yet; use --target shell --hosts HOSTS.yaml");
}

}  // namespace smsup::run
