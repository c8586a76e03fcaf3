#include "run/cascade.h"

#include <fmt/format.h>

#include <array>
#include <stdexcept>
#include <unordered_map>

namespace smsup::run {

namespace {

constexpr std::array<std::string_view, 6> kStates = {"pending", "running", "waiting", "succeeded", "failed", "skipped"};

}  // namespace

std::string_view to_string(State s) { return kStates[static_cast<size_t>(s)]; }

std::optional<State> parse_state(std::string_view s) {
  for (size_t i = 0; i < kStates.size(); ++i) {
    if (kStates[i] == s) return static_cast<State>(i);
  }
  return std::nullopt;
}

Waits waits_of(const std::vector<plan::Step>& steps) {
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(steps.size() * 2);
  for (size_t i = 0; i < steps.size(); ++i) index.emplace(steps[i].id, i);
  Waits w(steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    for (const auto& a : steps[i].after) {
      auto it = index.find(a);
      if (it == index.end()) {
        throw std::invalid_argument(fmt::format("step {} waits for unknown step {}", steps[i].id, a));
      }
      w[i].push_back({it->second, plan::is_lane_edge(steps[i], a)});
    }
  }
  return w;
}

bool met(State ahead, bool lane) {
  return ahead == State::succeeded || (lane && (ahead == State::failed || ahead == State::skipped));
}

std::vector<std::optional<size_t>> failed_behind(const Waits& waits, const std::vector<State>& states) {
  const size_t n = waits.size();
  std::vector<std::vector<size_t>> dependants(n);
  for (size_t i = 0; i < n; ++i) {
    for (const Wait& w : waits[i]) {
      if (!w.lane) dependants[w.on].push_back(i);
    }
  }
  // From each failed step in plan order, mark what depends on it and is not
  // marked yet: what an earlier failure reached, it reached with all below.
  std::vector<std::optional<size_t>> behind(n);
  std::vector<size_t> todo;
  for (size_t f = 0; f < n; ++f) {
    if (states[f] != State::failed) continue;
    todo.assign(dependants[f].begin(), dependants[f].end());
    while (!todo.empty()) {
      size_t i = todo.back();
      todo.pop_back();
      if (behind[i]) continue;
      behind[i] = f;
      todo.insert(todo.end(), dependants[i].begin(), dependants[i].end());
    }
  }
  return behind;
}

std::vector<Cascaded> cascade(const Waits& waits, const std::vector<State>& states) {
  auto behind = failed_behind(waits, states);
  std::vector<Cascaded> out;
  for (size_t i = 0; i < waits.size(); ++i) {
    if (states[i] == State::pending && behind[i]) out.push_back({i, State::skipped, *behind[i]});
    if (states[i] == State::skipped && !behind[i]) out.push_back({i, State::pending, 0});
  }
  return out;
}

std::string skip_message(std::string_view failed_id) {
  return fmt::format("not run: depends on {}, which failed", failed_id);
}

}  // namespace smsup::run
