// "Did you mean": the known name nearest to one a person typed, for the
// error that rejects it (ninja's edit_distance.h does the same for targets).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smsup {

// Edit distance: the fewest inserts, deletes, replacements of one character
// or swaps of two neighbours (optimal string alignment), counted without
// regard to ASCII case: `Backup` and `backup` are one name to a person.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `typed`, when it is near enough to be a slip:
// at most a third of the typed length (at least 1, at most 3) edits away.
// Ties go to the first candidate. Nothing when no candidate is that near or
// `typed` is itself a candidate.
std::optional<std::string> closest(std::string_view typed, const std::vector<std::string>& candidates);

// "; did you mean 'X'?" to append to an error, or "" when nothing is near.
std::string did_you_mean(std::string_view typed, const std::vector<std::string>& candidates);

}  // namespace smsup
