#include "plan/step_graph.h"

#include <fmt/format.h>

#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace smsup::plan {

StepGraph step_graph(const std::vector<Step>& steps) {
  const size_t n = steps.size();
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) index.emplace(steps[i].id, i);
  StepGraph g;
  g.preds.resize(n);
  g.succs.resize(n);
  g.missing.assign(n, 0);
  for (size_t i = 0; i < n; ++i) {
    for (const auto& a : steps[i].after) {
      auto it = index.find(a);
      if (it == index.end()) {
        throw std::invalid_argument(fmt::format("step {} waits for unknown step {}", steps[i].id, a));
      }
      g.preds[i].push_back(it->second);
      g.succs[it->second].push_back(i);
      ++g.missing[i];
    }
  }
  return g;
}

}  // namespace smsup::plan
