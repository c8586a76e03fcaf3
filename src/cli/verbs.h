// The CLI, one shape per verb. Each verb (and each verb of a verb) has:
//   - a public <Verb>Options struct in its family's header (cli/check.h,
//     cli/logs.h, ...): the options as typed, nothing checked yet;
//   - register_<verb>(CLI::App&, Status&): declares the options into one such
//     struct, with --help text; when the verb is run, its callback calls
//     run_<verb> with the process's Output and stores the exit status;
//   - int run_<verb>(const <Verb>Options&, Output&): checks the options
//     (smsup::InputError naming the option, cli/checks.h), does the work
//     through the library modules, writes only to the Output, and returns
//     the exit status (0 done and fine, 1 done and not fine).
// Bad input is thrown as smsup::InputError and becomes exit 2 in main.cpp.
// Tests call run_<verb> in-process (tests/cli/); main.cpp is all that is
// not in the library smsup_cli.
#pragma once

#include "cli/output.h"

// CLI11 is header-only in Debian (2.1) and costs seconds per translation
// unit that includes it: only the files that declare options include it,
// through cli/add_verb.h.
namespace CLI {
class App;
}  // namespace CLI

namespace smsup::cli {

struct Status {
  int code = 0;
};

// Every verb, registered in the order --help lists them.
void register_all(CLI::App& app, Status& status);

void register_check(CLI::App& app, Status& status);
void register_plan(CLI::App& app, Status& status);
void register_show(CLI::App& app, Status& status);
void register_rehearse(CLI::App& app, Status& status);
void register_apply(CLI::App& app, Status& status);  // apply, status, confirm, retry
void register_verify(CLI::App& app, Status& status);
void register_logs(CLI::App& app, Status& status);  // logs grep|merge|tail|stats|scan
void register_dbtest(CLI::App& app, Status& status);
void register_clients(CLI::App& app, Status& status);
void register_twin(CLI::App& app, Status& status);  // twin inventory|db|make
void register_demo(CLI::App& app, Status& status);
void register_inventory(CLI::App& app, Status& status);  // inventory collect
void register_report(CLI::App& app, Status& status);
void register_serve(CLI::App& app, Status& status);
void register_journal(CLI::App& app, Status& status);  // journal copy
void register_hosts(CLI::App& app, Status& status);    // hosts check

}  // namespace smsup::cli
