// The upgrade plan (shared/spec/plan.md): a DAG of steps. Plain data; the
// planner (planner.h) builds it, plan_io reads and writes the file,
// schedule.h lays it out in time, render.h shows it.
#pragma once

#include <nlohmann/json.hpp>

#include "plan/estimates.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace smsup::plan {

struct Step {
  std::string id;                  // "<scope>/<kind>[/<object>]"
  std::string kind;                // a name of the kind table (step_kinds.h)
  std::string site;                // site code, or "*" for hierarchy-wide steps
  std::string host;                // where it runs, empty if nowhere in particular
  std::vector<std::string> after;  // ids it waits for
  bool manual = false;
  nlohmann::json params = nlohmann::json::object();
  double estimate_min = 0;
  std::vector<std::string> why;  // rule ids behind it
  std::string title;
};

// Ranges of the numbers a plan holds, checked on load (and by the options that set them).
inline constexpr int kMaxParallelLimit = 10000;      // lanes of site upgrades at once
inline constexpr double kMaxEstimateMin = 525600.0;  // one step: at most a year, in minutes

struct Options {
  std::string method;  // default method for primaries
  bool with_os_sp1 = false;
  // Push the SP2 Advanced Client before each site's upgrade (order rule 5):
  // "You can upgrade your SMS sites first, or you can upgrade your SMS clients first".
  bool clients_first = false;
  // The sites whose dbtest runs on their own SQL Server (--dbtest-same-server):
  // site codes, or "all" for every primary site. Empty: every dbtest on a copy.
  std::vector<std::string> dbtest_same_server;
  int max_parallel = 4;
  std::vector<std::string> waived;
  std::string as_of;                            // YYYY-MM-DD
  Estimates estimates = Estimates::defaults();  // not written to the file
};

struct Plan {
  std::string format = "smsup-plan/1";
  std::string hierarchy;
  std::string inventory;  // path of the inventory it was made from
  std::string inventory_sha256;
  std::string created;  // ISO 8601 UTC
  Options options;
  std::vector<Step> steps;  // in a valid topological order

  const Step* find(std::string_view id) const;
};

// True when `s` waits for `pred` only for a place among the --max-parallel
// upgrade lanes (params.lane_after): the edge orders, it does not depend, so
// an executor may go on once `pred` has ended, failed or been skipped.
bool is_lane_edge(const Step& s, std::string_view pred);

// A dbtest step's params.mode (docs/plan.md): on a restored copy on another
// SQL Server (also a plan written before the mode was), or on the site's own
// SQL Server with the original detached meanwhile ("Or detach the db if
// testing on the same server and then create the db and restore").
inline constexpr const char* kDbtestCopy = "copy";
inline constexpr const char* kDbtestSameServer = "same-server";
// Options::dbtest_same_server names `site` (or all).
bool same_server_dbtest(const Options& o, std::string_view site);
// A dbtest step whose mode is same-server.
bool same_server_dbtest(const Step& s);
// MB a same-server dbtest lacks on its server (params.room_mb beyond
// params.free_disk_mb); 0 when it has the room or is not one.
int64_t same_server_short_mb(const Step& s);
// The sub-steps of a same-server dbtest in their order (params.sequence):
// stop-services, backup, detach, create, restore, test, drop, reattach, start-services.
std::vector<std::string> same_server_sequence();

nlohmann::json to_json(const Plan& p);
// Refuses (InputError, naming `file` and the field) a malformed or foreign plan.
Plan from_json(const nlohmann::json& j, const std::string& file);

Plan load(const std::string& path);  // InputError on any problem

// A step's params that its runner cannot read: not an object, or a param
// the runner reads as a type (on_original, fix, ...) given as another. The
// key ("" for params itself) and the problem, e.g. "wrong type (string);
// expected true or false"; nullopt when they can be read.
struct ParamsProblem {
  std::string key;
  std::string problem;
};
std::optional<ParamsProblem> params_problem(const nlohmann::json& params);
void save(const Plan& p, const std::string& path);

}  // namespace smsup::plan
