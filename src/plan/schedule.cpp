#include "plan/schedule.h"

#include "plan/step_graph.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace smsup::plan {

Schedule schedule(const Plan& p) {
  std::vector<double> d;
  d.reserve(p.steps.size());
  for (const auto& s : p.steps) d.push_back(s.estimate_min);
  return schedule(p.steps, d);
}

Schedule schedule(const std::vector<Step>& steps, const std::vector<double>& durations) {
  const size_t n = steps.size();
  if (durations.size() != n) throw std::invalid_argument("schedule: one duration per step");
  // Kahn's algorithm, so that the plan's order need not be topological.
  StepGraph g;
  try {
    g = step_graph(steps);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("schedule: ") + e.what());
  }
  const auto& preds = g.preds;
  const auto& succs = g.succs;
  auto& missing = g.missing;
  Schedule s;
  s.start.assign(n, 0);
  s.finish.assign(n, 0);
  std::vector<size_t> ready;
  for (size_t i = 0; i < n; ++i) {
    if (missing[i] == 0) ready.push_back(i);
  }
  std::vector<long> via(n, -1);  // the predecessor that finishes last
  size_t done = 0;
  while (!ready.empty()) {
    size_t i = ready.back();
    ready.pop_back();
    ++done;
    for (size_t p : preds[i]) {
      if (via[i] < 0 || s.finish[p] > s.finish[static_cast<size_t>(via[i])]) via[i] = static_cast<long>(p);
    }
    if (via[i] >= 0) s.start[i] = s.finish[static_cast<size_t>(via[i])];
    s.finish[i] = s.start[i] + durations[i];
    for (size_t q : succs[i]) {
      if (--missing[q] == 0) ready.push_back(q);
    }
  }
  if (done != n) throw std::invalid_argument("schedule: the steps wait for each other in a cycle");
  long last = -1;
  for (size_t i = 0; i < n; ++i) {
    if (last < 0 || s.finish[i] > s.finish[static_cast<size_t>(last)]) last = static_cast<long>(i);
  }
  if (last >= 0) s.total_min = s.finish[static_cast<size_t>(last)];
  for (long cur = last; cur >= 0; cur = via[static_cast<size_t>(cur)]) {
    s.critical.push_back(static_cast<size_t>(cur));
  }
  std::reverse(s.critical.begin(), s.critical.end());
  return s;
}

std::string format_minutes(double minutes) {
  auto m = static_cast<long>(std::lround(minutes));
  if (m < 60) return fmt::format("{} min", m);
  long h = m / 60;
  m %= 60;
  if (h < 24) return fmt::format("{} h {:02} min", h, m);
  return fmt::format("{} d {} h {:02} min", h / 24, h % 24, m);
}

}  // namespace smsup::plan
