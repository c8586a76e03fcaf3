// The thin CLI: one register_<verb> per file (verb_<name>.cpp). Each adds its
// subcommand to the app and, when run, stores its exit status in `status`.
// Bad input is thrown as smsup::InputError and becomes exit 2 in main.cpp.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

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

void register_check(CLI::App& app, Status& status);
void register_plan(CLI::App& app, Status& status);
void register_show(CLI::App& app, Status& status);
void register_rehearse(CLI::App& app, Status& status);
void register_apply(CLI::App& app, Status& status);    // apply, status, confirm, retry
void register_verify(CLI::App& app, Status& status);
void register_logs(CLI::App& app, Status& status);
void register_dbtest(CLI::App& app, Status& status);
void register_clients(CLI::App& app, Status& status);
void register_twin(CLI::App& app, Status& status);     // twin inventory|db|...
void register_demo(CLI::App& app, Status& status);
void register_inventory(CLI::App& app, Status& status);  // inventory collect
void register_report(CLI::App& app, Status& status);
void register_serve(CLI::App& app, Status& status);
void register_journal(CLI::App& app, Status& status);    // journal copy

// `smsup twin` subcommands, each in its own file.
void register_twin_inventory(CLI::App& twin, Status& status);
void register_twin_db(CLI::App& twin, Status& status);
void register_twin_make(CLI::App& twin, Status& status);

// `smsup demo` stages, each in its own file (demo_<stage>.cpp). A stage prints
// what it did and returns 0 when its part of the demo went as expected.
struct DemoContext {
  std::filesystem::path example;  // examples/contoso/contoso.yaml
  std::filesystem::path out;      // the demo's output folder
  std::string as_of;              // reference date for the example, YYYY-MM-DD
};
int demo_check(const DemoContext& ctx);
int demo_plan(const DemoContext& ctx);
int demo_rehearse(const DemoContext& ctx);
int demo_apply(const DemoContext& ctx);
int demo_verify(const DemoContext& ctx);
int demo_dbtest(const DemoContext& ctx);
int demo_report(const DemoContext& ctx);

// A fresh twin folder: new, empty, or one smsup made before (it holds the
// marker .smsup-twin; its content is replaced). Anything else: InputError.
void prepare_twin_dir(const std::filesystem::path& dir);

// Gives the twin its sites' databases (Twin::attach_databases), counting them
// on stderr when it is a terminal: making them takes a moment per site.
// Refuses (InputError) when the disk under them cannot hold them.
void attach_with_progress(twin::Twin& t, sitedb::SqliteSiteDatabases& dbs);

// True when stdout is a terminal and NO_COLOR is not set.
bool use_color();

}  // namespace smsup::cli
