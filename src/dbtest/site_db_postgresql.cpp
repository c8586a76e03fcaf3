// generate_postgresql (site_db.h): the schema, then every table by COPY.
#include "dbtest/pg_conn.h"
#include "dbtest/site_db.h"
#include "dbtest/volumes.h"
#include "util/error.h"

namespace smsup::dbtest {
namespace {

// Rows in COPY text format, sent in ~1 MB chunks.
class CopySink : public RowSink {
 public:
  explicit CopySink(PgConn& c) : c_(c) {}

  void begin_table(std::string_view table, const std::vector<std::string_view>& columns) override {
    std::string sql = "COPY " + std::string(table) + " (";
    for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + std::string(columns[i]);
    sql += ") FROM STDIN";
    PGresult* r = PQexec(c_.get(), sql.c_str());
    bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    if (!ok) fail();
  }
  void row(std::span<const Field> fields) override {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i) buf_ += '\t';
      if (fields[i].is_int) {
        buf_ += std::to_string(fields[i].i);
        continue;
      }
      for (char ch : fields[i].s) {  // COPY text escapes
        if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') buf_ += '\\';
        buf_ += ch;
      }
    }
    buf_ += '\n';
    if (buf_.size() > (1u << 20)) flush();
  }
  void end_table() override {
    flush();
    if (PQputCopyEnd(c_.get(), nullptr) != 1) fail();
    PGresult* r = PQgetResult(c_.get());
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    while ((r = PQgetResult(c_.get())) != nullptr) PQclear(r);
    if (!ok) fail();
  }

 private:
  PgConn& c_;
  std::string buf_;
  void flush() {
    if (!buf_.empty() && PQputCopyData(c_.get(), buf_.data(), static_cast<int>(buf_.size())) != 1) fail();
    buf_.clear();
  }
  [[noreturn]] void fail() { throw InputError({}, "--db", c_.where() + ": generating: " + PQerrorMessage(c_.get())); }
};

}  // namespace

GenerateStats generate_postgresql(const std::string& url, const GenerateOptions& opts) {
  if (opts.clients < 0) throw InputError({}, "--clients", "expected a number of clients >= 0");
  PgConn c(url);
  if (c.scalar("SELECT count(*) FROM pg_tables WHERE lower(tablename) = 'sitesettings'") > 0) {
    throw InputError({}, "--db",
                     c.where() +
                         " already holds a site database (SiteSettings exists); "
                         "smsup never overwrites a database");
  }
  c.exec("BEGIN");
  c.exec(std::string(schema_sql()));
  CopySink sink(c);
  GenerateStats stats{opts.clients, fill_site(sink, opts)};
  if (opts.replication) {
    // What SQL Server publishing is to SMS, a publication is to PostgreSQL.
    c.exec("CREATE PUBLICATION sms_site_publication FOR TABLE System_DISC, SoftwareInventory");
  }
  c.exec("COMMIT");
  c.exec("ANALYZE");
  return stats;
}

}  // namespace smsup::dbtest
