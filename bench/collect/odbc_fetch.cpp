// bench/collect: the floor under `smsup inventory collect` on an ODBC
// driver: the client query fetched as the collector fetches it (columns
// bound, 64-row blocks, the same buffer widths: src/collect/odbc_source.cpp),
// nothing done with the rows. What this costs is the driver's, not smsup's.
//   odbc_fetch CONNECTION_STRING QUERY
#include <sql.h>
#include <sqlext.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: odbc_fetch CONNECTION_STRING QUERY\n");
    return 2;
  }
  std::string conn = argv[1], query = argv[2];
  SQLHENV env = nullptr;
  SQLHDBC dbc = nullptr;
  SQLHSTMT st = nullptr;
  SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
  SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc);
  if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, nullptr, reinterpret_cast<SQLCHAR*>(conn.data()),
                                      static_cast<SQLSMALLINT>(conn.size()), nullptr, 0, nullptr,
                                      SQL_DRIVER_NOPROMPT))) {
    std::fprintf(stderr, "odbc_fetch: cannot connect\n");
    return 1;
  }
  SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st);
  const SQLULEN block = 64;
  SQLULEN fetched = 0;
  SQLSetStmtAttr(st, SQL_ATTR_ROW_BIND_TYPE, reinterpret_cast<SQLPOINTER>(SQL_BIND_BY_COLUMN), 0);
  SQLSetStmtAttr(st, SQL_ATTR_ROW_ARRAY_SIZE, reinterpret_cast<SQLPOINTER>(block), 0);
  SQLSetStmtAttr(st, SQL_ATTR_ROWS_FETCHED_PTR, &fetched, 0);
  if (!SQL_SUCCEEDED(
          SQLExecDirect(st, reinterpret_cast<SQLCHAR*>(query.data()), static_cast<SQLINTEGER>(query.size())))) {
    std::fprintf(stderr, "odbc_fetch: the query failed\n");
    return 1;
  }
  SQLSMALLINT ncols = 0;
  SQLNumResultCols(st, &ncols);
  std::vector<std::vector<char>> buf(static_cast<size_t>(ncols));
  std::vector<std::vector<SQLLEN>> ind(static_cast<size_t>(ncols));
  for (SQLSMALLINT i = 0; i < ncols; ++i) {
    SQLULEN size = 0;
    SQLSMALLINT type = 0, digits = 0, nullable = 0, namelen = 0;
    SQLCHAR name[256];
    SQLDescribeCol(st, static_cast<SQLUSMALLINT>(i + 1), name, sizeof name, &namelen, &type, &size, &digits, &nullable);
    auto width = static_cast<SQLLEN>(std::clamp<SQLULEN>(4 * size + 1, 33, 1025));
    auto c = static_cast<size_t>(i);
    buf[c].resize(static_cast<size_t>(width) * block);
    ind[c].resize(block);
    SQLBindCol(st, static_cast<SQLUSMALLINT>(i + 1), SQL_C_CHAR, buf[c].data(), width, ind[c].data());
  }
  long rows = 0;
  while (SQL_SUCCEEDED(SQLFetch(st))) rows += static_cast<long>(fetched);
  std::printf("%ld rows\n", rows);
  SQLFreeHandle(SQL_HANDLE_STMT, st);
  SQLDisconnect(dbc);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc);
  SQLFreeHandle(SQL_HANDLE_ENV, env);
  return 0;
}
