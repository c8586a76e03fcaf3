#include "run/executor.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "run/cascade.h"
#include "util/shell_quote.h"

namespace smsup::run {

namespace {

struct Node {
  const plan::Step* step = nullptr;
  State state = State::pending;
  std::vector<int> dependants;
  int unmet = 0;  // waits not yet met (cascade.h, met())
  double started = 0;
  bool armed = false;
};

// How many steps one synced commit arms ahead (journal.h, record()): one
// disk sync per this many starts in a long chain, instead of one per start.
constexpr size_t kArmAhead = 64;

}  // namespace

struct Executor::Impl {
  const plan::Plan& plan;
  Journal& journal;
  drivers::Driver& driver;
  Options opts;
  Observer* observer;

  std::vector<Node> nodes;
  Waits waits;  // what each node waits for (cascade.h)
  std::unordered_map<std::string, int> index;
  std::set<int> ready;  // pending with every dep succeeded, in plan order
  std::map<std::string, int> by_host, by_site;
  int running = 0;
  int failures = 0;
  bool stopped_early = false;

  Impl(const plan::Plan& p, Journal& j, drivers::Driver& d, Options o, Observer* obs)
      : plan(p), journal(j), driver(d), opts(o), observer(obs), waits(waits_of(p.steps)) {
    nodes.resize(plan.steps.size());
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      nodes[i].step = &plan.steps[i];
      index[plan.steps[i].id] = static_cast<int>(i);
      for (const Wait& w : waits[i]) nodes[w.on].dependants.push_back(static_cast<int>(i));
    }
  }

  // Kept as states change, so that a progress report costs what is running
  // and waiting, not the size of the plan.
  int counts[6] = {};
  std::set<int> running_set, waiting_set;

  void count(int i, int delta) {
    State s = nodes[i].state;
    counts[static_cast<int>(s)] += delta;
    auto& set = s == State::running ? running_set : waiting_set;
    if (s == State::running || s == State::waiting) {
      if (delta > 0)
        set.insert(i);
      else
        set.erase(i);
    }
  }

  Progress progress() const {
    Progress p;
    p.total = static_cast<int>(nodes.size());
    std::copy(std::begin(counts), std::end(counts), std::begin(p.counts));
    for (int i : running_set) p.running.push_back({nodes[i].step->id, nodes[i].step->host, nodes[i].started});
    for (int i : waiting_set) p.waiting.push_back(nodes[i].step->id);
    p.stopping = stop_requested();
    return p;
  }

  bool stop_requested() const { return stopped_early || (opts.stop && opts.stop->load()); }

  // Reads every step's state from the journal (at start, and when another
  // process confirmed or retried something) and rebuilds the ready set.
  void load() {
    auto records = journal.steps();
    std::vector<int> confirmed;
    for (const auto& r : records) {
      auto it = index.find(r.id);
      if (it == index.end()) continue;
      Node& n = nodes[it->second];
      n.state = r.state;
      n.started = r.started;
      n.armed = r.armed;
      if (r.state == State::succeeded && r.how == "confirm") confirmed.push_back(it->second);
    }
    recount();
    for (int i : confirmed) after_confirm(i);
  }

  // The target learns what a person did; it may find it did not go well.
  void after_confirm(int i) {
    auto o = driver.confirmed(*nodes[i].step);
    if (!o || o->succeeded) return;
    journal.record(Change(nodes[i].step->id, State::failed, "driver",
                          "confirmed, but the target shows it failed: " + o->message, o));
    set(i, State::failed, o->message);
    after_failure();
  }

