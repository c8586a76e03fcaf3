// `smsup inventory collect` (shared/spec/collect.md): the inventory read from
// the hierarchy's own SMS 2003 site databases, read-only, plus a FACTS.yaml
// overlay for what no database holds; written as DIR/inventory.yaml and
// DIR/clients.csv for the existing loader.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "collect/source.h"

namespace smsup::collect {

struct SiteDb {
  std::string code;  // a primary site
  std::string conn;  // its own database
};

struct Options {
  std::string central;  // connection of the central site's database
  std::vector<SiteDb> site_dbs;
  std::string facts;          // FACTS.yaml, optional
  std::string as_of;          // YYYY-MM-DD the inventory stands for, optional
  std::filesystem::path out;  // DIR
  std::string tool_version;   // for the collected: block
  // Called now and then while clients are read (count so far), for progress:
  // from the thread that reads the clients, never at the same time as itself.
  std::function<void(int64_t)> progress;
  // Opens a connection (tests put a fake here); default: ODBC. Called from
  // two threads: the central database is opened twice (the clients are read
  // on a connection of their own), each connection used by one thread.
  std::function<std::unique_ptr<Source>(const std::string& conn, const std::string& option)> open;
};

struct Summary {
  std::string hierarchy;
  int sites = 0, primaries = 0, secondaries = 0, systems = 0;
  int64_t clients = 0;
  int64_t obsolete = 0;                     // obsolete client records, not read
  std::vector<std::string> duplicates;      // "NAME: ..." one per extra row left out
  std::vector<std::string> left_out;        // clients not written, and why
  std::vector<std::string> notes;           // what else a person should know
  int unknown_facts = 0;                    // values written as ~
  std::vector<std::string> site_databases;  // codes whose own database was read
  std::filesystem::path inventory, clients_csv;
  double seconds = 0;
};

// Throws InputError (exit 2) for bad input: unreachable server, missing view
// or column, a database of another product, a parent not in v_Site, ...
Summary collect(const Options& opts);

}  // namespace smsup::collect
