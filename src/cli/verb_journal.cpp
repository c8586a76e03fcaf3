// `smsup journal copy FROM TO`: move a campaign's journal between SQLite and
// PostgreSQL (src/run/journal_copy.h).
#include "cli/verbs.h"
#include "run/journal_copy.h"

namespace smsup::cli {

void register_journal(CLI::App& app, Status& status) {
  auto* journal = app.add_subcommand("journal", "Work on journals themselves");
  journal->require_subcommand(1);
  auto* copy = journal->add_subcommand(
      "copy", "Copy a journal (plan, steps, events) to a new SQLite file or PostgreSQL campaign");
  auto o = std::make_shared<run::JournalCopyOptions>();
  copy->add_option("FROM", o->from, "The journal to copy: an SQLite file or a PostgreSQL database (campaign=NAME)")
      ->required();
  copy->add_option("TO", o->to, "Where to: a new (or empty) SQLite file, or a PostgreSQL campaign with no journal")
      ->required();
  copy->callback([o, &status] { status.code = run::run_journal_copy(*o, stdout); });
}

}  // namespace smsup::cli