  void recount() {
    ready.clear();
    by_host.clear();
    by_site.clear();
    running = 0;
    failures = 0;
    std::fill(std::begin(counts), std::end(counts), 0);
    running_set.clear();
    waiting_set.clear();
    for (size_t i = 0; i < nodes.size(); ++i) {
      count(static_cast<int>(i), +1);
      Node& n = nodes[i];
      n.unmet = 0;
      for (const Wait& w : waits[i]) n.unmet += !met(nodes[w.on].state, w.lane);
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
    count(i, -1);
    nodes[i].state = s;
    count(i, +1);
    if (observer) observer->changed(nodes[i].step->id, s, detail, progress());
  }

  // A killed run left steps `running`: ask the driver what became of them.
  // After a power loss, an armed step may have started too.
  void resolve_interrupted() {
    for (size_t i = 0; i < nodes.size(); ++i) {
      bool maybe = nodes[i].state == State::pending && nodes[i].armed && journal.rebooted();
      if (nodes[i].state != State::running && !maybe) continue;
      const plan::Step& s = *nodes[i].step;
      if (observer)
        observer->note(
            fmt::format("{} was running when the last run stopped; "
                        "asking the target whether it finished",
                        s.id));
      Change c{s.id, State::pending, "probe", "", std::nullopt};
      switch (driver.probe(s)) {
        case drivers::Probe::done:
          c.state = State::succeeded;
          c.message = "found done after an interrupted run";
          break;
        case drivers::Probe::failed:
          c.state = State::failed;
          c.message = "found failed after an interrupted run";
          break;
        case drivers::Probe::not_done:
          c.message = "found not done after an interrupted run; runs again";
          if (maybe) continue;  // already pending
          break;
        case drivers::Probe::unknown:
          c.state = State::waiting;
          c.message =
              "interrupted while running and nobody can tell whether it finished: "
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
        changes.push_back({n.step->id, State::waiting, "executor", "waits for a person", std::nullopt});
      } else if (fits(n)) {
        to_start.push_back(i);
        occupy(n, +1);
        changes.push_back({n.step->id, State::running, "executor", "", std::nullopt});
      }
    }
    if (changes.empty()) return;
    bool durable = std::any_of(to_start.begin(), to_start.end(), [&](int i) { return !nodes[i].armed; });
    auto arm = durable ? arm_ahead(to_start) : std::vector<int>{};
    std::vector<std::string> arm_ids;
    for (int i : arm) arm_ids.push_back(nodes[i].step->id);
    if (durable) driver.sync();
    journal.record(changes, arm_ids, durable);  // committed before anything starts
    for (int i : arm) nodes[i].armed = true;
    double now = now_seconds();
    for (int i : to_wait) {
      ready.erase(i);
      set(i, State::waiting, "waits for a person: smsup confirm " + shell_quote(nodes[i].step->id));
    }
    for (int i : to_start) {
      // The lease is checked again at each start: a process paused between
      // the commit and here may have lost it.
      journal.check_lease();
      ready.erase(i);
      nodes[i].started = now;
      set(i, State::running, nodes[i].step->host);
      driver.start(*nodes[i].step);
    }
  }

  // The next pending steps (plan order) that could become ready while the
  // steps starting now and those running end, up to kArmAhead.
  std::vector<int> arm_ahead(const std::vector<int>& starting) {
    std::vector<char> may(nodes.size(), 0);
    for (size_t i = 0; i < nodes.size(); ++i) {
      may[i] = nodes[i].state == State::succeeded || nodes[i].state == State::running || nodes[i].armed;
    }
    for (int i : starting) may[i] = 1;
    std::vector<int> out;
    for (size_t i = 0; i < nodes.size() && out.size() < kArmAhead; ++i) {
      if (nodes[i].state != State::pending || may[i] || nodes[i].step->manual) continue;
      bool ok = std::all_of(waits[i].begin(), waits[i].end(), [&](const Wait& w) { return may[w.on] != 0; });
      if (!ok) continue;
      may[i] = 1;
      out.push_back(static_cast<int>(i));
    }
    return out;
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
    if (any_failed) after_failure();
  }

  // What the failures stop: the journal wrote the same cascade() when it
  // committed them (journal.h, record()); this applies it to the run's view.
  void after_failure() {
    std::vector<State> states(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) states[i] = nodes[i].state;
    for (const auto& c : cascade(waits, states)) {
      set(static_cast<int>(c.step), c.state,
          c.state == State::skipped ? skip_message(nodes[c.because].step->id) : std::string());
    }
    recount();
    auto lim = opts.limits.max_failures;
    if (lim > 0 && failures >= lim && !stopped_early) {
      stopped_early = true;
      if (observer) {
        observer->note(fmt::format("{} failures (--max-failures {}): starting nothing more", failures, lim));
      }
    }
  }

  Summary run() {
    journal.changed_elsewhere();
    load();
    resolve_interrupted();
    while (true) {
      journal.check_lease();
      if (journal.changed_elsewhere()) on_outside_change();
      start_ready();
      if (running == 0) {
        bool waiting = !waiting_set.empty();
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
    std::vector<int> confirmed;
    for (const auto& r : records) {
      int i = index.at(r.id);
      Node& n = nodes[i];
      if (n.state == State::running || n.state == r.state) continue;
      set(i, r.state, r.how == "confirm" ? "confirmed: " + r.note : r.message);
      if (r.state == State::succeeded && r.how == "confirm") confirmed.push_back(i);
    }
    recount();
    for (int i : confirmed) after_confirm(i);
    if (opts.limits.max_failures > 0 && failures < opts.limits.max_failures) stopped_early = false;
  }
};

Executor::Executor(const plan::Plan& plan, Journal& journal, drivers::Driver& driver, Options opts, Observer* observer)
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
  std::stable_sort(out.begin(), out.end(), [](const DryRunStep& a, const DryRunStep& b) { return a.wave < b.wave; });
  return out;
}

}  // namespace smsup::run
