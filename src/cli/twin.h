// `smsup twin inventory|db|make`: synthetic inventories, site databases, and
// the twin of an inventory in a folder.
#pragma once

#include <cstdint>
#include <string>

#include "cli/output.h"
#include "cli/verbs.h"
#include "inventory/synth.h"

namespace smsup::cli {

struct TwinInventoryOptions {
  inventory::SynthOptions synth;  // sites 1..46000, clients 0..50,000,000
  std::string out;                // -o DIR
};
int run_twin_inventory(const TwinInventoryOptions& o, Output& out);

struct TwinDbOptions {
  int64_t clients = 1000;         // 0..100,000,000
  std::string engine = "sqlite";  // sqlite | postgresql
  std::string out;                // -o FILE (sqlite)
  std::string db;                 // --db postgresql://... (postgresql)
  std::string site = "CEN";
  std::string format = "text";  // text | json
  uint64_t seed = 1;
  bool replication = false;
  int64_t site_data_mb = -1, site_log_mb = -1;  // a stand-in: both or neither
};
int run_twin_db(const TwinDbOptions& o, Output& out);

struct TwinMakeOptions {
  std::string inventory;        // INVENTORY
  std::string dir;              // --twin-dir (not with --views-only on PostgreSQL)
  std::string format = "text";  // text | json
  uint64_t seed = 1;
  bool views_only = false;
  std::string engine = "sqlite";  // sqlite | postgresql://USER@HOST:PORT[/DB]: where the SMS 2003 shape goes
};
int run_twin_make(const TwinMakeOptions& o, Output& out);

// The verbs of `smsup twin`, each in its own file (verb_twin_<name>.cpp).
void register_twin_inventory(CLI::App& twin, Status& status);
void register_twin_db(CLI::App& twin, Status& status);
void register_twin_make(CLI::App& twin, Status& status);

}  // namespace smsup::cli
