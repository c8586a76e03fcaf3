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

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>

#include "cli/output.h"

namespace smsup::twin {
class Twin;
}  // namespace smsup::twin
namespace smsup::sitedb {
class SqliteSiteDatabases;
}  // namespace smsup::sitedb

namespace smsup::cli {

struct Status {
  int code = 0;
};

// The shape of every verb: adds `name` under `parent` with a fresh Options
// struct for register_<verb> to declare its options into; when the verb is
// run, its exit status is run(options, standard_output()).
template <typename Options>
std::pair<CLI::App*, std::shared_ptr<Options>> add_verb(CLI::App& parent, Status& status, const std::string& name,
                                                        const std::string& help,
                                                        int (*run)(const Options&, Output&)) {
  auto o = std::make_shared<Options>();
  auto* sub = parent.add_subcommand(name, help);
  sub->callback([o, run, &status] { status.code = run(*o, standard_output()); });
  return {sub, o};
}

// Every verb, registered in the order --help lists them.
void register_all(CLI::App& app, Status& status);

void register_check(CLI::App& app, Status& status);
void register_plan(CLI::App& app, Status& status);
void register_show(CLI::App& app, Status& status);
void register_rehearse(CLI::App& app, Status& status);
void register_apply(CLI::App& app, Status& status);      // apply, status, confirm, retry
void register_verify(CLI::App& app, Status& status);
void register_logs(CLI::App& app, Status& status);       // logs grep|merge|tail|stats|scan
void register_dbtest(CLI::App& app, Status& status);
void register_clients(CLI::App& app, Status& status);
void register_twin(CLI::App& app, Status& status);       // twin inventory|db|make
void register_demo(CLI::App& app, Status& status);
void register_inventory(CLI::App& app, Status& status);  // inventory collect
void register_report(CLI::App& app, Status& status);
void register_serve(CLI::App& app, Status& status);
void register_journal(CLI::App& app, Status& status);    // journal copy
void register_hosts(CLI::App& app, Status& status);      // hosts check

// A fresh twin folder: new, empty, or one smsup made before (it holds the
// marker .smsup-twin; its content is replaced). Anything else: InputError.
void prepare_twin_dir(const std::filesystem::path& dir);

// Gives the twin its sites' databases (Twin::attach_databases), counting them
// on out.err when it is a terminal: making them takes a moment per site.
// Refuses (InputError) when the disk under them cannot hold them.
void attach_with_progress(twin::Twin& t, sitedb::SqliteSiteDatabases& dbs, Output& out);

}  // namespace smsup::cli
