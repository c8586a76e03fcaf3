// `smsup journal copy FROM TO`: move a campaign's journal between SQLite and
// PostgreSQL (src/run/journal_copy.h).
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/add_verb.h"
#include "cli/journal.h"
#include "run/journal_copy.h"
#include "run/store.h"

namespace smsup::cli {

int run_journal_copy(const JournalCopyOptions& o, Output& out) {
  auto c = run::copy_journal(run::JournalCopyOptions{o.from, o.to});
  fmt::print(out.out, "copied {} steps, {} edges and {} events from {} to {}\n", c.steps, c.edges, c.events,
             run::store::parse_spec(o.from).shown, run::store::parse_spec(o.to).shown);
  return 0;
}

void register_journal(CLI::App& app, Status& status) {
  auto* journal = app.add_subcommand("journal", "Work on journals themselves");
  journal->require_subcommand(1);
  auto [copy, o] =
      add_verb(*journal, status, "copy",
               "Copy a journal (plan, steps, events) to a new SQLite file or PostgreSQL campaign", run_journal_copy);
  copy->add_option("FROM", o->from, "The journal to copy: an SQLite file or a PostgreSQL database (campaign=NAME)")
      ->required();
  copy->add_option("TO", o->to, "Where to: a new (or empty) SQLite file, or a PostgreSQL campaign with no journal")
      ->required();
}

}  // namespace smsup::cli
