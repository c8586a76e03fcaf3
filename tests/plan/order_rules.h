// The order rules of shared/spec/plan.md as checks on a finished plan: each
// returns the violations it finds, as readable sentences (empty: holds).
#pragma once

#include <string>
#include <vector>

#include "model/hierarchy.h"
#include "plan/plan.h"

namespace smsup::testing {

std::vector<std::string> order_violations(const Hierarchy& h, const plan::Plan& p);
// Rule 8 on one timeline: at most max_parallel upgrade steps overlap.
std::vector<std::string> parallel_violations(const plan::Plan& p, const std::vector<double>& durations);

}  // namespace smsup::testing
