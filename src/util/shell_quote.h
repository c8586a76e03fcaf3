// Quoting for a POSIX shell: every command smsup prints for a person to
// copy (advice such as "go on with", "confirm with", a dry run's argv) goes
// through here, so that a path with a space or a quote, or a hostile host
// name from an inventory, is one word to the shell and never code.
// Written by hand: the rule is four lines (single quotes, '\'' for a quote
// inside), and no Debian-packaged C++ library offers it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smsup {

// One argument as a shell word: unchanged when it holds only characters no
// shell treats specially (letters, digits, - _ . / : = , + @ %), else in
// single quotes with each ' written as '\''. The empty string is ''.
std::string shell_quote(std::string_view arg);

// The arguments quoted and joined by single spaces.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace smsup
