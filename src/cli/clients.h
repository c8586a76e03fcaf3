// `smsup clients INVENTORY`: the client campaign.
#pragma once

#include <cstdint>
#include <string>

#include "cli/output.h"

namespace smsup::cli {

struct ClientsOptions {
  std::string inventory;        // INVENTORY
  int days = 7;                 // 1..3650
  std::string format = "text";  // text | json | csv
  std::string push_csv;         // folder for the per-site collections
  uint64_t seed = 1;
};
// 0 every client can reach SP2, 1 some cannot.
int run_clients(const ClientsOptions& o, Output& out);

}  // namespace smsup::cli
