// Rule 8 in the graph itself: every upgrade step goes into one of N lanes and
// waits for the previous upgrade of its lane, so no executor can ever run
// more than N site upgrades at once. Lanes are filled by list scheduling on
// the estimates (the upgrade that can start first takes the lane that frees
// first), which keeps the added edges consistent with a topological order:
// no cycle can appear. The added edge is also named in params.lane_after so
// that executors can treat it as order only (see plan.h, is_lane_edge).
#include <algorithm>
#include <queue>
#include <stdexcept>
#include "plan/planner_build.h"
#include "plan/step_kinds.h"
#include "plan/step_graph.h"

namespace smsup::plan::detail {

void chain_upgrades(std::vector<Step>& steps, int lanes) {
  const size_t n = steps.size();
  StepGraph g = step_graph(steps);
  const auto& succs = g.succs;
  auto& missing = g.missing;
  std::vector<double> ready_at(n, 0), finish(n, 0);
  using Item = std::pair<double, size_t>;  // (ready time, step)
  std::priority_queue<Item, std::vector<Item>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i) {
    if (missing[i] == 0) ready.push({0, i});
  }
  struct Lane {
    double free_at = 0;
    long last = -1;
  };
  std::vector<Lane> lane(static_cast<size_t>(lanes));
  std::vector<std::pair<size_t, size_t>> edges;  // (upgrade, previous in lane)
  size_t done = 0;
  while (!ready.empty()) {
    auto [t, i] = ready.top();
    ready.pop();
    ++done;
    double start = t;
    if (is(steps[i], Kind::upgrade)) {
      size_t best = 0;
      for (size_t k = 1; k < lane.size(); ++k) {
        if (lane[k].free_at < lane[best].free_at) best = k;
      }
      start = std::max(t, lane[best].free_at);
      if (lane[best].last >= 0) edges.push_back({i, static_cast<size_t>(lane[best].last)});
      lane[best].last = static_cast<long>(i);
      steps[i].params["lane"] = best + 1;
      lane[best].free_at = start + steps[i].estimate_min;
    }
    finish[i] = start + steps[i].estimate_min;
    for (size_t q : succs[i]) {
      ready_at[q] = std::max(ready_at[q], finish[i]);
      if (--missing[q] == 0) ready.push({ready_at[q], q});
    }
  }
  if (done != n) throw std::logic_error("planner: the steps wait for each other in a cycle");
  for (auto [up, prev] : edges) {
    auto& after = steps[up].after;
    if (std::find(after.begin(), after.end(), steps[prev].id) == after.end()) {
      after.push_back(steps[prev].id);
      // Only a place in the queue, not a need: an executor may start this
      // upgrade once the previous one has ended in any way (a failed site must
      // not hold up an unrelated one). params.lane_after names that edge.
      steps[up].params["lane_after"] = steps[prev].id;
    }
  }
}

}  // namespace smsup::plan::detail
