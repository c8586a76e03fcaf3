#include "run/eta.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "plan/render.h"
#include "plan/schedule.h"
#include "plan/step_graph.h"

namespace smsup::run {

namespace {

double clamp_positive(double v) { return v > 0 ? v : 0; }

}  // namespace

std::map<std::string, double> rehearsal_durations(const nlohmann::json& r) {
  std::map<std::string, double> out;
  if (!r.is_object() || !r.contains("steps") || !r["steps"].is_array()) return out;
  for (const auto& s : r["steps"]) {
    if (!s.is_object() || !s.contains("start_min") || !s.contains("end_min")) continue;
    if (!s["id"].is_string() || !s["start_min"].is_number() || !s["end_min"].is_number()) continue;
    out[s["id"].get<std::string>()] = clamp_positive(s["end_min"].get<double>() - s["start_min"].get<double>());
  }
  return out;
}

Eta estimate(const plan::Plan& plan, const std::vector<JournalStep>& steps, double now,
             const std::map<std::string, double>& rehearsal_min) {
  Eta e;
  e.now = now;
  e.base = rehearsal_min.empty() ? "plan estimates" : "rehearsal durations";
  std::unordered_map<std::string_view, const JournalStep*> by_id;
  for (const auto& s : steps) by_id.emplace(s.id, &s);

  const size_t n = plan.steps.size();
  std::vector<double> base(n);
  for (size_t i = 0; i < n; ++i) {
    const auto& s = plan.steps[i];
    auto r = rehearsal_min.find(s.id);
    base[i] = r != rehearsal_min.end() ? r->second : s.estimate_min;
  }

  // Observed durations of finished steps, per kind.
  std::map<std::string, KindFactor> kinds;
  for (size_t i = 0; i < n; ++i) {
    auto it = by_id.find(plan.steps[i].id);
    if (it == by_id.end()) continue;
    const JournalStep& j = *it->second;
    if (j.state != State::succeeded || j.started <= 0 || j.finished < j.started) continue;
    auto& k = kinds[plan.steps[i].kind];
    k.kind = plan.steps[i].kind;
    ++k.observed;
    k.planned_min += base[i];
    k.actual_min += (j.finished - j.started) / 60.0;
  }
  for (auto& [name, k] : kinds) {
    k.factor = k.planned_min > 0 ? k.actual_min / k.planned_min : 1;
    e.kinds.push_back(k);
  }

  // What is left of each step, from now.
  std::vector<double> left(n);
  bool all_done = n > 0;
  for (size_t i = 0; i < n; ++i) {
    const auto& s = plan.steps[i];
    auto k = kinds.find(s.kind);
    double expected = base[i] * (k != kinds.end() ? k->second.factor : 1);
    auto it = by_id.find(s.id);
    State st = it == by_id.end() ? State::pending : it->second->state;
    if (st != State::succeeded) all_done = false;
    switch (st) {
      case State::succeeded:
      case State::skipped:
        left[i] = st == State::skipped ? expected : 0;  // a skip waits for a retry
        break;
      case State::running:
      case State::waiting:
        left[i] = clamp_positive(expected - (it->second->started > 0 ? (now - it->second->started) / 60.0 : 0));
        break;
      case State::failed:
        ++e.failed;
        left[i] = expected;
        break;
      case State::pending:
        left[i] = expected;
        break;
    }
  }
  e.complete = all_done;
  auto sched = plan::schedule(plan.steps, left);
  e.remaining_min = sched.total_min;
  e.finish = now + sched.total_min * 60;

  auto waves = plan::waves_of(plan);
  std::map<std::string, size_t> site_pos;
  std::map<int, PartEta> wave_parts;
  for (size_t i = 0; i < n; ++i) {
    const auto& s = plan.steps[i];
    auto it = by_id.find(s.id);
    bool done = it != by_id.end() && (it->second->state == State::succeeded);
    auto add = [&](PartEta& p) {
      ++p.steps;
      p.done += done ? 1 : 0;
      p.remaining_min = std::max(p.remaining_min, left[i] > 0 ? sched.finish[i] : 0.0);
    };
    if (s.site != "*") {
      auto [pos, fresh] = site_pos.try_emplace(s.site, e.sites.size());
      if (fresh) e.sites.push_back(PartEta{s.site});
      add(e.sites[pos->second]);
    }
    auto& w = wave_parts[waves[i]];
    w.name = std::to_string(waves[i]);
    add(w);
  }
  for (auto& p : e.sites) p.finish = now + p.remaining_min * 60;
  for (auto& [w, p] : wave_parts) {
    p.finish = now + p.remaining_min * 60;
    e.waves.push_back(p);
  }
  return e;
}

std::optional<plan::Plan> journal_plan(const Journal& j, const std::vector<JournalStep>& steps) {
  auto estimates = j.step_estimates();
  if (!estimates || estimates->size() != steps.size()) return std::nullopt;
  plan::Plan p;
  p.hierarchy = j.meta("hierarchy");
  p.steps.reserve(steps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& r = steps[i];
    plan::Step s;
    s.id = r.id;
    s.kind = r.kind;
    s.site = r.site;
    s.host = r.host;
    s.after = r.after;
    s.manual = r.manual;
    s.title = r.title;
    s.estimate_min = (*estimates)[i];
    p.steps.push_back(std::move(s));
  }
  return p;
}

std::optional<Eta> journal_eta(const Journal& j, const std::vector<JournalStep>& steps, double now) {
  if (auto p = journal_plan(j, steps)) return estimate(*p, steps, now);
  std::string path = j.meta("plan_path");
  std::error_code ec;
  if (path.empty() || !std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  try {
    return estimate(plan::load(path), steps, now);
  } catch (const std::exception&) {
    return std::nullopt;  // the plan file changed or went: no ETA rather than a wrong one
  }
}

// estimate()'s arithmetic on integer indices made once: the kind factors
// and the longest remaining path, each a pass over the steps in the same
// order and with the same operations as estimate() and plan::schedule().
EtaTracker::EtaTracker(const plan::Plan& plan, const std::vector<JournalStep>& steps, int64_t last_seq) {
  const size_t n = plan.steps.size();
  auto g = plan::step_graph(plan.steps);
  std::map<std::string, int> kinds;
  base_.resize(n);
  kind_.resize(n);
  preds_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const auto& s = plan.steps[i];
    base_[i] = s.estimate_min;
    kind_[i] = kinds.try_emplace(s.kind, static_cast<int>(kinds.size())).first->second;
    index_.emplace(s.id, static_cast<int>(i));
    for (size_t p : g.preds[i]) preds_[i].push_back(static_cast<int>(p));
  }
  kinds_ = static_cast<int>(kinds.size());
  std::vector<size_t> ready;
  for (size_t i = 0; i < n; ++i) {
    if (g.missing[i] == 0) ready.push_back(i);
  }
  while (!ready.empty()) {
    size_t i = ready.back();
    ready.pop_back();
    order_.push_back(static_cast<int>(i));
    for (size_t q : g.succs[i]) {
      if (--g.missing[q] == 0) ready.push_back(q);
    }
  }
  if (order_.size() != n) throw std::invalid_argument("the plan's steps wait for each other in a cycle");
  reset(steps, last_seq);
}

void EtaTracker::reset(const std::vector<JournalStep>& steps, int64_t last_seq) {
  steps_.assign(base_.size(), Step{});
  for (const auto& s : steps) {
    auto it = index_.find(s.id);
    if (it != index_.end()) steps_[static_cast<size_t>(it->second)] = {s.state, s.started, s.finished};
  }
  last_seq_ = last_seq;
}

bool EtaTracker::apply(const Event& e) {
  if (e.seq > 0) {
    if (last_seq_ > 0 && e.seq != last_seq_ + 1) return false;
    last_seq_ = e.seq;
  }
  auto it = index_.find(e.step);
  auto st = parse_state(e.state);
  if (it == index_.end() || !st) return true;  // a takeover, the run's end: no step changes
  Step& s = steps_[static_cast<size_t>(it->second)];
  s.state = *st;
  // As Journal::record() writes them.
  if (*st == State::running) {
    s.started = e.at;
    s.finished = 0;
  } else if (*st == State::succeeded || *st == State::failed) {
    s.finished = e.at;
  }
  return true;
}

double EtaTracker::finish(double now) const {
  const size_t n = base_.size();
  std::vector<double> planned(static_cast<size_t>(kinds_)), actual(planned.size());
  std::vector<char> seen(planned.size());
  for (size_t i = 0; i < n; ++i) {
    const Step& s = steps_[i];
    if (s.state != State::succeeded || s.started <= 0 || s.finished < s.started) continue;
    auto k = static_cast<size_t>(kind_[i]);
    seen[k] = 1;
    planned[k] += base_[i];
    actual[k] += (s.finished - s.started) / 60.0;
  }
  std::vector<double> end(n);
  double total = 0;
  for (int oi : order_) {
    auto i = static_cast<size_t>(oi);
    auto k = static_cast<size_t>(kind_[i]);
    double expected = base_[i] * (seen[k] && planned[k] > 0 ? actual[k] / planned[k] : 1);
    const Step& s = steps_[i];
    double left = expected;
    if (s.state == State::succeeded) {
      left = 0;
    } else if (s.state == State::running || s.state == State::waiting) {
      left = clamp_positive(expected - (s.started > 0 ? (now - s.started) / 60.0 : 0));
    }
    double start = 0;
    for (int p : preds_[i]) start = std::max(start, end[static_cast<size_t>(p)]);
    end[i] = start + left;
    total = std::max(total, end[i]);
  }
  return now + total * 60;
}

nlohmann::json to_json(const Eta& e) {
  using nlohmann::json;
  auto part = [](const PartEta& p) {
    return json{{"name", p.name},
                {"steps", p.steps},
                {"done", p.done},
                {"remaining_min", p.remaining_min},
                {"finish", iso_time(p.finish)}};
  };
  json sites = json::array(), waves = json::array(), kinds = json::array();
  for (const auto& p : e.sites) sites.push_back(part(p));
  for (const auto& p : e.waves) waves.push_back(part(p));
  for (const auto& k : e.kinds) {
    kinds.push_back({{"kind", k.kind},
                     {"observed", k.observed},
                     {"planned_min", k.planned_min},
                     {"actual_min", k.actual_min},
                     {"factor", k.factor}});
  }
  return {{"now", iso_time(e.now)},
          {"complete", e.complete},
          {"remaining_min", e.remaining_min},
          {"finish", iso_time(e.finish)},
          {"failed", e.failed},
          {"base", e.base},
          {"kinds", kinds},
          {"waves", waves},
          {"sites", sites}};
}

std::string to_text(const Eta& e) {
  if (e.complete) return "ETA: the campaign is complete\n";
  std::string out = fmt::format("ETA: {} (in {}), from {} corrected by {} observed step kind(s)\n", iso_time(e.finish),
                                plan::format_minutes(e.remaining_min), e.base, e.kinds.size());
  if (e.failed > 0) out += fmt::format("  assumes the {} failed step(s) are retried now\n", e.failed);
  for (const auto& k : e.kinds) {
    if (k.factor < 0.95 || k.factor > 1.05) {
      out +=
          fmt::format("  {} steps take {:.0f} % of their estimate ({} observed)\n", k.kind, k.factor * 100, k.observed);
    }
  }
  for (const auto& w : e.waves) {
    if (w.done == w.steps) continue;
    out += fmt::format("  wave {:>3}: {}/{} done, ends {}\n", w.name, w.done, w.steps, iso_time(w.finish));
  }
  return out;
}

}  // namespace smsup::run
