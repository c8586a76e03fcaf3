// The SMS 2003 database shape the twin writes, so that `smsup inventory
// collect` reads the twin as it reads a real hierarchy (collect.md, "The
// twin"):
// - the central site's database gets v_Site, v_SystemResourceList,
//   v_R_System, v_RA_System_SMSAssignedSites, v_GS_OPERATING_SYSTEM,
//   v_GS_COMPUTER_SYSTEM and v_GS_SoftwareFile with every site, site system
//   and client of the inventory (SMS replicates everything up to the central
//   site). They are tables under the views' names: a SELECT cannot tell.
// - each primary site's own database gets its database facts: sysfiles (SQL
//   Server's columns), smsup_server_properties (what SERVERPROPERTY answers)
//   and backupset (msdb's), the equivalents queries.cpp reads.
// Bulk written in one transaction per database with prepared statements
// (SQLite) or COPY (PostgreSQL): 1,000,000 clients in seconds.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/hierarchy.h"

namespace smsup::collect {

// SQLite: central views into DIR/<central>.db, facts into DIR/<code>.db of
// every primary (files made before by the twin; a missing one is made).
void write_twin_shape_sqlite(const Hierarchy& h, const std::filesystem::path& dir);

// PostgreSQL (the twin's other engine, and the tests): the central views into
// the database at `central_url`, a primary's facts into `site_url`.
void write_central_views_postgresql(const Hierarchy& h, const std::string& central_url);
void write_site_facts_postgresql(const Site& s, const std::string& site_url);

// PostgreSQL, as `twin make --engine postgresql://...` writes it: one
// database per primary site on the server `server_url` names, sms_<code>
// (SMS names its own SMS_<code>; PostgreSQL folds unquoted names to lower
// case), made new each time: the central site's holds the views and its own
// facts, each other primary's its facts, a replicating site's a
// publication. A database of that name that twin make did not make (its
// comment says) is refused, never dropped. Throws InputError.
struct PgSiteDatabase {
  std::string code;      // the site
  std::string database;  // sms_<code>
  std::string url;       // server_url naming it: --central / --site-db of collect
  bool central = false;
};
std::vector<PgSiteDatabase> write_twin_shape_postgresql(const Hierarchy& h, const std::string& server_url);
// server_url (postgresql://user@host:port[/db][?...]) naming database db.
std::string postgresql_url_with_db(const std::string& server_url, const std::string& db);

// The same into one SQLite file (tests).
void write_central_views_sqlite(const Hierarchy& h, const std::string& path);
void write_site_facts_sqlite(const Site& s, const std::string& path);

}  // namespace smsup::collect
