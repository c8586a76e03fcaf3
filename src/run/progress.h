// Showing a run to the people watching it: on a terminal, a live block (steps
// done of total, the running ones with their elapsed time, the manual steps
// waiting) under a line per finished step; otherwise plain lines, one per
// state change, for logs and pipes.
#pragma once

#include <ostream>
#include <memory>
#include <string>

#include "run/executor.h"

namespace smsup::run {

// `journal` is named in the hints ("smsup confirm X --journal J").
std::unique_ptr<Observer> make_terminal_progress(std::ostream& out, std::string journal);
std::unique_ptr<Observer> make_plain_progress(std::ostream& out);

// "1:02:03" / "2:03"
std::string elapsed_text(double seconds);

}  // namespace smsup::run
