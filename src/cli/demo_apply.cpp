#include <cstdio>

#include "cli/verbs.h"

namespace smsup::cli {

// This stage of the demo is not built yet: see the open issue.
int demo_apply(const DemoContext&) {
  std::printf("(demo stage 'apply' is not available yet in this build)\n");
  return 0;
}

}  // namespace smsup::cli
