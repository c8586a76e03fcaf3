// JSON a person or a file gave, parsed with every refusal located.
//
// nlohmann::json throws parse_error for bad syntax (with a byte offset) and
// out_of_range for a number no double holds ("1e999"), without a position;
// a caller that catches only the first lets the second escape as an
// unlocated message. This is the one place both become an InputError at
// file:line:column.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>
#include <string_view>

#include "util/error.h"

namespace smsup {

// Parses `text`, read from `path`. Any refusal is an InputError at
// path:line:column, naming `option` (may be empty) and ending with
// "; expected <expected>", e.g. "not valid JSON; expected an smsup plan" or
// "a number too large for JSON ('1e999'); expected an smsup plan".
nlohmann::json parse_json_input(std::string_view text, const std::filesystem::path& path, std::string_view option,
                                std::string_view expected);

// Where the value a field path names ("steps[12].after[0]") stands in the
// JSON `text` read from `path`: the deepest part of the path that exists, or
// line 0 when none does (or the text does not parse). For refusals of a
// parsed document's contents, whose values carry no position.
SourceLoc locate_json_field(std::string_view text, const std::filesystem::path& path, const std::string& field);

}  // namespace smsup
