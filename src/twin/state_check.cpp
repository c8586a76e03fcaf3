// A loaded twin state is checked as a whole before anything runs on it.
//
// The handlers index vectors with the numbers the state holds (a cohort's
// site, an event's step record, a pending line) and trust the invariants
// the twin keeps while it runs (a CCIM cycle is never 0 hours, a site's
// parent chain ends at the central site). The state file is written only by
// smsup, atomically; but it is a file on disk, and a changed byte must give
// one message naming the value, never a crash, a hang or a run on nonsense.
// So every index, enumeration, time and count that a handler relies on is
// checked here, with the JSON path of the value (located by Twin::load).
#include <fmt/format.h>

#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "plan/plan.h"
#include "plan/step_kinds.h"
#include "twin/world.h"

namespace smsup::twin {
namespace {

// Ten thousand years of virtual time either side of the epoch: any two of
// the inventory's dates (years 0000 to 9999) apart, and far from overflow
// when a few of them are added.
constexpr VTime kMaxTime = 10'000 * 366 * kDay;
constexpr int64_t kMaxCount = 1'000'000'000'000;  // records
// Clients in all: a clients CSV of 2 GiB holds far fewer; the pushes count
// hours by clients, which stays far from overflow below this.
constexpr int64_t kMaxClients = 1'000'000'000;
constexpr int64_t kMaxMb = int64_t{1} << 40;  // the inventory's own limit
constexpr int64_t kMinEpoch = -62167219200;   // 0000-01-01T00:00:00Z
constexpr int64_t kMaxEpoch = 253402300799;   // 9999-12-31T23:59:59Z

[[noreturn]] void damaged(std::string field, std::string what) { throw StateDamage{std::move(field), std::move(what)}; }

// A value's JSON path: a string, or a callable that formats it. A large twin
// holds a million values and all but a refused one need no name, so the
// lists pass callables and the path is formatted only on a refusal.
template <class F>
std::string path_of(const F& field) {
  if constexpr (std::is_invocable_r_v<std::string, const F&>) {
    return field();
  } else {
    return std::string(field);
  }
}

template <class F>
void range(const F& field, int64_t v, int64_t lo, int64_t hi) {
  if (v < lo || v > hi) damaged(path_of(field), fmt::format("{} is out of range; expected {} to {}", v, lo, hi));
}

template <class F>
void when(const F& field, VTime t) {
  if (t != kNever && (t < -kMaxTime || t > kMaxTime)) {
    damaged(path_of(field),
            fmt::format("{} is not a time of the twin; expected -{} to {} ms, or never", t, kMaxTime, kMaxTime));
  }
}

// The paths of the cells of row i of a list of rows ("cohorts[3][0]"):
// cell(k) is a callable for the helpers above.
auto cells_of(const char* list, const size_t& i) {
  return [list, &i](int k) { return [list, &i, k] { return fmt::format("{}[{}][{}]", list, i, k); }; };
}

// An index into a list of n, or -1 where "none" is allowed.
template <class F>
void index(const F& field, int64_t v, size_t n, bool none_ok = false) {
  if (none_ok && v == -1) return;
  if (v < 0 || static_cast<uint64_t>(v) >= n) {
    damaged(path_of(field),
            n == 0 ? fmt::format("{} refers to an entry of an empty list", v)
                   : fmt::format("{} is not an entry; expected {}0 to {}", v, none_ok ? "-1 (none) or " : "", n - 1));
  }
}

void db(const std::string& field, const std::optional<SiteDb>& d) {
  if (!d) return;
  range(field + ".data_mb", d->data_mb, 0, kMaxMb);
  range(field + ".log_mb", d->log_mb, 0, kMaxMb);
  range(field + ".free_disk_mb", d->free_disk_mb, 0, kMaxMb);
  range(field + ".growth_data_mb", d->growth_data_mb, 0, kMaxMb);
  range(field + ".growth_log_mb", d->growth_log_mb, 0, kMaxMb);
  range(field + ".estimate_mb", d->estimate_mb, 0, kMaxMb);
  range(field + ".clients_held", d->clients_held, 0, kMaxCount);
}

void sites(const World& w) {
  const size_t n = w.sites.size();
  if (n == 0) damaged("sites", "no sites; a twin has at least its central site");
  size_t centrals = 0;
  std::unordered_set<std::string_view> codes;
  for (size_t i = 0; i < n; ++i) {
    const TwinSite& s = w.sites[i];
    const std::string f = fmt::format("sites[{}]", i);  // a few per site: formatted at once
    index(f + ".parent", s.parent, n, true);
    if (s.parent == -1) ++centrals;
    if (!codes.insert(s.code).second) damaged(f + ".code", "'" + s.code + "' is a second site");
    range(f + ".version", static_cast<int>(s.version), 0, static_cast<int>(SmsLevel::sp2));
    range(f + ".version_before", static_cast<int>(s.version_before), 0, static_cast<int>(SmsLevel::sp2));
    range(f + ".method", static_cast<int>(s.method), 0, static_cast<int>(Method::update_passive));
    range(f + ".http_port", s.http_port, 1, 65535);
    range(f + ".systems", s.systems, 0, kMaxCount);
    range(f + ".clients", s.clients, 0, kMaxCount);
    range(f + ".gen", s.gen, 0, INT32_MAX);
    range(f + ".reinstall_restarts", s.reinstall_restarts, 0, INT32_MAX);
    when(f + ".backup_age_at_upgrade", s.backup_age_at_upgrade);
    when(f + ".setup_start", s.setup_start);
    when(f + ".setup_end", s.setup_end);
    when(f + ".reinstall_start", s.reinstall_start);
    when(f + ".expected_done", s.expected_done);
    when(f + ".ccim_ready_at", s.ccim_ready_at);
    when(f + ".services_down_until", s.services_down_until);
    for (size_t k = 0; k < s.milestones.size(); ++k) when(fmt::format("{}.milestones[{}]", f, k), s.milestones[k]);
    for (size_t k = 0; k < s.backups.size(); ++k) when(fmt::format("{}.backups[{}][0]", f, k), s.backups[k].time);
    db(f + ".db", s.db);
    db(f + ".db_before", s.db_before);
  }
  if (centrals != 1) damaged("sites", fmt::format("{} sites have no parent; expected one central site", centrals));
  // Every parent chain ends at the central site: a loop would walk for ever.
  for (size_t i = 0; i < n; ++i) {
    int at = static_cast<int>(i);
    for (size_t steps = 0; at != -1; ++steps) {
      if (steps > n) damaged(fmt::format("sites[{}].parent", i), "the parents of this site go round in a loop");
      at = w.sites[static_cast<size_t>(at)].parent;
    }
  }
}

void hosts(const World& w) {
  const size_t n = w.sites.size();
  for (size_t i = 0; i < w.hosts.size(); ++i) {
    const TwinHost& h = w.hosts[i];
    auto f = cells_of("hosts", i);
    index(f(1), h.site, n);
    range(f(2), static_cast<int>(h.os.family), 0, static_cast<int>(WinFamily::vs2005));
    range(f(3), h.os.sp, 0, 99);
  }
  for (size_t i = 0; i < w.consoles.size(); ++i) {
    const TwinConsole& c = w.consoles[i];
    auto f = cells_of("consoles", i);
    index(f(1), c.site, n);
    range(f(2), static_cast<int>(c.version), 0, static_cast<int>(SmsLevel::sp2));
    range(f(3), static_cast<int>(c.os.family), 0, static_cast<int>(WinFamily::vs2005));
    range(f(4), c.os.sp, 0, 99);
  }
}

void clients(const World& w) {
  const size_t n = w.sites.size();
  for (size_t i = 0; i < w.cohorts.size(); ++i) {
    const Cohort& c = w.cohorts[i];
    auto f = cells_of("cohorts", i);
    index(f(0), c.site, n);
    range(f(1), static_cast<int>(c.kind), 0, static_cast<int>(ClientKind::advanced));
    range(f(2), static_cast<int>(c.fate), 0, static_cast<int>(ClientFate::nt5_old_sp));
    range(f(3), static_cast<int>(c.version), 0, static_cast<int>(SmsLevel::sp2));
    // A CCIM cycle of 0 hours would run the same instant for ever.
    range(f(4), c.cycle_h, c.fate == ClientFate::ccim ? 1 : 0, 24 * 366);
    range(f(5), c.phase_h, 0, std::max(0, c.cycle_h - 1));
    range(f(6), c.http_port, 1, 65535);
    index(f(7), c.from_site, n, true);
    range(f(10), c.count, 0, kMaxClients);
    range(f(11), c.upgraded, 0, c.count);
    range(f(12), c.scheduled, 0, c.count);
  }
  int64_t total = 0;
  for (const Cohort& c : w.cohorts) total += c.count;  // each at most kMaxClients: no overflow
  if (total > kMaxClients)
    damaged("cohorts", fmt::format("{} clients in all; expected at most {}", total, kMaxClients));
  for (size_t i = 0; i < w.batches.size(); ++i) {
    const Batch& b = w.batches[i];
    auto f = cells_of("batches", i);
    index(f(0), b.cohort, w.cohorts.size());
    range(f(1), b.count, 0, kMaxClients);
    when(f(2), b.time);
  }
  for (size_t i = 0; i < w.client_cohort.size(); ++i) {
    index([&i] { return fmt::format("client_cohort[{}]", i); }, w.client_cohort[i], w.cohorts.size());
  }
  if (w.client_done.size() != w.client_cohort.size()) {
    damaged("client_done", fmt::format("{} entries for {} clients", w.client_done.size(), w.client_cohort.size()));
  }
  // One client each (naive mode): a cohort counts the clients it holds.
  if (!w.client_cohort.empty()) {
    std::vector<int64_t> held(w.cohorts.size(), 0);
    for (int32_t ci : w.client_cohort) ++held[static_cast<size_t>(ci)];
    for (size_t i = 0; i < w.cohorts.size(); ++i) {
      if (held[i] != w.cohorts[i].count) {
        damaged(fmt::format("cohorts[{}][10]", i),
                fmt::format("{} clients, but {} in client_cohort", w.cohorts[i].count, held[i]));
      }
    }
  }
}

void steps(const World& w) {
  const size_t n = w.sites.size();
  std::unordered_map<std::string_view, int> site_of;  // as World::find_site: the first of a code
  for (size_t i = n; i-- > 0;) site_of[w.sites[i].code] = static_cast<int>(i);
  for (size_t i = 0; i < w.steps.size(); ++i) {
    const StepRun& r = w.steps[i];
    auto f = [&i](const char* key) { return [&i, key] { return fmt::format("steps[{}].{}", i, key); }; };
    if (!plan::find_kind(r.step.kind)) damaged(path_of(f("step.kind")), "unknown step kind '" + r.step.kind + "'");
    if (auto p = plan::params_problem(r.step.params)) {
      damaged(path_of(f("step.params")) + (p->key.empty() ? "" : "." + p->key), p->problem);
    }
    // The record's site is the step's, as run_step found it ("*" and the
    // steps of no site: none): the handlers read one or the other.
    auto it = site_of.find(r.step.site);
    int site = it == site_of.end() ? -1 : it->second;
    index(f("site"), r.site, n, true);
    if (r.site != site) {
      damaged(path_of(f("site")), fmt::format("{} is not the index of the step's site ({})", r.site, site));
    }
    range(f("attempt"), r.attempt, 1, INT32_MAX);
    when(f("start"), r.start);
    when(f("end"), r.end);
  }
}

// A step record that ends by an event: what finish_step reads must be there.
template <class F>
void step_end(const World& w, const F& f, const StepRun& r) {
  if (r.finished) damaged(path_of(f), "the end of a step that has ended already");
  if (!r.ok) return;
  const plan::Kind k = plan::find_kind(r.step.kind)->kind;
  using plan::Kind;
  const bool site_step = k == Kind::backup || k == Kind::replication_disable || k == Kind::replication_enable ||
                         k == Kind::drw || k == Kind::dbtest || k == Kind::verify;
  if (site_step && r.site < 0) damaged(path_of(f), "the end of a " + r.step.kind + " step that has no site");
  const bool db_step = k == Kind::replication_disable || k == Kind::replication_enable || k == Kind::dbtest;
  if (db_step && !w.sites[static_cast<size_t>(r.site)].db) {
    damaged(path_of(f), "the end of a " + r.step.kind + " step on a site that has no database");
  }
}

void events(const World& w) {
  const size_t n = w.sites.size();
  size_t i = 0;
  for (const Event& e : w.queue.raw()) {
    auto f = cells_of("queue", i);
    when(f(0), e.time);
    if (e.seq >= w.queue.next_seq())
      damaged(path_of(f(1)), fmt::format("{} is not below next_seq ({})", e.seq, w.queue.next_seq()));
    range(f(2), static_cast<int>(e.kind), 0, static_cast<int>(EventKind::activity));
    index(f(3), e.site, n, true);
    switch (e.kind) {
      case EventKind::step_end:
        index(f(4), e.a, w.steps.size());
        step_end(w, f(4), w.steps[static_cast<size_t>(e.a)]);
        break;
      case EventKind::milestone:
        index(f(3), e.site, n);
        range(f(4), e.a, 0, kMilestones - 1);
        break;
      case EventKind::cohort_upgrade:
        index(f(4), e.a, w.batches.size());
        break;
      case EventKind::client_cycle:
        index(f(4), e.a, w.client_cohort.size());
        break;
      case EventKind::history:
      case EventKind::activity:
        index(f(3), e.site, n);
        break;
      case EventKind::line:
        index(f(4), e.a, w.pending.size());
        if (w.pending[static_cast<size_t>(e.a)].path.empty()) {
          damaged(path_of(f(4)), fmt::format("no pending line {}", e.a));
        }
        break;
    }
    ++i;
  }
  for (size_t k = 0; k < w.pending.size(); ++k) {
    index([&k] { return fmt::format("pending_lines.{}[0]", k); }, w.pending[k].site, n, true);
  }
}

}  // namespace

void check_state(const World& w) {
  range("options.epoch_s", w.opt.epoch_s, kMinEpoch, kMaxEpoch);
  range("options.horizon", w.opt.horizon, kDay, 3650 * kDay);
  range("now", w.now, 0, kMaxTime);
  sites(w);
  hosts(w);
  clients(w);
  steps(w);
  events(w);
}

}  // namespace smsup::twin
