// Text that came from elsewhere (a journal other people write, a command's
// output on a site server, a note typed by a colleague, a value from an
// inventory) shown on a terminal as text, never as terminal commands: a
// note holding ESC ] 0 ; ... BEL retitles the window, ESC [ 2 J clears the
// screen, and some terminals answer queries into their input. Control
// characters are written as escapes (\n, \r, \t, \0, \x1b), C1 controls in
// UTF-8 (U+0080..U+009F) as \u0080..\u009f; everything else, UTF-8
// included, stays as it is.
#pragma once

#include <string>
#include <string_view>

namespace smsup {

// One line: every control character escaped, newlines included.
std::string printable(std::string_view s);
// The same appended to `out`, for a caller building a line (no temporary).
void append_printable(std::string& out, std::string_view s);

// True when `s` holds a C0 control character or DEL: a value that is not
// one line of plain text (the readers of names refuse it).
bool has_control(std::string_view s);

// Lines kept as lines: each line escaped as above, a line's closing CR
// (Windows output) dropped, '\n' between them kept.
std::string printable_lines(std::string_view s);

}  // namespace smsup
