// Inside the planner: the plan under construction and the per-site facts the
// step emitters share. Not part of the module's interface.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "model/hierarchy.h"
#include "plan/planner.h"
#include "plan/step_kinds.h"

namespace smsup::plan::detail {

// What the clients of one site ask of the plan.
struct ClientTally {
  int64_t total = 0;
  int64_t held = 0;                             // clients of this site and of every site below it
  std::vector<std::string> legacy_nt5;          // Legacy Clients on NT5 (to Advanced Client)
  bool legacy_nt5_sms20 = false;                // some of them are SMS 2.0 clients
  int64_t legacy_auto = 0;                      // Legacy Clients that will upgrade at their CCIM cycle
  bool legacy_sms2003 = false;                  // some of those run SMS 2003 (25 h cycle)
  std::vector<std::string> legacy_disabled;     // cliupgrade /disable: will not upgrade by themselves
  std::vector<std::string> legacy_old_ie;       // Windows 98 with IE below 5.5 or unknown: will not either
  std::vector<std::string> legacy_unsupported;  // Windows 95/Me, NT 4.0 below SP6: will not either
  std::vector<std::string> push;                // Advanced Clients below SP2 that can take it
  std::vector<std::string> cannot;              // Advanced Clients whose OS cannot take it
};
std::vector<ClientTally> tally_clients(const Hierarchy& h);

struct SitePlan {
  bool planned = false;              // below SP2: it gets steps
  int nearest = -1;                  // nearest planned ancestor (-1: none)
  int wave = 0;                      // planned ancestors above it
  std::vector<std::string> os_sp1;   // its hosts' os-sp1 steps
  std::vector<std::string> os_work;  // all its OS work: os-sp1 and the fixes after it
  std::string upgrade;               // its upgrade step
  std::string verify;                // its verify step
};

struct Builder {
  const Hierarchy& h;
  const Options& opts;
  Method default_method = Method::interactive;
  std::vector<Step> steps;
  std::unordered_map<std::string, size_t> index;
  std::vector<SitePlan> sites;
  std::vector<ClientTally> clients;
  std::vector<int64_t> clients_held;  // per site: clients whose inventory its database holds

  // Adds a step with its estimate for `work`, manual as the kind table says
  // (an upgrade's caller decides by its method); returns its id.
  std::string add(const std::string& scope, Kind kind, const std::string& object, std::string host, std::string title,
                  const Workload& work);
  Step& at(const std::string& id) { return steps[index.at(id)]; }
  bool has(const std::string& id) const { return index.contains(id); }
  // `step` waits for `dep` (ignored when dep is empty; no duplicates).
  void wait(const std::string& step, const std::string& dep);
  void wait_all(const std::string& step, const std::vector<std::string>& deps);
  Workload work_of(int site) const;
};

// Emitters, one file each.
void add_os_track(Builder& b, int site);                   // planner_os.cpp
void add_site_steps(Builder& b, int site);                 // planner_site.cpp
std::string add_legacy_to_advanced(Builder& b, int site);  // planner_clients.cpp
void add_after_verify_client_steps(Builder& b, int site);  // planner_clients.cpp
void attach_why(Builder& b, const rules::Report& report);  // planner_why.cpp
// Rule 8: at most `lanes` upgrade steps at once, for any executor, by chaining
// every upgrade after the previous one in its lane (planner_lanes.cpp).
void chain_upgrades(std::vector<Step>& steps, int lanes);

}  // namespace smsup::plan::detail
