#include "cli/output.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace smsup::cli {

Output& standard_output() {
  static Output o{std::cout, std::cerr, isatty(STDOUT_FILENO) != 0, isatty(STDERR_FILENO) != 0,
                  isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr};
  return o;
}

}  // namespace smsup::cli
