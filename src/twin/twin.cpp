#include "twin/twin.h"

#include <algorithm>
#include <fmt/format.h>
#include <stdexcept>

#include "model/db_growth.h"
#include "plan/step_kinds.h"
#include "twin/campaign.h"
#include "twin/world.h"
#include "util/error.h"

namespace smsup::twin {
namespace {

SiteDb db_of(const Site& s, int64_t clients_held) {
  const Database& d = *s.database;
  SiteDb db;
  db.server = d.server;
  db.name = d.name.empty() ? "SMS_" + s.code : d.name;
  db.sql = d.sql;
  db.replication = d.replication;
  db.data_mb = d.data_mb;
  db.log_mb = d.log_mb;
  db.free_disk_mb = d.free_disk_mb;
  db.autogrow = d.autogrow;
  // The same growth the disk-space rule and the planner use: measured by a
  // database test when there is one, their estimate otherwise. The twin takes
  // it as what the upgrade really adds until attach_databases() measures the
  // site's own database.
  auto g = db_growth(d);
  db.growth_data_mb = std::max<int64_t>(0, g.data_mb);
  db.growth_log_mb = std::max<int64_t>(0, g.log_mb);
  db.estimate_mb = db.growth_data_mb + db.growth_log_mb;
  db.growth_measured = g.measured;
  db.growth_from = g.measured ? "inventory dbtest" : "estimate";
  db.clients_held = clients_held;
  return db;
}

}  // namespace

Twin::Twin(std::unique_ptr<World> w) : w_(std::move(w)) {}
Twin::Twin(Twin&&) noexcept = default;
Twin& Twin::operator=(Twin&&) noexcept = default;
Twin::~Twin() = default;

Twin Twin::from(const Hierarchy& h, uint64_t seed, const Faults& faults) {
  TwinOptions o;
  o.seed = seed;
  o.faults = faults;
  return from(h, o);
}

Twin Twin::from(const Hierarchy& h, const TwinOptions& opts) {
  for (const auto& f : opts.faults.list) {
    if (!f.site.empty() && h.find_site(f.site) < 0) {
      throw InputError({}, "--faults", fmt::format("'{}': no site with code '{}' in {}", f.text, f.site, h.name));
    }
  }
  auto w = std::make_unique<World>();
  w->opt = opts;
  w->hierarchy = h.name;
  auto held = clients_held_by_site(h);
  for (size_t i = 0; i < h.sites.size(); ++i) {
    const Site& s = h.sites[i];
    TwinSite t;
    t.code = s.code;
    t.parent = s.parent_index;
    t.primary = s.is_primary();
    t.version = s.version.level;
    t.version_before = t.version;
    t.state = SiteState::running;
    t.method = h.method_of(s);
    t.drw_passed = s.drw_passed || s.version.level >= SmsLevel::sp1;
    t.http_port = s.http_port;
    t.client_auth = s.client_auth_encryption;
    t.install_dir = s.install_dir;
    t.server = s.site_server().host;
    if (s.database) t.db = db_of(s, held[i]);
    if (s.last_backup) {
      // Taken before the twin started, at the end of its day (the inventory
      // has the date only), and never after the twin's start.
      int64_t taken_s =
          std::chrono::sys_seconds(std::chrono::sys_days(*s.last_backup)).time_since_epoch().count() + 24 * 3600 - 1;
      VTime at = std::min<VTime>(-kSecond, (taken_s - opts.epoch_s) * kSecond);
      t.backups.push_back({at, s.database && s.database->replication, true, s.foreign_files});
    }
    t.foreign_files = s.foreign_files;
    t.systems = static_cast<int>(s.systems.size());
    if (t.version == SmsLevel::sp2) {
      t.state = SiteState::upgraded;
      t.verified = true;
    }
    w->sites.push_back(std::move(t));
    for (const auto& sys : s.systems) {
      TwinHost th;
      th.host = sys.host;
      th.site = static_cast<int>(i);
      th.os = sys.os;
      th.roles = sys.roles;
      th.dcom_fixed = sys.dcom_fixed;
      th.firewall_exceptions = sys.firewall_exceptions;
      th.firewall = sys.firewall;
      th.scw = sys.scw;
      th.service_account = sys.service_account;
      th.sms_client_installed = sys.sms_client_installed;
      w->hosts.push_back(std::move(th));
    }
    for (const auto& c : s.consoles) {
      TwinConsole tc{c.host, static_cast<int>(i), c.version.level};
      if (!c.unknown_fact(ConsoleFact::os) && !c.unknown_fact(ConsoleFact::os_sp)) tc.os = c.os;
      tc.firewall = c.firewall && !c.unknown_fact(ConsoleFact::firewall);
      tc.firewall_exceptions = c.unknown_fact(ConsoleFact::firewall_exceptions) ? 0 : c.firewall_exceptions;
      w->consoles.push_back(std::move(tc));
    }
  }
  w->cohorts = build_cohorts(h, opts.seed, opts.naive_clients ? &w->client_cohort : nullptr);
  for (const auto& c : w->cohorts) w->sites[static_cast<size_t>(c.site)].clients += c.count;
  w->index_cohorts();
  for (size_t i = 0; i < w->sites.size(); ++i) {
    // Problems present when the twin starts: their lines are written with
    // the site's history (on_history), once a log sink can hear them.
    w->refresh_host_problems(static_cast<int>(i), 0, false);
    w->schedule(0, EventKind::history, static_cast<int>(i));
    if (w->sites[i].version == SmsLevel::sp2) start_ccim(*w, static_cast<int>(i), 0);
  }
  if (opts.naive_clients) {
    w->naive_rejected.assign(static_cast<size_t>(opts.horizon / kDay + 2), 0);
    w->naive_rejected_inventory.assign(w->naive_rejected.size(), 0);
    VTime every = inventory_interval(opts.durations);
    for (size_t i = 0; i < w->client_cohort.size(); ++i) {
      const Cohort& c = w->cohorts[static_cast<size_t>(w->client_cohort[i])];
      if (c.fate == ClientFate::ccim || c.kind == ClientKind::advanced) {
        VTime first = c.fate == ClientFate::ccim ? c.phase_h * kHour
                                                 : static_cast<VTime>(hash64(opts.seed, h.clients[i].name, 7) % kDay);
        w->schedule(first, EventKind::client_cycle, -1, static_cast<int>(i));
      }
      // Only rejected reports are counted: only those clients report here.
      if (c.rejected && inventory_per_day(opts.durations) > 0) {
        auto first = static_cast<VTime>(hash64(opts.seed, h.clients[i].name, 8) % static_cast<uint64_t>(every));
        w->schedule(first, EventKind::client_cycle, -1, static_cast<int>(i), kInventoryReport);
      }
    }
  }
  return Twin(std::move(w));
}

void Twin::set_log_sink(LogSink* sink) { w_->sink = sink; }

void Twin::attach_databases(SiteDatabases* dbs, const std::function<void(size_t, size_t)>& progress) {
  w_->dbs = dbs;
  if (!dbs) return;
  std::vector<size_t> todo;  // sites whose database is not made yet
  for (size_t i = 0; i < w_->sites.size(); ++i) {
    if (w_->sites[i].db && w_->sites[i].db->file.empty()) todo.push_back(i);
  }
  std::vector<SiteDatabases::Wanted> wanted;
  for (size_t i : todo) wanted.push_back({&w_->sites[i], miniature_clients(w_->sites[i].db->clients_held)});
  std::vector<AfterMb> measured = dbs->open(wanted, progress);
  if (measured.size() != todo.size()) throw std::logic_error("SiteDatabases::open: one size per site asked");
  for (size_t k = 0; k < todo.size(); ++k) {
    TwinSite& s = w_->sites[todo[k]];
    s.db->file = dbs->where(s);
    if (s.version == SmsLevel::sp2) {
      // Upgraded before the twin started: so is its database.
      dbs->upgrade(s, {s.db->data_mb, s.db->log_mb});
    } else if (!s.db->growth_measured) {
      // The inventory's measured figures stay the truth when it has them.
      s.db->growth_data_mb = std::max<int64_t>(0, measured[k].data_mb_after - s.db->data_mb);
      s.db->growth_log_mb = std::max<int64_t>(0, measured[k].log_mb_after - s.db->log_mb);
      s.db->growth_from = "site database";
    }
  }
}

StepResult Twin::begin_step(const plan::Step& step, VTime not_before) {
  World& w = *w_;
  VTime start = std::max(w.now, not_before);
  for (const auto& dep : step.after) {
    if (const auto* r = step_record(dep)) start = std::max(start, r->end);
  }
  w.advance_to(start);
  StepRun rec;
  rec.step = step;
  rec.site = w.find_site(step.site);
  rec.start = start;
  if (const auto* prev = step_record(step.id)) rec.attempt = prev->attempt + 1;
  auto fault = fault_for(w.opt.faults, step.kind, step.site, step.id, rec.attempt, w.opt.seed);
  Decision d;
  const plan::KindRow* kind = plan::find_kind(step.kind);
  bool hierarchy_wide = kind && kind->scope == plan::Scope::hierarchy;
  bool upgrade = kind && kind->kind == plan::Kind::upgrade;
  if (rec.site < 0 && !hierarchy_wide) {
    d = {false, fmt::format("no site '{}' in the twin of {}", step.site, w.hierarchy), kMinute};
  } else if (fault == FaultEffect::hang) {
    d = {false,
         fmt::format("did not finish: no progress after {} (injected hang)",
                     format_duration(minutes(w.opt.durations.hang_timeout))),
         minutes(w.opt.durations.hang_timeout)};
    rec.hung = true;
    if (rec.site >= 0 && upgrade) {
      w.sites[static_cast<size_t>(rec.site)].state = SiteState::upgrading;
      w.setup_log(rec.site, start, "SMS Setup started. Upgrading the site to SMS 2003 SP2.");
    }
  } else if (rec.site >= 0 && start < w.sites[static_cast<size_t>(rec.site)].services_down_until &&
             !(kind && kind->kind == plan::Kind::dbtest)) {
    // A same-server database test holds the site down (steps_site.cpp).
    const TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
    d = {false,
         fmt::format("the SMS services of {} are stopped and its database is detached for the same-server database "
                     "test until {}: nothing of the site may run meanwhile",
                     s.code, iso_time(w.opt.epoch_s, s.services_down_until)),
         kMinute};
  } else if (fault == FaultEffect::fail && !upgrade) {
    d = {false, "failed (injected fault)", minutes(std::max(1.0, step.estimate_min) * w.jitter(step.id, rec.attempt))};
  } else if (!kind) {
    d = {false, fmt::format("the twin does not know step kind '{}'", step.kind), kMinute};
  } else {
    switch (kind->twin) {
      case plan::TwinPart::upgrade:
        d = begin_upgrade_step(w, rec, kind->kind);
        break;
      case plan::TwinPart::site:
        d = begin_site_step(w, rec, kind->kind);
        break;
      case plan::TwinPart::host:
        d = begin_host_step(w, rec, kind->kind);
        break;
      case plan::TwinPart::clients:
        d = begin_client_step(w, rec, kind->kind);
        break;
    }
  }
  if (fault == FaultEffect::activity && rec.site >= 0) {
    // Someone opens a console on the site halfway through the step.
    w.schedule(start + d.duration / 2, EventKind::activity, rec.site);
  }
  rec.ok = d.ok;
  rec.message = d.message;
  rec.end = start + std::max<VTime>(d.duration, 0);
  if (rec.site >= 0) w.background(rec.site, start, w.steps.size());
  int index = static_cast<int>(w.steps.size());
  w.steps.push_back(rec);
  w.last_attempt[step.id] = index;
  w.schedule(rec.end, EventKind::step_end, rec.site, index);
  return {rec.step.id, rec.ok, rec.hung, rec.message, rec.start, rec.end, rec.attempt};
}

StepResult Twin::run_step(const plan::Step& step) {
  StepResult r = begin_step(step);
  advance_to(r.end);
  return r;
}

bool Twin::step_done(std::string_view id) const {
  const auto* r = step_record(id);
  return r != nullptr && r->ok && r->finished;
}

const StepRun* Twin::step_record(std::string_view id) const {
  auto it = w_->last_attempt.find(std::string(id));
  return it == w_->last_attempt.end() ? nullptr : &w_->steps[static_cast<size_t>(it->second)];
}

const std::vector<StepRun>& Twin::steps() const { return w_->steps; }
void Twin::advance_to(VTime t) { w_->advance_to(t); }
VTime Twin::now() const { return w_->now; }
int64_t Twin::epoch_s() const { return w_->opt.epoch_s; }
uint64_t Twin::seed() const { return w_->opt.seed; }
const std::string& Twin::hierarchy() const { return w_->hierarchy; }
const std::vector<TwinSite>& Twin::sites() const { return w_->sites; }
const std::vector<TwinHost>& Twin::hosts() const { return w_->hosts; }
const std::vector<TwinConsole>& Twin::consoles() const { return w_->consoles; }
const std::vector<Cohort>& Twin::cohorts() const { return w_->cohorts; }
uint64_t Twin::events_processed() const { return w_->events; }
uint64_t Twin::lines_written() const { return w_->lines; }
int Twin::find_site(std::string_view code) const { return w_->find_site(code); }

// ---- World: time and events

void World::schedule(VTime t, EventKind k, int site, int a, int gen) {
  Event e;
  e.time = t;
  e.kind = k;
  e.site = site;
  e.a = a;
  e.gen = gen;
  queue.push(e);
}

void World::advance_to(VTime t) {
  while (!queue.empty() && queue.top().time <= t) {
    Event e = queue.pop();
    now = std::max(now, e.time);
    ++events;
    dispatch(e);
  }
  now = std::max(now, t);
}

void World::dispatch(const Event& e) {
  switch (e.kind) {
    case EventKind::step_end: {
      auto& rec = steps[static_cast<size_t>(e.a)];
      rec.finished = true;
      if (rec.ok) finish_step(*this, rec);
      break;
    }
    case EventKind::line: {
      auto& l = pending[static_cast<size_t>(e.a)];
      write_line(l.path, l.component, e.time, l.message, l.thread);
      l = PendingLine{};  // free the text
      break;
    }
    case EventKind::milestone:
      on_milestone(*this, e);
      break;
    case EventKind::cohort_upgrade:
      on_cohort_upgrade(*this, e);
      break;
    case EventKind::client_cycle:
      on_client_cycle(*this, e);
      break;
    case EventKind::history:
      on_history(*this, e.site);
      break;
    case EventKind::activity:
      activity(e.site, e.time, "an Administrator console connection");
      break;
  }
}

double World::jitter(std::string_view id, int attempt) const {
  double u = unit_hash(opt.seed, id, static_cast<uint64_t>(attempt) + 1000);
  return 1.0 + opt.durations.jitter * (2 * u - 1);
}

// ---- lookups

int World::host_index(std::string_view host) const {
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (hosts[i].host == host) return static_cast<int>(i);
  }
  return -1;
}

int World::find_site(std::string_view code) const {
  for (size_t i = 0; i < sites.size(); ++i) {
    if (sites[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

std::vector<int> World::hosts_of(int site) const {
  std::vector<int> out;
  for (size_t i = 0; i < hosts.size(); ++i) {
    if (hosts[i].site == site) out.push_back(static_cast<int>(i));
  }
  return out;
}

bool World::has_backup(int site) const { return !sites[static_cast<size_t>(site)].backups.empty(); }

}  // namespace smsup::twin
