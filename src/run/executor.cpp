#include "run/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace smsup::run {

namespace {

struct Node {
  const plan::Step* step = nullptr;
  State state = State::pending;
  std::vector<int> deps, dependants;
  int unmet = 0;  // deps not yet succeeded
  double started = 0;
};

}  // namespace

struct Executor::Impl {
  const plan::Plan& plan;
  Journal& journal;
  drivers::Driver& driver;
  Options opts;
  Observer* observer;

  std::vector<Node> nodes;
  std::unordered_map<std::string, int> index;
  std::set<int> ready;  // pending with every dep succeeded, in plan order
  std::map<std::string, int> by_host, by_site;
  int running = 0;
  int failures = 0;
  bool stopped_early = false;

  Impl(const plan::Plan& p, Journal& j, drivers::Driver& d, Options o, Observer* obs)
      : plan(p), journal(j), driver(d), opts(o), observer(obs) {
    nodes.resize(plan.steps.size());
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      nodes[i].step = &plan.steps[i];
      index[plan.steps[i].id] = static_cast<int>(i);
    }
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      for (const auto& a : plan.steps[i].after) {
        int dep = index.at(a);
        nodes[i].deps.push_back(dep);
        nodes[dep].dependants.push_back(static_cast<int>(i));
      }
    }
  }

  Progress progress() const {
    Progress p;
    p.total = static_cast<int>(nodes.size());
    for (const auto& n : nodes) {
      ++p.counts[static_cast<int>(n.state)];
      if (n.state == State::running) p.running.push_back({n.step->id, n.step->host, n.started});
      if (n.state == State::waiting) p.waiting.push_back(n.step->id);
    }
    p.stopping = stop_requested();
    return p;
  }

  bool stop_requested() const {
    return stopped_early || (opts.stop && opts.stop->load());
  }

  // Reads every step's state from the journal (at start, and when another
  // process confirmed or retried something) and rebuilds the ready set.
  void load() {
    auto records = journal.steps();
    for (const auto& r : records) {
      auto it = index.find(r.id);
      if (it == index.end()) continue;
      Node& n = nodes[it->second];
      bool was_succeeded = n.state == State::succeeded;
      n.state = r.state;
      n.started = r.started;
      if (r.state == State::succeeded && r.how == "confirm" && !was_succeeded) {
        driver.confirmed(*n.step);
      }
    }
    recount();
  }

  void recount() {
    ready.clear();
    by_host.clear();
    by_site.clear();
    running = 0;
    failures = 0;
    for (size_t i = 0; i < nodes.size(); ++i) {
      Node& n = nodes[i];
      n.unmet = 0;
      for (int d : n.deps) n.unmet += nodes[d].state != State::succeeded;
      if (n.state == State::pending && n.unmet == 0) ready.insert(static_cast<int>(i));
      if (n.state == State::running) occupy(n, +1);
      if (n.state == State::failed) ++failures;
    }
  }

  void occupy(const Node& n, int delta) {
    running += delta;
    if (!n.step->host.empty()) by_host[n.step->host] += delta;
    if (n.step->site != "*" && !n.step->site.empty()) by_site[n.step->site] += delta;
  }

  bool fits(const Node& n) const {
    const auto& l = opts.limits;
    if (running >= l.max_parallel) return false;
    if (!n.step->host.empty()) {
      auto it = by_host.find(n.step->host);
      if (it != by_host.end() && it->second >= l.per_host) return false;
    }
    if (n.step->site != "*" && !n.step->site.empty()) {
      auto it = by_site.find(n.step->site);
      if (it != by_site.end() && it->second >= l.per_site) return false;
    }
    return true;
  }

  void set(int i, State s, const std::string& detail) {
    nodes[i].state = s;
    if (observer) observer->changed(nodes[i].step->id, s, detail, progress());
  }

  // A killed run left steps `running`: ask the driver what became of them.
  void resolve_interrupted() {
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].state != State::running) continue;
      const plan::Step& s = *nodes[i].step;
      if (observer) observer->note(fmt::format("{} was running when the last run stopped; "
                                               "asking the target whether it finished", s.id));
      Change c{s.id, State::pending, "probe", "", std::nullopt};
      switch (driver.probe(s)) {
        case drivers::Probe::done:
          c.state = State::succeeded;
          c.message = "found done after an interrupted run";
          break;
        case drivers::Probe::not_done:
          c.message = "found not done after an interrupted run; runs again";
          break;
        case drivers::Probe::unknown:
          c.state = State::waiting;
          c.message = "interrupted while running and nobody can tell whether it finished: "
                      "check, then confirm (or --fail)";
          break;
      }
      journal.record(c);
      set(static_cast<int>(i), c.state, c.message);
    }
    recount();
  }

  // Decides what starts now, commits it in one transaction, then starts it.
  void start_ready() {
    if (stop_requested()) return;
    std::vector<Change> changes;
    std::vector<int> to_start, to_wait;
    for (int i : ready) {
      Node& n = nodes[i];
      if (n.step->manual) {
        to_wait.push_back(i);
        changes.push_back({n.step->id, State::waiting, "executor",
                           "waits for a person", std::nullopt});
      } else if (fits(n)) {
        to_start.push_back(i);
        occupy(n, +1);
        changes.push_back({n.step->id, State::running, "executor", "", std::nullopt});
      }
    }
    if (changes.empty()) return;
    journal.record(changes);  // committed before anything starts
    double now = now_seconds();
    for (int i : to_wait) {
      ready.erase(i);
      set(i, State::waiting, "waits for a person: smsup confirm " + nodes[i].step->id);
    }
    for (int i : to_start) {
      ready.erase(i);
      nodes[i].started = now;
      set(i, State::running, nodes[i].step->host);
      driver.start(*nodes[i].step);
    }
  }

  void finish(const std::vector<drivers::Finished>& done) {
    if (done.empty()) return;
    std::vector<Change> changes;
    for (const auto& f : done) {
      State s = f.outcome.succeeded ? State::succeeded : State::failed;
      changes.push_back({f.step_id, s, "driver", "", f.outcome});
    }
    journal.record(changes);  // committed before the next action
    bool any_failed = false;
    for (const auto& f : done) {
      int i = index.at(f.step_id);
      Node& n = nodes[i];
      occupy(n, -1);
      if (f.outcome.succeeded) {
        set(i, State::succeeded, f.outcome.message);
        for (int d : n.dependants) {
          if (--nodes[d].unmet == 0 && nodes[d].state == State::pending) ready.insert(d);
        }
      } else {
        set(i, State::failed, f.outcome.message);
        any_failed = true;
      }
    }
    if (any_failed) reload_after_failure();
  }

  void reload_after_failure() {
    // The journal skipped the dependants in SQL; take its word for it.
    for (const auto& r : journal.steps()) {
      Node& n = nodes[index.at(r.id)];
      if (n.state != r.state && r.state == State::skipped) set(index.at(r.id), r.state, r.message);
    }
    recount();
    auto lim = opts.limits.max_failures;
    if (lim > 0 && failures >= lim && !stopped_early) {
      stopped_early = true;
      if (observer) {
        observer->note(fmt::format("{} failures (--max-failures {}): starting nothing more",
                                   failures, lim));
      }
    }
  }

  Summary run() {
    journal.changed_elsewhere();
    load();
    resolve_interrupted();
    while (true) {
      if (journal.changed_elsewhere()) on_outside_change();
      start_ready();
      if (running == 0) {
        bool waiting = std::any_of(nodes.begin(), nodes.end(),
                                   [](const Node& n) { return n.state == State::waiting; });
        if (!(waiting && opts.wait_for_people && !stop_requested())) break;
      }
      finish(driver.poll(opts.tick));
      if (observer) observer->tick(progress());
    }
    Summary sum;
    auto p = progress();
    sum.total = p.total;
    std::copy(std::begin(p.counts), std::end(p.counts), std::begin(sum.counts));
    sum.stopped_early = stop_requested();
    return sum;
  }

  // confirm/retry from another terminal: take the journal's states for every
  // step this run is not running itself.
  void on_outside_change() {
    auto records = journal.steps();
    for (const auto& r : records) {
      int i = index.at(r.id);
      Node& n = nodes[i];
      if (n.state == State::running || n.state == r.state) continue;
      set(i, r.state, r.how == "confirm" ? "confirmed: " + r.note : r.message);
      if (r.state == State::succeeded && r.how == "confirm") driver.confirmed(*n.step);
    }
    recount();
    if (opts.limits.max_failures > 0 && failures < opts.limits.max_failures) stopped_early = false;
  }
};

Executor::Executor(const plan::Plan& plan, Journal& journal, drivers::Driver& driver,
                   Options opts, Observer* observer)
    : impl_(std::make_unique<Impl>(plan, journal, driver, opts, observer)) {}
Executor::~Executor() = default;
Summary Executor::run() { return impl_->run(); }

std::vector<DryRunStep> dry_run(const plan::Plan& plan, drivers::Driver& driver) {
  std::unordered_map<std::string, int> wave;
  std::vector<DryRunStep> out;
  for (const auto& s : plan.steps) {
    int w = 1;
    for (const auto& a : s.after) w = std::max(w, wave.at(a) + 1);
    wave[s.id] = w;
    out.push_back({w, &s, driver.describe(s)});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const DryRunStep& a, const DryRunStep& b) { return a.wave < b.wave; });
  return out;
}

}  // namespace smsup::run
