#include "collect/twin_shape.h"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <fmt/format.h>

#include <array>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "collect/mapping.h"
#include "dbtest/pg_conn.h"
#include "util/error.h"

namespace smsup::collect {
namespace {

// Portable DDL: SQLite and PostgreSQL take it as written. Identifiers are
// unquoted so that PostgreSQL folds them, and the collector's unquoted
// statements find them there too.
constexpr std::string_view kCentralDdl[] = {
    "DROP TABLE IF EXISTS v_Site",
    "DROP TABLE IF EXISTS v_SystemResourceList",
    "DROP TABLE IF EXISTS v_R_System",
    "DROP TABLE IF EXISTS v_RA_System_SMSAssignedSites",
    "DROP TABLE IF EXISTS v_GS_OPERATING_SYSTEM",
    "DROP TABLE IF EXISTS v_GS_COMPUTER_SYSTEM",
    "DROP TABLE IF EXISTS v_GS_SoftwareFile",
    "CREATE TABLE v_Site (SiteCode VARCHAR(3) PRIMARY KEY, SiteName VARCHAR(128), ReportingSiteCode VARCHAR(3), "
    "Type INTEGER, Version VARCHAR(32), BuildNumber INTEGER, ServerName VARCHAR(64), InstallDir VARCHAR(255), "
    "Status INTEGER, RequestedStatus INTEGER, TimeZoneInfo VARCHAR(255))",
    "CREATE TABLE v_SystemResourceList (SiteCode VARCHAR(3), RoleName VARCHAR(64), ServerName VARCHAR(64), "
    "NALPath VARCHAR(255), ResourceType VARCHAR(64))",
    "CREATE TABLE v_R_System (ResourceID INTEGER PRIMARY KEY, ResourceType INTEGER, Name0 VARCHAR(64), "
    "Netbios_Name0 VARCHAR(64), Client0 INTEGER, Client_Type0 INTEGER, Client_Version0 VARCHAR(32), "
    "Obsolete0 INTEGER, Active0 INTEGER, Decommissioned0 INTEGER, Operating_System_Name_and0 VARCHAR(64), "
    "Resource_Domain_OR_Workgr0 VARCHAR(32), SMS_Unique_Identifier0 VARCHAR(64))",
    "CREATE TABLE v_RA_System_SMSAssignedSites (ResourceID INTEGER, SMS_Assigned_Sites0 VARCHAR(3))",
    "CREATE TABLE v_GS_OPERATING_SYSTEM (ResourceID INTEGER PRIMARY KEY, GroupID INTEGER, RevisionID INTEGER, "
    "Caption0 VARCHAR(128), CSDVersion0 VARCHAR(64), Version0 VARCHAR(32))",
    "CREATE TABLE v_GS_COMPUTER_SYSTEM (ResourceID INTEGER PRIMARY KEY, GroupID INTEGER, RevisionID INTEGER, "
    "SystemType0 VARCHAR(32), Manufacturer0 VARCHAR(64), Model0 VARCHAR(64))",
    "CREATE TABLE v_GS_SoftwareFile (ResourceID INTEGER, FileName VARCHAR(255), FileVersion VARCHAR(64), "
    "FileSize INTEGER, ProductId INTEGER)",
};
// After the rows: building an index once is faster than keeping it up.
constexpr std::string_view kCentralIndexes[] = {
    "CREATE INDEX v_R_System_name ON v_R_System (Netbios_Name0, ResourceID)",
    "CREATE INDEX v_RA_System_SMSAssignedSites_id ON v_RA_System_SMSAssignedSites (ResourceID)",
    "CREATE INDEX v_GS_SoftwareFile_name ON v_GS_SoftwareFile (FileName, ResourceID, FileVersion)",
};
constexpr std::string_view kFactsDdl[] = {
    "DROP TABLE IF EXISTS sysfiles",
    "DROP TABLE IF EXISTS smsup_server_properties",
    "DROP TABLE IF EXISTS backupset",
    "CREATE TABLE sysfiles (fileid INTEGER, groupid INTEGER, name VARCHAR(128), filename VARCHAR(255), "
    "size BIGINT, maxsize BIGINT, growth BIGINT, status BIGINT)",
    "CREATE TABLE smsup_server_properties (DatabaseName VARCHAR(128), ProductVersion VARCHAR(32), "
    "ProductLevel VARCHAR(32), Edition VARCHAR(64))",
    "CREATE TABLE backupset (database_name VARCHAR(128), backup_finish_date VARCHAR(32), type VARCHAR(1))",
};

// Rows as text (an empty optional is NULL), handed to one table at a time.
using Cell = std::optional<std::string>;
using Rows = std::function<void(const std::function<void(const std::vector<Cell>&)>&)>;

class Writer {
 public:
  virtual ~Writer() = default;
  virtual void exec(std::string_view sql) = 0;
  virtual void bulk(std::string_view table, const std::vector<std::string_view>& columns, const Rows& rows) = 0;
};

class SqliteWriter : public Writer {
 public:
  explicit SqliteWriter(const std::string& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw InputError({path, 0, 0}, "", "cannot open the twin's site database: " + why);
    }
    // One transaction for everything; a crash leaves the file as it was.
    exec("PRAGMA journal_mode=DELETE");
    exec("PRAGMA synchronous=OFF");
    exec("BEGIN");
  }
  ~SqliteWriter() override {
    if (db_) {
      if (!committed_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      sqlite3_close(db_);
    }
  }
  void commit() {
    exec("COMMIT");
    committed_ = true;
  }
  void exec(std::string_view sql) override {
    char* err = nullptr;
    std::string s(sql);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string why = err ? err : "";
      sqlite3_free(err);
      throw InputError({path_, 0, 0}, "", "writing the SMS 2003 views: " + why);
    }
  }
  void bulk(std::string_view table, const std::vector<std::string_view>& columns, const Rows& rows) override {
    // INSERT OR REPLACE: SiteSettings rows of an earlier make are replaced.
    std::string sql = fmt::format("INSERT OR REPLACE INTO {} ({}) VALUES ({})", table, fmt::join(columns, ", "),
                                  fmt::join(std::vector<std::string>(columns.size(), "?"), ", "));
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw InputError({path_, 0, 0}, std::string(table), sqlite3_errmsg(db_));
    }
    rows([&](const std::vector<Cell>& r) {
      for (size_t i = 0; i < r.size(); ++i) {
        int col = static_cast<int>(i + 1);
        if (r[i])
          sqlite3_bind_text(st, col, r[i]->data(), static_cast<int>(r[i]->size()), SQLITE_TRANSIENT);
        else
          sqlite3_bind_null(st, col);
      }
      if (sqlite3_step(st) != SQLITE_DONE) {
        std::string why = sqlite3_errmsg(db_);
        sqlite3_finalize(st);
        throw InputError({path_, 0, 0}, std::string(table), why);
      }
      sqlite3_reset(st);
    });
    sqlite3_finalize(st);
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
  bool committed_ = false;
};

class PgWriter : public Writer {
 public:
  explicit PgWriter(const std::string& url, const std::string& dbname = {}) : conn_(url, dbname) {
    conn_.exec("BEGIN");
  }
  void commit() { conn_.exec("COMMIT"); }
  void exec(std::string_view sql) override { conn_.exec(std::string(sql)); }
  void bulk(std::string_view table, const std::vector<std::string_view>& columns, const Rows& rows) override {
    std::string copy = fmt::format("COPY {} ({}) FROM STDIN", table, fmt::join(columns, ", "));
    PGresult* start = PQexec(conn_.get(), copy.c_str());
    bool copying = PQresultStatus(start) == PGRES_COPY_IN;
    std::string refused = copying ? "" : PQresultErrorMessage(start);
    PQclear(start);
    if (!copying) throw InputError({}, std::string(table), "COPY failed: " + refused);
    std::string buf;
    auto flush = [&] {
      if (!buf.empty() && PQputCopyData(conn_.get(), buf.data(), static_cast<int>(buf.size())) != 1) {
        throw InputError({}, std::string(table), PQerrorMessage(conn_.get()));
      }
      buf.clear();
    };
    rows([&](const std::vector<Cell>& r) {
      for (size_t i = 0; i < r.size(); ++i) {
        if (i) buf += '\t';
        if (!r[i]) {
          buf += "\\N";
          continue;
        }
        for (char c : *r[i]) {  // COPY text format escapes
          if (c == '\\')
            buf += "\\\\";
          else if (c == '\t')
            buf += "\\t";
          else if (c == '\n')
            buf += "\\n";
          else if (c == '\r')
            buf += "\\r";
          else
            buf += c;
        }
      }
      buf += '\n';
      if (buf.size() > (1 << 20)) flush();
    });
    flush();
    if (PQputCopyEnd(conn_.get(), nullptr) != 1) throw InputError({}, std::string(table), PQerrorMessage(conn_.get()));
    PGresult* res = PQgetResult(conn_.get());
    bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
    std::string why = ok ? "" : PQresultErrorMessage(res);
    PQclear(res);
    while ((res = PQgetResult(conn_.get())) != nullptr) PQclear(res);
    if (!ok) throw InputError({}, std::string(table), "COPY failed: " + why);
  }

