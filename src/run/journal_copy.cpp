#include "run/journal_copy.h"

#include <fmt/format.h>

#include "run/journal.h"
#include "util/error.h"

namespace smsup::run {

JournalCopied copy_journal(const JournalCopyOptions& o) {
  Journal from(o.from, false);
  if (!from.has_plan()) {
    throw InputError({from.shown(), 0, 0}, "FROM", "this journal holds no run yet: nothing to copy");
  }
  if (auto h = from.holder(); h && !(h->lease > 0 && h->age > h->lease)) {
    throw InputError({from.shown(), 0, 0}, "FROM",
                     fmt::format("apply is running on it (pid {} on host {}); copy it once that run has "
                                 "stopped",
                                 h->pid, h->host));
  }
  if (store::parse_spec(o.to).shown == from.shown()) {
    throw InputError({o.to, 0, 0}, "TO", "the same journal as FROM");
  }
  Journal to(o.to, true);
  if (to.has_plan() || !to.steps().empty()) {
    throw InputError(
        {to.shown(), 0, 0}, "TO",
        fmt::format("already holds a journal (plan {}); copy into a new file or campaign", to.meta("plan_path")));
  }
  return from.copy_into(to);
}

}  // namespace smsup::run
