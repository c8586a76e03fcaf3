// Shared by the verbs that give the twin a folder (rehearse, twin make, the
// demo): preparing the folder, and making the sites' databases in it.
#pragma once

#include <filesystem>

#include "cli/output.h"

namespace smsup::twin {
class Twin;
}  // namespace smsup::twin
namespace smsup::sitedb {
class SqliteSiteDatabases;
}  // namespace smsup::sitedb

namespace smsup::cli {

// A fresh twin folder: new, empty, or one smsup made before (it holds the
// marker .smsup-twin; its content is replaced). Anything else: InputError.
void prepare_twin_dir(const std::filesystem::path& dir);

// Gives the twin its sites' databases (Twin::attach_databases), counting them
// on out.err when it is a terminal: making them takes a moment per site.
// Refuses (InputError) when the disk under them cannot hold them.
void attach_with_progress(twin::Twin& t, sitedb::SqliteSiteDatabases& dbs, Output& out);

}  // namespace smsup::cli
