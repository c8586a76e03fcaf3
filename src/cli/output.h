// Where a verb writes: its standard output and error as streams, and what
// they are (a terminal, in colour). run_<verb> takes one, so a test passes
// string streams and reads what the verb wrote; main passes the process's.
#pragma once

#include <istream>
#include <ostream>

namespace smsup::cli {

struct Output {
  std::ostream& out;           // results: the report, the JSON
  std::ostream& err;           // progress, notes, warnings
  bool out_terminal = false;   // out is a terminal (in-place progress, no JSON consumers)
  bool err_terminal = false;   // err is a terminal: progress counters may redraw a line
  bool color = false;          // colour on out: a terminal, and NO_COLOR is not set
  std::istream* in = nullptr;  // where a question's answer is read (none: never ask)
  bool in_terminal = false;    // in is a terminal: a person may be asked
};

// std::cout and std::cerr, the flags from isatty() and NO_COLOR.
Output& standard_output();

}  // namespace smsup::cli
