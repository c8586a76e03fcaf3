// Clients in the simulation: cohorts reaching SP2 by CCIM cycle or push, the
// naive per-client baseline, and the client steps of the plan.
#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "twin/campaign.h"
#include "twin/world.h"

namespace smsup::twin {
namespace {

int64_t push_rate(const World& w) { return std::max<int64_t>(1, static_cast<int64_t>(w.opt.durations.push_per_hour)); }

void add_batch(World& w, int32_t cohort, int64_t count, VTime t) {
  if (count <= 0) return;
  w.batches.push_back({cohort, count, t, false});
  w.cohorts[static_cast<size_t>(cohort)].scheduled += count;
  w.schedule(t, EventKind::cohort_upgrade, -1, static_cast<int>(w.batches.size() - 1));
}

int64_t pending(const Cohort& c) { return c.count - c.scheduled; }

}  // namespace

void World::index_cohorts() {
  site_cohorts.assign(sites.size(), {});
  for (size_t i = 0; i < cohorts.size(); ++i) {
    site_cohorts[static_cast<size_t>(cohorts[i].site)].push_back(static_cast<int32_t>(i));
  }
  if (!client_cohort.empty()) {
    cohort_clients.assign(cohorts.size(), {});
    for (size_t i = 0; i < client_cohort.size(); ++i) {
      cohort_clients[static_cast<size_t>(client_cohort[i])].push_back(static_cast<int32_t>(i));
    }
    client_done.resize(client_cohort.size(), 0);
  }
}

void start_ccim(World& w, int site, VTime ready) {
  TwinSite& s = w.sites[static_cast<size_t>(site)];
  if (s.ccim_ready_at != kNever) return;
  s.ccim_ready_at = ready;
  if (w.opt.naive_clients) return;  // each client's own cycle events find out
  for (int32_t ci : w.site_cohorts[static_cast<size_t>(site)]) {
    Cohort& c = w.cohorts[static_cast<size_t>(ci)];
    if (c.fate != ClientFate::ccim || pending(c) == 0) continue;
    add_batch(w, ci, pending(c), next_cycle(ready, c.phase_h, c.cycle_h));
  }
}

VTime push_clients(World& w, int site, ClientFate fate, VTime t, int64_t* pushed) {
  const int64_t r = push_rate(w);
  int64_t pos = 0;
  VTime last = t;
  for (int32_t ci : w.site_cohorts[static_cast<size_t>(site)]) {
    Cohort& c = w.cohorts[static_cast<size_t>(ci)];
    if (c.fate != fate || c.cut_off || c.push_blocked || pending(c) == 0) continue;
    int64_t n = pending(c);
    if (w.opt.naive_clients) {
      for (int32_t client : w.cohort_clients[static_cast<size_t>(ci)]) {
        (void)client;
        int64_t hour = pos / r + 1;
        add_batch(w, ci, 1, t + hour * kHour);
        ++pos;
      }
    } else {
      // Clients at positions [pos, pos+n) finish in hour ceil((p+1)/r).
      for (int64_t hour = pos / r + 1; (hour - 1) * r < pos + n; ++hour) {
        int64_t lo = std::max(pos, (hour - 1) * r);
        int64_t hi = std::min(pos + n, hour * r);
        add_batch(w, ci, hi - lo, t + hour * kHour);
      }
      pos += n;
    }
    last = std::max(last, t + ((pos - 1) / r + 1) * kHour);
  }
  if (pushed) *pushed = pos;
  return last;
}

void on_cohort_upgrade(World& w, const Event& e) {
  Batch& b = w.batches[static_cast<size_t>(e.a)];
  if (b.applied) return;
  b.applied = true;
  w.cohorts[static_cast<size_t>(b.cohort)].upgraded += b.count;
}

// Naive mode: one event per client per CCIM cycle (Legacy Clients) or per
// heartbeat (Advanced Clients), and per inventory report (gen 1) of the
// Advanced Clients whose reports are rejected, each rescheduling the next.
void on_client_cycle(World& w, const Event& e) {
  auto client = static_cast<size_t>(e.a);
  if (e.gen == kInventoryReport) {
    auto day = static_cast<size_t>(e.time / kDay);
    if (day < w.naive_rejected_inventory.size()) w.naive_rejected_inventory[day] += 1;
    VTime next = e.time + inventory_interval(w.opt.durations);
    if (next <= w.opt.horizon) w.schedule(next, EventKind::client_cycle, -1, e.a, kInventoryReport);
    return;
  }
  int32_t ci = w.client_cohort[client];
  Cohort& c = w.cohorts[static_cast<size_t>(ci)];
  VTime next;
  if (c.fate == ClientFate::ccim) {
    const TwinSite& s = w.sites[static_cast<size_t>(c.site)];
    if (!w.client_done[client] && s.ccim_ready_at != kNever && s.ccim_ready_at < e.time) {
      w.client_done[client] = 1;
      w.batches.push_back({ci, 1, e.time, true});
      c.scheduled += 1;
      c.upgraded += 1;
    }
    next = e.time + c.cycle_h * kHour;
  } else {
    if (c.rejected) {
      auto day = static_cast<size_t>(e.time / kDay);
      if (day < w.naive_rejected.size()) w.naive_rejected[day] += 1;
    }
    next = e.time + static_cast<VTime>(static_cast<double>(kDay) / std::max(0.01, w.opt.durations.heartbeats_per_day));
  }
  if (next <= w.opt.horizon) w.schedule(next, EventKind::client_cycle, -1, e.a);
}

Decision begin_client_step(World& w, StepRun& rec, plan::Kind k) {
  using plan::Kind;
  const auto& d = w.opt.durations;
  if (k == Kind::readiness)
    return {true, "no blocker remains (as checked when the plan was made)", minutes(d.readiness)};
  if (k == Kind::itmu) {
    for (const auto& s : w.sites) {
      if (s.version != SmsLevel::sp2 || !s.verified) {
        return {
            false,
            fmt::format("site {} is not a verified SMS 2003 SP2 site: install the ITMU only after every site", s.code),
            kMinute};
      }
    }
    return {true, "Inventory Tool for Microsoft Updates installed (SMSITMU.msi)", minutes(d.itmu)};
  }
  TwinSite& s = w.sites[static_cast<size_t>(rec.site)];
  std::map<ClientFate, int64_t> by_fate;
  for (int32_t ci : w.site_cohorts[static_cast<size_t>(rec.site)]) {
    const Cohort& c = w.cohorts[static_cast<size_t>(ci)];
    by_fate[c.fate] += c.count - c.upgraded;
  }
  if (k == Kind::legacy_to_advanced) {
    int64_t n = 0;
    VTime end = push_clients(w, rec.site, ClientFate::to_advanced, rec.start + minutes(d.legacy_to_advanced_base), &n);
    std::string msg = fmt::format("{} Legacy Client(s) on NT5 moved to the SP2 Advanced Client", n);
    if (by_fate[ClientFate::nt5_old_sp] > 0) {
      msg += fmt::format("; {} on W2000 below SP4 or XP without SP cannot be moved", by_fate[ClientFate::nt5_old_sp]);
    }
    return {true, msg, std::max(end - rec.start, minutes(d.legacy_to_advanced_base))};
  }
  bool sp2 = s.version == SmsLevel::sp2 && (s.state == SiteState::upgraded || s.state == SiteState::settling);
  // "SMS 2003 SP2 Advanced Clients will communicate successfully with an SMS
  // 2003 site": a push may come before the site's upgrade, to a running SMS
  // 2003 (RTM or SP1) site. Legacy Clients still wait for an SP2 site's CCIM files.
  bool sms2003 = (s.version == SmsLevel::rtm || s.version == SmsLevel::sp1) && s.state == SiteState::running;
  if (k == Kind::advanced_push && !sp2 && !sms2003) {
    return {false,
            fmt::format("site {} is neither SMS 2003 SP2 nor a running SMS 2003 site (version {}, {}): "
                        "the SP2 Advanced Client cannot be pushed to its clients now",
                        s.code, to_string(s.version), to_string(s.state)),
            kMinute};
  }
  if (!sp2 && k != Kind::advanced_push) {
    return {false,
            fmt::format("site {} is not SMS 2003 SP2 (version {}, {}): its clients cannot take SP2 yet", s.code,
                        to_string(s.version), to_string(s.state)),
            kMinute};
  }
  if (k == Kind::advanced_push) {
    w.activity(rec.site, rec.start, "a configuration change (Client Push Installation)");
    int64_t n = 0;
    VTime end = push_clients(w, rec.site, ClientFate::push, rec.start, &n);
    int64_t cut = 0, blocked = 0;
    for (int32_t ci : w.site_cohorts[static_cast<size_t>(rec.site)]) {
      const Cohort& c = w.cohorts[static_cast<size_t>(ci)];
      if (c.fate == ClientFate::push && c.cut_off) cut += c.count - c.upgraded;
      if (c.fate == ClientFate::push && !c.cut_off && c.push_blocked) blocked += c.count - c.upgraded;
    }
    std::string msg = fmt::format("Client Push (Always install) to {} Advanced Client(s)", n);
    if (by_fate[ClientFate::advanced_os] > 0)
      msg += fmt::format("; {} on an OS below W2000 SP4 / XP SP1 cannot take the SP2 client",
                         by_fate[ClientFate::advanced_os]);
    if (cut > 0) msg += fmt::format("; {} cut off (HTTP port) not reached", cut);
    if (blocked > 0) {
      msg += fmt::format("; {} on Windows Server 2003 SP1 failed: Windows Firewall without File and Printer Sharing",
                         blocked);
      w.site_log(rec.site, "ccm.log", "SMS_CLIENT_CONFIG_MANAGER", rec.start,
                 fmt::format("~Failed to connect to {} client(s) on Windows Server 2003 SP1 (ADMIN$ unreachable): "
                             "Windows Firewall blocks File and Printer Sharing. Client Push Installation failed.",
                             blocked));
    }
    return {true, msg, std::max(end - rec.start, 10 * kMinute)};
  }
  // legacy-autoupgrade: lasts until they report SP2 or one cycle has passed.
  VTime ready = s.ccim_ready_at == kNever ? rec.start : s.ccim_ready_at;
  VTime last = rec.start;
  int64_t n = 0;
  int cycle_h = 25;
  for (int32_t ci : w.site_cohorts[static_cast<size_t>(rec.site)]) {
    const Cohort& c = w.cohorts[static_cast<size_t>(ci)];
    if (c.fate != ClientFate::ccim) continue;
    n += c.count;
    last = std::max(last, next_cycle(ready, c.phase_h, c.cycle_h));
  }
  VTime end = std::min(last, rec.start + cycle_h * kHour);
  std::string msg = fmt::format("{} Legacy Client(s) upgrade at their CCIM cycle (25 h; 23 h for SMS 2.0)", n);
  int64_t never = by_fate[ClientFate::autoupgrade_off] + by_fate[ClientFate::legacy_platform] +
                  by_fate[ClientFate::to_advanced] + by_fate[ClientFate::nt5_old_sp];
  if (never > 0) msg += fmt::format("; {} will not (autoupgrade disabled, NT5, or platform)", never);
  return {true, msg, std::max<VTime>(end - rec.start, kMinute)};
}

std::vector<ClientDay> Twin::clients_by_day(int days) const {
  const World& w = *w_;
  std::array<int64_t, 4> counts{};
  for (const auto& c : w.cohorts) counts[static_cast<size_t>(c.version)] += c.count;
  std::vector<const Batch*> applied;
  for (const auto& b : w.batches) {
    if (b.applied) applied.push_back(&b);
  }
  std::sort(applied.begin(), applied.end(), [](const Batch* a, const Batch* b) { return a->time < b->time; });
  int64_t rejected_per_day = 0;
  for (const auto& c : w.cohorts) {
    if (c.rejected) rejected_per_day += c.count;
  }
  std::vector<ClientDay> out;
  size_t bi = 0;
  for (int d = 1; d <= days; ++d) {
    VTime end = d * kDay;
    for (; bi < applied.size() && applied[bi]->time < end; ++bi) {
      const Cohort& c = w.cohorts[static_cast<size_t>(applied[bi]->cohort)];
      counts[static_cast<size_t>(c.version)] -= applied[bi]->count;
      counts[static_cast<size_t>(SmsLevel::sp2)] += applied[bi]->count;
    }
    ClientDay cd;
    cd.day = d;
    cd.by_version = counts;
    if (w.opt.naive_clients) {
      auto i = static_cast<size_t>(d - 1);
      cd.rejected_heartbeats = i < w.naive_rejected.size() ? w.naive_rejected[i] : 0;
      cd.rejected_inventory = i < w.naive_rejected_inventory.size() ? w.naive_rejected_inventory[i] : 0;
    } else {
      cd.rejected_heartbeats =
          static_cast<int64_t>(static_cast<double>(rejected_per_day) * w.opt.durations.heartbeats_per_day);
      cd.rejected_inventory =
          static_cast<int64_t>(static_cast<double>(rejected_per_day) * inventory_per_day(w.opt.durations));
    }
    out.push_back(cd);
  }
  return out;
}

}  // namespace smsup::twin
