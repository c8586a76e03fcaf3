// Shared by the verbs that give the twin a folder (rehearse, twin make, the
// demo): preparing the folder, and making the sites' databases in it.
#include <fmt/ostream.h>

#include <filesystem>
#include <fstream>

#include "cli/twin_dir.h"
#include "sitedb/sqlite_site_databases.h"
#include "twin/twin.h"
#include "util/error.h"

namespace smsup::cli {

namespace fs = std::filesystem;

// A fresh twin folder: new, empty, or one an earlier rehearsal made (marked).
void prepare_twin_dir(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir)) throw InputError({dir.string(), 0, 0}, "--twin-dir", "exists and is not a folder");
    bool empty = fs::is_empty(dir, ec);
    if (!empty && !fs::exists(dir / ".smsup-twin")) {
      throw InputError({dir.string(), 0, 0}, "--twin-dir",
                       "folder is not empty and was not made by smsup; name a new or empty folder");
    }
    for (const auto& e : fs::directory_iterator(dir)) fs::remove_all(e.path());
  }
  fs::create_directories(dir, ec);
  if (ec) throw InputError({dir.string(), 0, 0}, "--twin-dir", "cannot create this folder: " + ec.message());
  std::ofstream(dir / ".smsup-twin")
      << "made by smsup (rehearse or twin make); its content is replaced the next time\n";
}

void attach_with_progress(twin::Twin& t, sitedb::SqliteSiteDatabases& dbs, Output& out) {
  dbs.check_room(t.sites());
  t.attach_databases(&dbs, [&out](size_t done, size_t total) {
    if (!out.err_terminal) return;
    fmt::print(out.err, "\r  making the sites' databases: {}/{}{}", done, total, done == total ? "\n" : "");
    out.err.flush();
  });
}

}  // namespace smsup::cli
