#include "cli/output.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace smsup::cli {

Output& standard_output() {
  static Output o{std::cout,
                  std::cerr,
                  isatty(STDOUT_FILENO) != 0,
                  isatty(STDERR_FILENO) != 0,
                  isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr,
                  &std::cin,
                  isatty(STDIN_FILENO) != 0};
  return o;
}

}  // namespace smsup::cli
