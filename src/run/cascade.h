// What a failure stops, decided in one place (shared/spec/apply.md: "A failed
// step stops what depends on it, not its unrelated siblings"). Pure: the
// journal engines write what cascade() returns, the executor applies the same
// result to its own view, so a new journal engine needs no copy of the rule.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"
#include "run/state.h"

namespace smsup::run {

// One wait of a step on another.
struct Wait {
  size_t on = 0;      // index of the step waited for
  bool lane = false;  // a --max-parallel lane edge (plan.h, is_lane_edge): it orders, nothing depends
};

// For each step (plan order), what it waits for.
using Waits = std::vector<std::vector<Wait>>;

// The waits of a plan's steps. Throws std::invalid_argument when an `after`
// names no step (as plan::step_graph does).
Waits waits_of(const std::vector<plan::Step>& steps);

// Whether a wait is over: a dependency once it succeeded; a lane edge once
// the step ahead has ended in any way (a failed site holds up no other).
bool met(State ahead, bool lane);

// For each step, the first failed step (plan order) it depends on, directly
// or through other steps, by waits that are not lane edges; nullopt if none.
// Intermediate steps count whatever their state, as the edges do.
std::vector<std::optional<size_t>> failed_behind(const Waits& waits, const std::vector<State>& states);

struct Cascaded {
  size_t step = 0;
  State state = State::skipped;  // skipped, or pending when given back
  size_t because = 0;            // for skipped: the failed step it depends on
};

// The changes the failures imply, in plan order: a pending step that depends
// on a failed step is skipped; a skipped step that no longer depends on any
// (a retry set the failure back) is pending again. A step behind two failures
// stays skipped until both are retried. Other states never change here.
std::vector<Cascaded> cascade(const Waits& waits, const std::vector<State>& states);

// The message of a step skipped because `failed_id` failed.
std::string skip_message(std::string_view failed_id);

}  // namespace smsup::run
