// `smsup journal copy FROM TO`: a campaign's journal moved between SQLite and
// PostgreSQL (src/run/journal_copy.h).
#pragma once

#include <string>

#include "cli/output.h"

namespace smsup::cli {

struct JournalCopyOptions {
  std::string from;  // FROM: an SQLite file or a PostgreSQL campaign
  std::string to;    // TO: a new or empty one
};
// 0 copied (bad input throws).
int run_journal_copy(const JournalCopyOptions& o, Output& out);

}  // namespace smsup::cli