 private:
  dbtest::PgConn conn_;
};

std::string site_version_string(const SmsVersion& v) {
  if (!v.text.empty() && v.text.find('.') != std::string::npos) return v.text;
  return std::string(sms_build_string(v.level));
}

std::string build_of_version(const std::string& v) {
  auto a = v.find('.');
  auto b = v.find('.', a + 1);
  auto c = v.find('.', b + 1);
  if (a == std::string::npos || b == std::string::npos) return "0";
  return v.substr(b + 1, c == std::string::npos ? std::string::npos : c - b - 1);
}

void write_central(Writer& w, const Hierarchy& h) {
  for (auto sql : kCentralDdl) w.exec(sql);
  w.bulk("v_Site",
         {"SiteCode", "SiteName", "ReportingSiteCode", "Type", "Version", "BuildNumber", "ServerName", "InstallDir",
          "Status", "RequestedStatus"},
         [&](auto emit) {
           for (const auto& s : h.sites) {
             std::string v = site_version_string(s.version);
             emit({s.code, s.name, s.parent.empty() ? Cell{} : Cell{s.parent}, s.is_primary() ? "2" : "1", v,
                   build_of_version(v), s.site_server().host, s.install_dir, "1", "0"});
           }
         });
  w.bulk("v_SystemResourceList", {"SiteCode", "RoleName", "ServerName", "NALPath", "ResourceType"}, [&](auto emit) {
    for (const auto& s : h.sites) {
      for (const auto& sys : s.systems) {
        std::string nal =
            fmt::format("[\"Display=\\\\{}\\\"]MSWNET:[\"SMS_SITE={}\"]\\\\{}\\", sys.host, s.code, sys.host);
        emit({s.code, std::string("SMS Site System"), sys.host, nal, std::string("Windows NT Server")});
        for (uint32_t bit = 1; bit <= static_cast<uint32_t>(Role::database_server); bit <<= 1) {
          if (sys.roles & bit) {
            emit({s.code, std::string(role_name(static_cast<Role>(bit))), sys.host, nal,
                  std::string("Windows NT Server")});
          }
        }
      }
    }
  });
  // Resources: site systems first (discovered servers with hardware
  // inventory, not SMS clients), then the clients. ResourceIDs as SMS counts.
  constexpr int64_t kFirstId = 16777220;
  int64_t systems = 0;
  for (const auto& s : h.sites) systems += static_cast<int64_t>(s.systems.size());
  auto client_id = [&](size_t i) { return std::to_string(kFirstId + systems + static_cast<int64_t>(i)); };
  w.bulk("v_R_System",
         {"ResourceID", "ResourceType", "Name0", "Netbios_Name0", "Client0", "Client_Type0", "Client_Version0",
          "Obsolete0", "Active0", "Decommissioned0", "Operating_System_Name_and0", "Resource_Domain_OR_Workgr0",
          "SMS_Unique_Identifier0"},
         [&](auto emit) {
           int64_t id = kFirstId;
           for (const auto& s : h.sites) {
             for (const auto& sys : s.systems) {
               emit({std::to_string(id), "5", sys.host, sys.host, "0", Cell{}, Cell{}, "0", "1", "0",
                     os_name_and(sys.os.family, sys.edition), std::string("CONTOSO"), Cell{}});
               ++id;
             }
           }
           for (size_t i = 0; i < h.clients.size(); ++i) {
             const auto& c = h.clients[i];
             std::string id_text = client_id(i);
             emit({id_text, "5", c.name, c.name, "1", c.kind == ClientKind::advanced ? "1" : "0",
                   std::string(sms_build_string(c.version)), "0", "1", "0", os_name_and(c.os.family, Edition::standard),
                   std::string("CONTOSO"), "GUID:" + id_text});
           }
         });
  w.bulk("v_RA_System_SMSAssignedSites", {"ResourceID", "SMS_Assigned_Sites0"}, [&](auto emit) {
    for (size_t i = 0; i < h.clients.size(); ++i) emit({client_id(i), h.sites[h.clients[i].site].code});
  });
  auto csd = [](int sp) { return sp == 0 ? Cell{} : Cell{fmt::format("Service Pack {}", sp)}; };
  w.bulk("v_GS_OPERATING_SYSTEM", {"ResourceID", "GroupID", "RevisionID", "Caption0", "CSDVersion0", "Version0"},
         [&](auto emit) {
           int64_t id = kFirstId;
           for (const auto& s : h.sites) {
             for (const auto& sys : s.systems) {
               emit({std::to_string(id++), "1", "1", os_caption(sys.os.family, sys.edition), csd(sys.os.sp), Cell{}});
             }
           }
           for (size_t i = 0; i < h.clients.size(); ++i) {
             const auto& c = h.clients[i];
             emit({client_id(i), "1", "1", os_caption(c.os.family, Edition::standard), csd(c.os.sp), Cell{}});
           }
         });
  w.bulk("v_GS_COMPUTER_SYSTEM", {"ResourceID", "GroupID", "RevisionID", "SystemType0"}, [&](auto emit) {
    for (size_t i = 0; i < h.clients.size(); ++i) {
      emit({client_id(i), "1", "1", std::string(h.clients[i].arch == Arch::x64 ? "x64-based PC" : "X86-based PC")});
    }
  });
  w.bulk("v_GS_SoftwareFile", {"ResourceID", "FileName", "FileVersion", "FileSize", "ProductId"}, [&](auto emit) {
    for (size_t i = 0; i < h.clients.size(); ++i) {
      if (h.clients[i].ie_tenths < 0) continue;
      emit({client_id(i), std::string("iexplore.exe"), ie_file_version(h.clients[i].ie_tenths), "93184", "1"});
    }
  });
  for (auto sql : kCentralIndexes) w.exec(sql);
}

void write_facts(Writer& w, const Site& s) {
  if (!s.database) return;
  const Database& db = *s.database;
  for (auto sql : kFactsDdl) w.exec(sql);
  // sysfiles: sizes in 8-KB pages; 0x2 = disk file, 0x40 = log,
  // 0x100000 = growth in percent; growth 0 = no autogrow.
  std::string growth = db.autogrow ? "10" : "0";
  std::string pct = std::to_string(0x2 | 0x100000);
  std::string log_status = std::to_string(0x2 | 0x40 | 0x100000);
  w.bulk("sysfiles", {"fileid", "groupid", "name", "filename", "size", "maxsize", "growth", "status"}, [&](auto emit) {
    emit({"1", "1", db.name + "_Data", fmt::format("D:\\SQLData\\{}_Data.MDF", db.name),
          std::to_string(db.data_mb * 128), "-1", growth, pct});
    emit({"2", "0", db.name + "_Log", fmt::format("E:\\SQLLogs\\{}_Log.LDF", db.name), std::to_string(db.log_mb * 128),
          "-1", growth, log_status});
  });
  // Not a structured binding: clang before 16 cannot capture one in the
  // lambdas below (the fuzz build uses clang).
  const auto product = sql_product(db.sql);
  const std::string &version = product.first, &level = product.second;
  w.bulk("smsup_server_properties", {"DatabaseName", "ProductVersion", "ProductLevel", "Edition"}, [&](auto emit) {
    emit({db.name, version, level, std::string("Standard Edition")});
  });
  w.bulk("backupset", {"database_name", "backup_finish_date", "type"}, [&](auto emit) {
    if (s.last_backup) emit({db.name, smsup::to_string(*s.last_backup) + " 02:00:00", std::string("D")});
  });
}

// The twin's SQLite databases keep replication in SiteSettings (dbtest's
// schema); a file made only for the views gets the row from the inventory.
// The database facts go there too, as smsup.* settings, not as tables of
// their own: a new table adds pages, and dbtest scales the stand-in's pages
// to the site's size, so `smsup dbtest` on the file would no longer give the
// twin's growth figure exactly (tests/twin/cli_test.cpp holds it to that).
void sqlite_site_settings(SqliteWriter& w, const Site& s) {
  if (!s.database) return;
  const Database& db = *s.database;
  w.exec("CREATE TABLE IF NOT EXISTS SiteSettings (Name VARCHAR(64) PRIMARY KEY, Value VARCHAR(256) NOT NULL)");
  w.exec(std::string("INSERT OR IGNORE INTO SiteSettings (Name, Value) VALUES ('Replication', '") +
         (db.replication ? "true" : "false") + "')");
  const auto product = sql_product(db.sql);  // not a structured binding: see above
  const std::string &version = product.first, &level = product.second;
  std::string growth = db.autogrow ? "10" : "0";
  w.bulk("SiteSettings", {"Name", "Value"}, [&](auto emit) {
    emit({std::string("smsup.DatabaseName"), db.name});
    emit({std::string("smsup.ProductVersion"), version});
    emit({std::string("smsup.ProductLevel"), level});
    emit({std::string("smsup.Edition"), std::string("Standard Edition")});
    emit({std::string("smsup.sysfiles.data.size"), std::to_string(db.data_mb * 128)});
    emit({std::string("smsup.sysfiles.log.size"), std::to_string(db.log_mb * 128)});
    emit({std::string("smsup.sysfiles.growth"), growth});
    if (s.last_backup) emit({std::string("smsup.backupset.last_full"), smsup::to_string(*s.last_backup) + " 02:00:00"});
  });
  if (!s.last_backup) w.exec("DELETE FROM SiteSettings WHERE Name = 'smsup.backupset.last_full'");
}

}  // namespace

