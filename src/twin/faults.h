// Injected faults (`--faults`): "upgrade@PR1=fail,verify@SEC2=hang,upgrade=0.05".
// A fault names a step kind, optionally a site, and what happens:
//   fail      the first attempt of the step fails (a retry can succeed)
//   hang      the first attempt never finishes; it times out
//   activity  someone opens a console on the site during the step
//   0.05      each attempt fails with this chance (deterministic per seed)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smsup::twin {

enum class FaultEffect { fail, hang, activity, chance };

struct Fault {
  std::string kind;  // step kind
  std::string site;  // empty: every site
  FaultEffect effect = FaultEffect::fail;
  double chance = 0;
  std::string text;  // as written, for messages
};

struct Faults {
  std::vector<Fault> list;
  bool empty() const { return list.empty(); }
};

// Throws InputError naming the bad part (field "--faults").
Faults parse_faults(std::string_view spec);
std::string to_string(const Faults& f);

// What the faults say for attempt `attempt` (1-based) of step `step_id` of
// `kind` at `site`: the first matching fault wins, a chance fault draws from
// a hash of (seed, step id, attempt) so the outcome does not depend on order.
std::optional<FaultEffect> fault_for(const Faults& f, std::string_view kind, std::string_view site,
                                     std::string_view step_id, int attempt, uint64_t seed);

// A deterministic number in [0, 1) from a seed and a text.
double unit_hash(uint64_t seed, std::string_view text, uint64_t salt = 0);
uint64_t hash64(uint64_t seed, std::string_view text, uint64_t salt = 0);

}  // namespace smsup::twin
