#include "util/shell_quote.h"

namespace smsup {

std::string shell_quote(std::string_view a) {
  bool plain = !a.empty() && a.find_first_not_of(
                                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789-_./:=,+@%") == std::string_view::npos;
  // A leading '=' or '%' is harmless in POSIX sh, but '-' is left plain too:
  // it is an option to smsup, not to the shell.
  if (plain) return std::string(a);
  std::string out = "'";
  for (char c : a) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    out += shell_quote(a);
  }
  return out;
}

}  // namespace smsup
