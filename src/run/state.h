// The state of a step in a run (shared/spec/apply.md, "The journal"). Apart
// from journal.h so that the decisions on states (cascade.h) need no store.
#pragma once

#include <optional>
#include <string_view>

namespace smsup::run {

enum class State { pending, running, waiting, succeeded, failed, skipped };
std::string_view to_string(State s);
std::optional<State> parse_state(std::string_view s);

}  // namespace smsup::run
