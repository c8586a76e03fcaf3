// `smsup journal copy FROM TO`: a campaign's journal moved between engines
// (SQLite <-> PostgreSQL, or within one), e.g. a rehearsal run on a laptop
// published to the team's database. Copies the plan, every step with its
// state and facts, the graph and every event (who and where included); not
// the lease. Refuses a target that holds a journal with a plan, and a source
// an apply holds (a copy of a live run would be stale at once).
#pragma once

#include <string>

#include "run/journal.h"

namespace smsup::run {

struct JournalCopyOptions {
  std::string from, to;
};

using JournalCopied = Journal::Copied;

JournalCopied copy_journal(const JournalCopyOptions& o);

}  // namespace smsup::run
