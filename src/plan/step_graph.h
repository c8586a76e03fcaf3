// The steps of a plan as a graph of their indices, for the algorithms that
// walk it in dependency order (Kahn's algorithm: the schedule, the plan's
// reading order, the max-parallel lanes).
#pragma once

#include <cstddef>
#include <vector>

#include "plan/plan.h"

namespace smsup::plan {

struct StepGraph {
  std::vector<std::vector<size_t>> preds;  // the steps each step waits for
  std::vector<std::vector<size_t>> succs;  // the steps that wait for it
  std::vector<size_t> missing;             // how many it waits for (Kahn's counter)
};

// Throws std::invalid_argument naming the step and the id when an `after`
// names no step of the list.
StepGraph step_graph(const std::vector<Step>& steps);

}  // namespace smsup::plan
