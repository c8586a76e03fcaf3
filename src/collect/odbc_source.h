// The Source over unixODBC. Connection strings:
//   sqlite:PATH                 the SQLite 3 ODBC driver on an existing file
//   postgresql://USER@HOST:PORT/DB[?password=...]  the PostgreSQL ODBC driver
//   anything else               an ODBC connection string as is, e.g.
//     DRIVER=FreeTDS;SERVER=sql01;PORT=1433;DATABASE=SMS_CEN;UID=DOM\user;TDS_Version=7.1
// A PWD may also come from the environment (SMSUP_ODBC_PWD) so that it is not
// on the command line. Passwords are never printed: errors name the server,
// the database and the driver's message with any PWD=... removed.
#pragma once

#include <memory>
#include <string>

#include "collect/source.h"

namespace smsup::collect {

struct Connection {
  std::string odbc;      // the connection string given to SQLDriverConnect
  std::string server;    // for messages
  std::string database;  // for messages
  Dialect dialect = Dialect::mssql;
};

// Maps the shorthands to an ODBC connection string. `option` names the
// command-line option in errors ("--central"). Throws InputError.
Connection parse_connection(const std::string& conn, const std::string& option);

// Any PWD=...; (and password=...) removed from a text, for messages.
std::string redact(std::string text);

// Opens the connection read-only (SQL_ATTR_ACCESS_MODE read-only, and for
// the twin's engines the driver's own read-only switch). Throws InputError
// naming the server and the driver's message.
std::unique_ptr<Source> open_odbc(const Connection& c, const std::string& option);

// For a process that reads SQLite databases only through the SQLite ODBC
// driver, one connection per thread and never one connection in two threads
// at once (the collect verb's process): SQLite's multi-thread mode and no
// memory statistics. In its default (serialized) mode SQLite takes a lock of
// the connection for every value read (sqlite3_column_text, _type) and a
// global one for every allocation; once a process has a second thread each
// of those is an atomic operation (glibc's single-thread shortcut is gone),
// about a sixth of the fetch's time on a million clients. Possible only
// before SQLite is first used in the process: returns false, and changes
// nothing, after (serialized mode is safe too, only slower).
bool sqlite_one_connection_per_thread();

}  // namespace smsup::collect
