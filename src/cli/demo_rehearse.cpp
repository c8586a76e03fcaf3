#include <cstdio>

#include "cli/verbs.h"

namespace smsup::cli {

// This stage of the demo is not built yet: see the open issue.
int demo_rehearse(const DemoContext&) {
  std::printf("(demo stage 'rehearse' is not available yet in this build)\n");
  return 0;
}

}  // namespace smsup::cli
