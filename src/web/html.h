// Building HTML as text. Every value that came from an inventory, a plan, a
// journal or a log goes through esc() (text and attribute values alike), so a
// host named <script>alert(1)</script> shows as those characters.
#pragma once

#include <fmt/format.h>

#include <iterator>
#include <string>
#include <string_view>

namespace smsup::web {

// &, <, >, " and ' as character references; everything else as is.
std::string esc(std::string_view s);
void esc_to(std::string& out, std::string_view s);

// Appends a formatted string; the arguments must already be escaped or be
// numbers.
template <class... A>
void put(std::string& out, fmt::format_string<A...> f, A&&... a) {
  fmt::format_to(std::back_inserter(out), f, std::forward<A>(a)...);
}

// Appends <script type="application/json" id="ID">TEXT</script>: data the
// page's script draws from on demand. TEXT is JSON; its <, > and & become
// \u003c, \u003e and \u0026 (they can only occur inside JSON strings, where
// the escape means the same), so a value holding </script> or <!-- stays
// data and cannot end the element. ID must be a literal, not input.
void put_data(std::string& out, std::string_view id, std::string_view json_text);

// A number of minutes as "2 d 3 h", "4 h 05 min", "12 min".
std::string minutes_text(double minutes);
// A Unix time as "2026-11-29 17:40 UTC", "-" for 0.
std::string time_text(double unix_seconds);

}  // namespace smsup::web
