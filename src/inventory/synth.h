// Synthetic inventories of any size (`smsup twin inventory`), for benchmarks
// and tests: valid by construction, deterministic per seed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace smsup::inventory {

struct SynthOptions {
  int sites = 10;          // total sites, about a third of them primary
  int64_t clients = 1000;  // total clients
  uint64_t seed = 1;
  // false: a hierarchy with no blocker (plans and rehearses as is);
  // true: about one site in twenty carries a blocker of the checklist.
  bool messy = false;
  std::string name = "Synthetic";
};

struct SynthFiles {
  std::filesystem::path inventory;  // DIR/inventory.yaml
  std::filesystem::path clients;    // DIR/clients.csv
};

// Writes DIR/inventory.yaml and DIR/clients.csv (creating DIR).
SynthFiles write_synthetic(const SynthOptions& opts, const std::filesystem::path& dir);

// The same as text, for tests that load in memory.
std::string synthetic_yaml(const SynthOptions& opts, const std::string& clients_file);
std::string synthetic_csv(const SynthOptions& opts);

}  // namespace smsup::inventory
