// How a run leaves the twin, beyond each step's outcome: sites not at SP2,
// files setup deleted, problems left open on site systems, upgrades begun on
// a stale backup. `smsup rehearse` and `smsup apply --target twin` both judge
// a run by it, so that the same plan and seed get one verdict from either.
#pragma once

#include <string>
#include <vector>

#include "twin/twin.h"

namespace smsup::twin {

struct EndState {
  std::vector<std::string> not_upgraded;    // "PR1 is SMS 2003 SP1, running", "console on X is SP1"
  std::vector<std::string> lost_files;      // "PR1: C:\SMS\scripts\inv.vbs"
  std::vector<std::string> restored_files;  // lost, then restored from a backup: "PR1: C:\SMS\scripts\inv.vbs"
  std::vector<std::string> open_problems;   // "PR1-MP: management point setup failed with 1603 ..."
  // Warnings, not failures: the upgrade began on a backup older than
  // kBackupMaxAgeDays (a restore would lose what changed since).
  std::vector<std::string> stale_backups;  // "PR1: the last backup was 9.2 days old when its upgrade began"

  bool fully_upgraded() const { return not_upgraded.empty(); }
  bool nothing_lost() const { return lost_files.empty(); }
  // Fully upgraded, nothing lost, no problem left open.
  bool ok() const { return fully_upgraded() && nothing_lost() && open_problems.empty(); }
};

EndState end_state(const Twin& twin);

// What each HostProblem bit of `problems` means, in words.
std::vector<std::string> describe_problems(uint32_t problems);

}  // namespace smsup::twin
