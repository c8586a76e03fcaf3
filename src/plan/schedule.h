// The plan laid out in time: every step starts as soon as all the steps it
// waits for have finished (the `after` edges; rule 8's lanes are edges too, so
// no resource model is needed). Also used by rehearse/apply reports.
#pragma once

#include <cstddef>
#include <vector>

#include "plan/plan.h"

namespace smsup::plan {

struct Schedule {
  std::vector<double> start;  // minutes from the start, per step (plan order)
  std::vector<double> finish;
  double total_min = 0;          // when the last step finishes
  std::vector<size_t> critical;  // step indices of a longest path, first to last
};

// With each step's estimate_min as its duration.
Schedule schedule(const Plan& p);
// With given durations (one per step), e.g. measured ones or perturbed ones.
// Throws std::invalid_argument on an unknown `after` id or a cycle.
Schedule schedule(const std::vector<Step>& steps, const std::vector<double>& durations);

// "3 h 05 min", "45 min", "2 d 1 h 00 min".
std::string format_minutes(double minutes);

}  // namespace smsup::plan
