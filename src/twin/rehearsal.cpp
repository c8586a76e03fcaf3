#include "twin/rehearsal.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <queue>
#include <unordered_map>

#include "plan/step_kinds.h"

namespace smsup::twin {
namespace {

struct Scheduler {
  const plan::Plan& plan;
  Twin& twin;
  const RehearseOptions& opts;
  std::vector<std::vector<size_t>> dependants;
  std::vector<int> waiting;   // unfinished deps
  std::vector<VTime> ready;   // max end of deps
  std::vector<bool> blocked;  // a dep failed
  std::vector<std::string> blocker;
  std::vector<VTime> upgrades_running;  // end times of started upgrades
  using Item = std::pair<VTime, size_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;

  int max_parallel() const {
    int m = opts.max_parallel > 0 ? opts.max_parallel : plan.options.max_parallel;
    return m > 0 ? m : 4;
  }

  void init() {
    size_t n = plan.steps.size();
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < n; ++i) index[plan.steps[i].id] = i;
    dependants.assign(n, {});
    waiting.assign(n, 0);
    ready.assign(n, 0);
    blocked.assign(n, false);
    blocker.assign(n, {});
    for (size_t i = 0; i < n; ++i) {
      for (const auto& dep : plan.steps[i].after) {
        auto it = index.find(dep);
        if (it == index.end()) continue;  // the plan loader refuses these
        dependants[it->second].push_back(i);
        ++waiting[i];
      }
      if (waiting[i] == 0) queue.emplace(0, i);
    }
  }

  // The earliest time a new upgrade may start at or after t.
  VTime upgrade_slot(VTime t) {
    std::erase_if(upgrades_running, [t](VTime end) { return end <= t; });
    if (static_cast<int>(upgrades_running.size()) < max_parallel()) return t;
    return *std::min_element(upgrades_running.begin(), upgrades_running.end());
  }

  // Step i failed (or will never run): what depends on it will not run
  // either. An upgrade that only queued behind it for a lane (plan.h,
  // is_lane_edge) is released instead: a failed site holds up no other.
  void block(size_t i, const std::string& why, VTime at) {
    for (size_t d : dependants[i]) {
      if (blocked[d]) continue;
      if (plan::is_lane_edge(plan.steps[d], plan.steps[i].id)) {
        if (i_never_ran(i)) release(d, at);
        continue;
      }
      blocked[d] = true;
      blocker[d] = why;
      block(d, why, at);
    }
  }

  // Blocked steps never run, so nothing else counts their edges down.
  bool i_never_ran(size_t i) const { return blocked[i]; }

  void release(size_t d, VTime at) {
    ready[d] = std::max(ready[d], at);
    if (--waiting[d] == 0 && !blocked[d]) queue.emplace(ready[d], d);
  }
};

StepRow run_one(Scheduler& s, const plan::Step& step, VTime at) {
  StepRow row{step.id, step.kind, step.site, step.title, step.manual, "", "", 0, 0, 0, ""};
  StepResult r = s.twin.begin_step(step, at);
  row.attempts = 1;
  row.start = r.start;
  if (!r.ok && s.opts.recover) {
    s.twin.advance_to(r.end);
    int site = s.twin.find_site(step.site);
    bool broken = site >= 0 && (s.twin.sites()[static_cast<size_t>(site)].state == SiteState::failed ||
                                s.twin.sites()[static_cast<size_t>(site)].state == SiteState::down);
    bool retry = true;
    if (broken) {
      // The checklist's way back: restore the site database from the backup
      // (a step of its own, in virtual time), then run setup again.
      plan::Step restore;
      restore.kind = std::string(plan::name(plan::Kind::restore));
      restore.id = step.site + "/" + restore.kind;
      restore.site = step.site;
      restore.title = "Restore " + step.site + " from its backup";
      StepResult rr = s.twin.begin_step(restore, r.end);
      s.twin.advance_to(rr.end);
      retry = rr.ok;
      row.recovery = rr.message;
      r.end = rr.end;
    } else {
      row.recovery = "retried";
    }
    if (retry) {
      row.recovery += fmt::format(" (first attempt: {})", r.message);
      r = s.twin.begin_step(step, r.end);
      row.attempts = 2;
    }
  }
  if (r.ok && s.opts.recover && plan::is(step, plan::Kind::upgrade)) {
    // Setup deleted what else was in the SMS folder tree: the backup's copy
    // of the tree gives it back (the foreign-files rule's remedy).
    std::string what;
    if (s.twin.restore_lost_files(step.site, r.end, what)) row.recovery = what;
  }
  row.end = r.end;
  row.status = r.ok ? "ok" : (r.hung ? "hung" : "failed");
  row.message = r.message;
  return row;
}

}  // namespace

Rehearsal rehearse(const plan::Plan& plan, Twin& twin, const RehearseOptions& opts) {
  Scheduler s{plan, twin, opts, {}, {}, {}, {}, {}, {}, {}};
  s.init();
  Rehearsal out;
  out.days = opts.days;
  std::vector<StepRow> rows(plan.steps.size());
  std::vector<bool> done(plan.steps.size(), false);
  while (!s.queue.empty()) {
    auto [t, i] = s.queue.top();
    s.queue.pop();
    const plan::Step& step = plan.steps[i];
    if (s.blocked[i]) continue;
    if (plan::is(step, plan::Kind::upgrade)) {
      VTime slot = s.upgrade_slot(std::max(t, twin.now()));
      if (slot > t) {
        s.queue.emplace(slot, i);
        continue;
      }
    }
    StepRow row = run_one(s, step, t);
    if (plan::is(step, plan::Kind::upgrade)) s.upgrades_running.push_back(row.end);
    done[i] = true;
    out.plan_end = std::max(out.plan_end, row.end);
    if (row.status != "ok") {
      ++out.failed;
      s.block(i, fmt::format("{} {}", step.id, row.status), row.end);
    }
    for (size_t d : s.dependants[i]) {
      s.ready[d] = std::max(s.ready[d], row.end);
      if (--s.waiting[d] == 0 && !s.blocked[d]) s.queue.emplace(s.ready[d], d);
    }
    rows[i] = std::move(row);
  }
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    if (done[i]) continue;
    const auto& st = plan.steps[i];
    rows[i] = {st.id,
               st.kind,
               st.site,
               st.title,
               st.manual,
               "skipped",
               "not run: " + (s.blocker[i].empty() ? std::string("its dependencies never finished") : s.blocker[i]),
               0,
               0,
               0,
               ""};
    ++out.skipped;
  }
  out.steps = std::move(rows);
  twin.advance_to(std::max(out.plan_end, static_cast<VTime>(opts.days) * kDay));
  out.clients = twin.clients_by_day(opts.days);
  out.end = end_state(twin);
  out.fully_upgraded = out.end.fully_upgraded();
  out.nothing_lost = out.end.nothing_lost();
  out.open_problems = static_cast<int>(out.end.open_problems.size());
  return out;
}

}  // namespace smsup::twin
