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

#include "model/hierarchy.h"

namespace smsup::collect {

// SQLite: central views into DIR/<central>.db, facts into DIR/<code>.db of
// every primary (files made before by the twin; a missing one is made).
void write_twin_shape_sqlite(const Hierarchy& h, const std::filesystem::path& dir);

// PostgreSQL (the twin's other engine, and the tests): the central views into
// the database at `central_url`, a primary's facts into `site_url`.
void write_central_views_postgresql(const Hierarchy& h, const std::string& central_url);
void write_site_facts_postgresql(const Site& s, const std::string& site_url);

// The same into one SQLite file (tests).
void write_central_views_sqlite(const Hierarchy& h, const std::string& path);
void write_site_facts_sqlite(const Site& s, const std::string& path);

}  // namespace smsup::collect
