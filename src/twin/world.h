// Inside the twin: the whole state and the helpers its handlers share.
// Not part of the API (twin.h is).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "plan/step_kinds.h"
#include "twin/events.h"
#include "twin/site_databases.h"
#include "twin/twin.h"

namespace smsup::twin {

// A log line that is due later; written when the clock reaches it, so every
// file stays in time order.
struct PendingLine {
  int32_t site = -1;
  std::string path;
  std::string component;
  std::string message;
  int thread = 0;
};

struct World {
  TwinOptions opt;
  std::string hierarchy;
  std::vector<TwinSite> sites;
  std::vector<TwinHost> hosts;
  std::vector<TwinConsole> consoles;
  std::vector<Cohort> cohorts;
  std::vector<Batch> batches;
  std::vector<StepRun> steps;
  std::unordered_map<std::string, int> last_attempt;  // step id -> index in steps
  std::vector<PendingLine> pending;
  // Derived (rebuilt on load): each site's cohorts.
  std::vector<std::vector<int32_t>> site_cohorts;
  void index_cohorts();
  // Naive mode only: each client's cohort, whether it reached SP2, and each
  // cohort's clients (for pushes, in order).
  std::vector<int32_t> client_cohort;
  std::vector<uint8_t> client_done;
  std::vector<std::vector<int32_t>> cohort_clients;
  std::vector<int64_t> naive_rejected;            // per day
  std::vector<int64_t> naive_rejected_inventory;  // per day
  EventQueue queue;
  VTime now = 0;
  uint64_t events = 0;
  uint64_t lines = 0;
  LogSink* sink = nullptr;
  SiteDatabases* dbs = nullptr;  // the sites' own databases; none: the model's figures

  // -- time and events
  void schedule(VTime t, EventKind k, int site = -1, int a = 0, int gen = 0);
  void advance_to(VTime t);
  void dispatch(const Event& e);
  // A jitter factor in [1-j, 1+j] for a step attempt.
  double jitter(std::string_view id, int attempt) const;

  // -- logs
  void write_line(std::string_view path, std::string_view component, VTime t, std::string_view msg, int thread);
  void site_log(int site, std::string_view log, std::string_view component, VTime t, std::string_view msg);
  void host_log(int host, std::string_view log, std::string_view component, VTime t, std::string_view msg);
  void setup_log(int site, VTime t, std::string_view msg, std::string_view host = {});
  // The same, but due at t > now: queued as a PendingLine.
  void later_site_log(int site, std::string_view log, std::string_view component, VTime t, std::string_view msg);
  void later_setup_log(int site, VTime t, std::string_view msg, std::string_view host = {});
  void background(int site, VTime t, uint64_t salt);

  // -- lookups
  int host_index(std::string_view host) const;
  int find_site(std::string_view code) const;
  std::vector<int> hosts_of(int site) const;

  // -- behaviour shared by steps and operator actions
  // Activity on a site (console, reset, configuration change). Restarts the
  // component reinstallation when it falls in the settle window.
  void activity(int site, VTime t, std::string_view what);
  void schedule_reinstall(int site, VTime from);
  // Sets each host's problems from its state; writes the line the real
  // system writes for each that appears or goes (not when write_logs is
  // false: at the start, where on_history writes the open ones once a sink
  // can hear them).
  void refresh_host_problems(int site, VTime t, bool write_logs = true);
  // The log line a host's open problem shows in, at t.
  void log_problem(int host, HostProblem p, VTime t);
  bool has_backup(int site) const;
  bool restore(int site, VTime t, std::string& what);
};

// A loaded state the handlers cannot run on (state_check.cpp): an index out
// of range, an enumeration value that does not exist, a time or count out of
// range, an event whose target is missing. `field` is the JSON path of the
// value in the saved twin ("cohorts[3][0]"), `what` the problem.
struct StateDamage {
  std::string field;
  std::string what;
};
void check_state(const World& w);  // throws StateDamage

// Step handlers (steps_*.cpp). begin decides the outcome at the start (and
// sets rec.ok, rec.message, rec.end); finish applies what lands at the end.
struct Decision {
  bool ok = true;
  std::string message;
  VTime duration = 0;
};
// Which one carries out a kind is the kind table's `twin` column
// (plan/step_kinds.h); each is handed only the kinds of its part.
Decision begin_site_step(World& w, StepRun& rec, plan::Kind k);
Decision begin_upgrade_step(World& w, StepRun& rec, plan::Kind k);
Decision begin_host_step(World& w, StepRun& rec, plan::Kind k);
Decision begin_client_step(World& w, StepRun& rec, plan::Kind k);
// Only for a step that began: its kind is in the table.
void finish_step(World& w, StepRun& rec);
void finish_host_step(World& w, StepRun& rec, plan::Kind k);

// Milestone and client events (world_site.cpp, clients_sim.cpp).
void on_milestone(World& w, const Event& e);
void on_cohort_upgrade(World& w, const Event& e);
void on_client_cycle(World& w, const Event& e);
// Naive mode: a client_cycle event with this gen is an inventory report.
inline constexpr int kInventoryReport = 1;
// Hardware and software inventory reports per Advanced Client per day, and
// the time between two of them.
inline double inventory_per_day(const Durations& d) {
  return d.hardware_inventory_per_day + d.software_inventory_per_day;
}
inline VTime inventory_interval(const Durations& d) {
  return static_cast<VTime>(static_cast<double>(kDay) / std::max(0.01, inventory_per_day(d)));
}
void on_history(World& w, int site);
void start_ccim(World& w, int site, VTime ready);  // the site's clients can take SP2 from `ready`
// Pushes a site's clients of `fate` from t at the push rate; returns when the last one is done.
VTime push_clients(World& w, int site, ClientFate fate, VTime t, int64_t* pushed);

}  // namespace smsup::twin
