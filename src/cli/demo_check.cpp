#include <cstdio>

#include "cli/verbs.h"

namespace smsup::cli {

int demo_check(const DemoContext&) {
  std::printf("(demo stage 'check' is not available yet in this build)\n");
  return 0;
}

}  // namespace smsup::cli
