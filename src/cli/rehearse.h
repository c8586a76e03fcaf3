// `smsup rehearse PLAN`: the plan run on a fresh twin, in virtual time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/output.h"

namespace smsup::cli {

struct RehearseOptions {
  std::string plan;       // PLAN
  std::string inventory;  // default: the one the plan names
  uint64_t seed = 1;
  std::string faults;               // KIND[@SITE]=fail|hang|activity|CHANCE,...
  std::string twin_dir;             // keep logs, databases and state here
  std::string format = "text";      // text | json
  std::string durations;            // JSON file
  int days = 30;                    // 1..3650
  std::optional<int> max_parallel;  // default: the plan's; 1..10000
  bool recover = false;
  bool force = false;
  bool stats = false;
  bool naive_clients = false;
  bool no_databases = false;
};
// 0 fully upgraded with nothing lost, 1 otherwise.
int run_rehearse(const RehearseOptions& o, Output& out);

}  // namespace smsup::cli