void write_central_views_sqlite(const Hierarchy& h, const std::string& path) {
  SqliteWriter w(path);
  write_central(w, h);
  w.commit();
}

void write_site_facts_sqlite(const Site& s, const std::string& path) {
  SqliteWriter w(path);
  sqlite_site_settings(w, s);
  w.commit();
}

void write_twin_shape_sqlite(const Hierarchy& h, const std::filesystem::path& dir) {
  for (const auto& s : h.sites) {
    if (!s.database) continue;
    std::string path = (dir / (s.code + ".db")).string();
    SqliteWriter w(path);
    sqlite_site_settings(w, s);
    if (s.is_central()) write_central(w, h);
    w.commit();
  }
}

void write_central_views_postgresql(const Hierarchy& h, const std::string& url) {
  PgWriter w(url);
  write_central(w, h);
  w.commit();
}

void write_site_facts_postgresql(const Site& s, const std::string& url) {
  PgWriter w(url);
  write_facts(w, s);
  w.commit();
}

std::string postgresql_url_with_db(const std::string& server_url, const std::string& db) {
  auto scheme = server_url.find("://");
  size_t host_from = scheme == std::string::npos ? 0 : scheme + 3;
  size_t host_end = server_url.find_first_of("/?", host_from);
  std::string query;
  if (auto q = server_url.find('?', host_from); q != std::string::npos) query = server_url.substr(q);
  return server_url.substr(0, host_end) + "/" + db + query;
}

