// The twin: a discrete-event simulation of an SMS 2003 hierarchy being
// upgraded to SP2 (shared/spec/twin.md). It does no I/O of its own: log lines
// go to a LogSink, state is saved through save()/load() at the edge.
//
// Driving it (the `apply` executor and `rehearse` both do):
//   auto twin = Twin::from(hierarchy, seed, faults);
//   twin.set_log_sink(&sink);                 // optional
//   StepResult r = twin.run_step(step);       // one plan step, in virtual time
//   twin.save(path); ... Twin::load(path);    // survive a crash of the driver
//   twin.step_done("CEN/upgrade");            // did that work happen?
//
// Virtual time: a step starts at max(now, end of the steps in its `after` that
// the twin ran) and its outcome is decided then, from the state at that
// instant; its effects land at its end. run_step() also moves the clock to the
// end (a driver that runs one step at a time); begin_step() leaves it at the
// start, so that a scheduler can overlap independent steps (rehearse).
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/hierarchy.h"
#include "plan/plan.h"
#include "twin/durations.h"
#include "twin/faults.h"
#include "twin/log_sink.h"
#include "twin/state.h"
#include "twin/vtime.h"

namespace smsup::twin {

struct TwinOptions {
  uint64_t seed = 1;
  Faults faults;
  Durations durations;
  int64_t epoch_s = 1150099200;  // 2006-06-12 08:00:00 UTC: the example's reference date
  // The benchmark's honest baseline: one event per client per CCIM cycle and
  // per heartbeat, instead of cohorts. Needs `horizon` (how far clients run).
  bool naive_clients = false;
  VTime horizon = 30 * kDay;
};

struct StepResult {
  std::string id;
  bool ok = false;
  bool hung = false;  // never finished; given up after the hang timeout
  std::string message;
  VTime start = 0;
  VTime end = 0;
  int attempt = 1;
};

// Clients by version at the end of each day of the campaign.
struct ClientDay {
  int day = 0;                          // 1 = first 24 h of virtual time
  std::array<int64_t, 4> by_version{};  // sms20, rtm, sp1, sp2 (indexed by SmsLevel)
  int64_t rejected_heartbeats = 0;      // during that day
  int64_t rejected_inventory = 0;       // hardware and software inventory reports rejected that day
};

struct World;
class SiteDatabases;

class Twin {
 public:
  static Twin from(const Hierarchy& h, uint64_t seed, const Faults& faults);
  static Twin from(const Hierarchy& h, const TwinOptions& opts);
  Twin(Twin&&) noexcept;
  Twin& operator=(Twin&&) noexcept;
  ~Twin();

  // Not owned; nullptr (the default) drops the lines but still counts them.
  void set_log_sink(LogSink* sink);

  // Gives every primary site its own site database (site_databases.h), made
  // now where it does not exist yet (by the store, which may make several at
  // once; `progress(done, total)` after each), and takes the upgrade's growth
  // from it unless the inventory has a measured one. Not owned. Without it,
  // the model's estimate is the growth. Attach again after load(): databases
  // made before are kept.
  void attach_databases(SiteDatabases* dbs, const std::function<void(size_t, size_t)>& progress = {});

  StepResult run_step(const plan::Step& step);
  StepResult begin_step(const plan::Step& step, VTime not_before = 0);
  // True when the step ran on this twin and its last attempt succeeded and ended.
  bool step_done(std::string_view id) const;
  const StepRun* step_record(std::string_view id) const;  // last attempt, or nullptr
  const std::vector<StepRun>& steps() const;

  // Processes every event up to t and moves the clock there (never back).
  void advance_to(VTime t);

  // Operator actions outside the plan. Each returns what happened, in words;
  // the bool says whether the system accepted it.
  bool connect_console(std::string_view console_host, std::string_view site, std::string& what);
  // A query run from that console (statview.exe): it connects first.
  bool run_query(std::string_view console_host, std::string_view site, std::string& what);
  bool site_reset(std::string_view site, std::string& what);
  bool change_http_port(std::string_view site, int port, std::string& what);
  bool restore_backup(std::string_view site, std::string& what);
  // Copies the files setup deleted from the site's SMS folder tree back from
  // the newest backup that holds them (Backup SMS Site Server copies the
  // tree), at `at` (now when earlier); false when none was lost or no
  // backup holds them.
  bool restore_lost_files(std::string_view site, VTime at, std::string& what);
  // "Update Configuration" on the clients (or a restart of the SMS Client
  // Service): Legacy Clients of an SP2 site that would upgrade at their next
  // CCIM cycle upgrade now.
  bool force_legacy_update(std::string_view site, std::string& what);

  // For the report.
  VTime now() const;
  int64_t epoch_s() const;
  uint64_t seed() const;
  const std::string& hierarchy() const;
  const std::vector<TwinSite>& sites() const;
  const std::vector<TwinHost>& hosts() const;
  const std::vector<TwinConsole>& consoles() const;
  const std::vector<Cohort>& cohorts() const;
  std::vector<ClientDay> clients_by_day(int days) const;
  uint64_t events_processed() const;
  uint64_t lines_written() const;
  int find_site(std::string_view code) const;

  // The whole state (sites, hosts, clients, pending events, step records) as
  // JSON, and back. load() throws InputError on a file that is not a twin.
  nlohmann::json to_json() const;
  static Twin from_json(const nlohmann::json& j, const std::string& file);
  void save(const std::string& path) const;  // atomic: write, fsync, rename
  static Twin load(const std::string& path);

 private:
  explicit Twin(std::unique_ptr<World> w);
  std::unique_ptr<World> w_;
};

}  // namespace smsup::twin
