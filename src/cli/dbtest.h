// `smsup dbtest --db DB`: the database upgrade test on a copy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/output.h"

namespace smsup::cli {

struct DbtestOptions {
  std::string db;                       // sqlite:PATH or postgresql://HOST[:PORT]/DB
  std::string migration;                // SQL file; empty: the SP2 migration shipped
  std::string format = "text";          // text | json
  std::optional<int64_t> free_disk_mb;  // >= 0
  bool keep_copy = false;
  bool full_check = false;
};
// 0 passed (and fits), 1 failed or does not fit.
int run_dbtest(const DbtestOptions& o, Output& out);

}  // namespace smsup::cli