namespace {
// Marks a database `twin make` made: only such a one is ever dropped.
constexpr std::string_view kTwinComment = "smsup twin make: SMS 2003 site database shape";
}  // namespace

std::vector<PgSiteDatabase> write_twin_shape_postgresql(const Hierarchy& h, const std::string& server_url) {
  // CREATE DATABASE runs from the database the URL names, else from
  // postgres (template1 on a cluster without it).
  bool has_db = false;
  {
    auto scheme = server_url.find("://");
    auto slash = server_url.find_first_of("/?", scheme == std::string::npos ? 0 : scheme + 3);
    has_db = slash != std::string::npos && server_url[slash] == '/' && slash + 1 < server_url.size() &&
             server_url[slash + 1] != '?';
  }
  std::unique_ptr<dbtest::PgConn> maint;
  if (has_db) {
    maint = std::make_unique<dbtest::PgConn>(server_url);
  } else {
    try {
      maint = std::make_unique<dbtest::PgConn>(server_url, "postgres");
    } catch (const InputError&) {
      maint = std::make_unique<dbtest::PgConn>(server_url, "template1");
    }
  }
  std::vector<PgSiteDatabase> out;
  std::vector<const Site*> sites;
  for (const auto& s : h.sites) {
    if (!s.database && !s.is_central()) continue;
    std::string name = "sms_";
    for (char c : s.code) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.push_back({s.code, name, postgresql_url_with_db(server_url, name), s.is_central()});
    sites.push_back(&s);
  }
  // Every name checked before any database is dropped.
  for (const auto& d : out) {
    auto rows = maint->query(
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = $1", {d.database});
    if (!rows.empty() && !rows[0][0].starts_with(kTwinComment)) {
      throw InputError({}, "--engine",
                       fmt::format("{}: database {} exists and was not made by smsup twin make; it is never "
                                   "dropped: drop it yourself or use another server",
                                   maint->where(), d.database));
    }
  }
  for (size_t i = 0; i < out.size(); ++i) {
    const auto& d = out[i];
    maint->exec("DROP DATABASE IF EXISTS " + d.database);
    maint->exec("CREATE DATABASE " + d.database);
    maint->exec(
        fmt::format("COMMENT ON DATABASE {} IS '{} of site {}; safe to drop'", d.database, kTwinComment, d.code));
    PgWriter w(server_url, d.database);
    write_facts(w, *sites[i]);
    // The collector reads replication as "is there a publication" (queries.cpp).
    if (sites[i]->database && sites[i]->database->replication) w.exec("CREATE PUBLICATION smsup_twin_replication");
    if (d.central) write_central(w, h);
    w.commit();
  }
  return out;
}

}  // namespace smsup::collect
