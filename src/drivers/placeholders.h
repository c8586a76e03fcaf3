// Filling a command template from a step: each placeholder ({host}, {site},
// {db}, {method}, {install_dir}, and {step}, {kind}) is replaced inside its
// own argument, so a value can never become more than one argument, whatever
// it holds (spaces, quotes, `;`, `$(...)`, newlines, a leading `-`).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/hierarchy.h"
#include "plan/plan.h"

namespace smsup::drivers {

using Values = std::map<std::string, std::string, std::less<>>;

// The names a template may use.
bool is_placeholder(std::string_view name);
const std::vector<std::string>& placeholder_names();

// Placeholder names used in `arg` ("{{" and "}}" are literal braces); throws
// std::invalid_argument on an unclosed brace.
std::vector<std::string> placeholders_in(std::string_view arg);

// Values for a step: from the step and its params, then the inventory (when
// given) for what the plan does not carry. Absent values are left out.
Values values_of(const plan::Step& step, const Hierarchy* inventory);

// Expands every argument; throws InputError naming `where` and the placeholder
// when a value is missing.
std::vector<std::string> expand(const std::vector<std::string>& templ, const Values& values, const std::string& where);

}  // namespace smsup::drivers
