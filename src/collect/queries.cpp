// Every SQL statement `smsup inventory collect` runs, in one file for review.
//
// Only SELECTs: the collector never writes (source.h refuses anything else
// before the driver sees it, and the connection is opened read-only).
//
// SQL Server (production, SMS 2003 on SQL Server 2000/2005): written for SQL
// Server 2000 (no CTE, no ROW_NUMBER, no sys.* catalog views), after the
// sample SELECTs of shared/research/sms2003-sql-views.md section 7. NONE of
// them has been run against a real SQL Server: there is none here. They were
// checked only by reading them against the research notes (docs/collect.md).
//
// SQLite and PostgreSQL: the twin's site databases (`smsup twin make`). The
// central-database statements are the same text on every engine (plain
// SQL-92: COALESCE, LEFT JOIN, a derived table); only the database facts
// differ, because SERVERPROPERTY, DATABASEPROPERTYEX and msdb exist on SQL
// Server alone. The twin keeps their equivalents in each primary's database:
// on PostgreSQL the tables sysfiles (same columns as SQL Server's),
// smsup_server_properties (what SERVERPROPERTY answers) and backupset
// (msdb.dbo.backupset's columns); on SQLite the same values as smsup.* rows
// of SiteSettings.
#include "collect/queries.h"

namespace smsup::collect {
namespace {

// 7.1 of the research: every site of the hierarchy, secondaries included
// (children replicate their site data up to the central site).
constexpr std::string_view kSites = R"(
SELECT SiteCode, SiteName, ReportingSiteCode, Type, Version, BuildNumber,
       ServerName, InstallDir, Status
FROM   v_Site
ORDER  BY SiteCode)";

// 7.2: site systems and their roles.
constexpr std::string_view kSystems = R"(
SELECT SiteCode, ServerName, RoleName
FROM   v_SystemResourceList
ORDER  BY SiteCode, ServerName, RoleName)";

// 7.4: the OS of the site systems that have an inventory record. Every
// discovered machine is read and matched to the site systems in the tool (a
// ServerName may be an FQDN, the NetBIOS name never is).
constexpr std::string_view kSystemOs = R"(
SELECT r.Netbios_Name0, os.Caption0, os.CSDVersion0, r.Operating_System_Name_and0
FROM   v_R_System r
LEFT   JOIN v_GS_OPERATING_SYSTEM os ON os.ResourceID = r.ResourceID
WHERE  r.Netbios_Name0 IN (SELECT ServerName FROM v_SystemResourceList)
ORDER  BY r.Netbios_Name0)";

// 7.5: one row per client and assigned site. IE is the highest iexplore.exe
// version found (a string MAX: right for IE 5.x to 9.x). A client with two
// assigned-site rows, or two records under one name, comes twice: the tool
// keeps the first and reports the others. Sorted by name so that duplicates
// are neighbours and the output is stable.
constexpr std::string_view kClients = R"(
SELECT r.ResourceID, r.Netbios_Name0, a.SMS_Assigned_Sites0,
       r.Client_Type0, r.Client_Version0, r.Operating_System_Name_and0,
       os.Caption0, os.CSDVersion0, cs.SystemType0, ie.ie_version
FROM   v_R_System r
LEFT   JOIN v_RA_System_SMSAssignedSites a ON a.ResourceID = r.ResourceID
LEFT   JOIN v_GS_OPERATING_SYSTEM os ON os.ResourceID = r.ResourceID
LEFT   JOIN v_GS_COMPUTER_SYSTEM  cs ON cs.ResourceID = r.ResourceID
LEFT   JOIN (SELECT ResourceID, MAX(FileVersion) AS ie_version
             FROM   v_GS_SoftwareFile
             WHERE  FileName = 'iexplore.exe'
             GROUP  BY ResourceID) ie ON ie.ResourceID = r.ResourceID
WHERE  r.Client0 = 1 AND COALESCE(r.Obsolete0, 0) = 0
ORDER  BY r.Netbios_Name0, r.ResourceID)";

// Obsolete client records (a reinstalled client leaves its old record
// behind): counted and reported, not read as clients.
constexpr std::string_view kObsolete = R"(
SELECT COUNT(*) FROM v_R_System WHERE Client0 = 1 AND Obsolete0 = 1)";

// 7.7, SQL Server: the database, the server's version and replication.
constexpr std::string_view kServerMssql = R"(
SELECT DB_NAME(),
       CAST(SERVERPROPERTY('ProductVersion') AS varchar(32)),
       CAST(SERVERPROPERTY('ProductLevel') AS varchar(32)),
       CAST(SERVERPROPERTY('Edition') AS varchar(64)),
       CAST(DATABASEPROPERTYEX(DB_NAME(), 'IsPublished') AS int),
       CAST(DATABASEPROPERTYEX(DB_NAME(), 'IsMergePublished') AS int))";

// The twin's SQLite database keeps its facts as SiteSettings rows (the
// twin's and dbtest's settings table; twin_shape.cpp says why not tables),
// replication under the name dbtest reads.
constexpr std::string_view kServerSqlite = R"(
SELECT (SELECT Value FROM SiteSettings WHERE Name = 'smsup.DatabaseName'),
       (SELECT Value FROM SiteSettings WHERE Name = 'smsup.ProductVersion'),
       (SELECT Value FROM SiteSettings WHERE Name = 'smsup.ProductLevel'),
       (SELECT Value FROM SiteSettings WHERE Name = 'smsup.Edition'),
       (SELECT CASE WHEN Value = 'true' THEN 1 ELSE 0 END
        FROM SiteSettings WHERE Name = 'Replication'),
       0)";

// The twin's PostgreSQL database: replication is a publication there.
constexpr std::string_view kServerPostgresql = R"(
SELECT DatabaseName, ProductVersion, ProductLevel, Edition,
       CASE WHEN EXISTS (SELECT 1 FROM pg_publication) THEN 1 ELSE 0 END,
       0
FROM   smsup_server_properties)";

// 7.7: data and log files. size and growth in 8-KB pages; status 0x40 = log
// file, 0x100000 = growth is a percentage; growth 0 = no autogrow. The
// arithmetic is done in the tool (collect.cpp), the same for every engine.
constexpr std::string_view kFiles = R"(
SELECT name, size, maxsize, growth, status
FROM   sysfiles)";

// 7.8, SQL Server: the last full backup of this database (msdb, same server).
constexpr std::string_view kBackupMssql = R"(
SELECT CONVERT(varchar(10), MAX(b.backup_finish_date), 120)
FROM   msdb.dbo.backupset b
WHERE  b.database_name = DB_NAME() AND b.type = 'D')";

// The twin's SQLite database: sysfiles' two rows from SiteSettings.
constexpr std::string_view kFilesSqlite = R"(
SELECT 'data', (SELECT Value FROM SiteSettings WHERE Name = 'smsup.sysfiles.data.size'), -1,
       (SELECT Value FROM SiteSettings WHERE Name = 'smsup.sysfiles.growth'), 1048578
UNION ALL
SELECT 'log', (SELECT Value FROM SiteSettings WHERE Name = 'smsup.sysfiles.log.size'), -1,
       (SELECT Value FROM SiteSettings WHERE Name = 'smsup.sysfiles.growth'), 1048642)";

constexpr std::string_view kBackupSqlite = R"(
SELECT Value FROM SiteSettings WHERE Name = 'smsup.backupset.last_full')";

// The twin keeps msdb's backupset rows in the site database itself.
constexpr std::string_view kBackupTwin = R"(
SELECT MAX(backup_finish_date)
FROM   backupset
WHERE  type = 'D')";

const Queries kMssql{kSites, kSystems, kSystemOs, kClients, kObsolete, kServerMssql, kFiles, kBackupMssql};
const Queries kSqlite{kSites, kSystems, kSystemOs, kClients, kObsolete, kServerSqlite, kFilesSqlite, kBackupSqlite};
const Queries kPostgresql{kSites, kSystems, kSystemOs, kClients, kObsolete, kServerPostgresql, kFiles, kBackupTwin};

}  // namespace

const Queries& queries(Dialect d) {
  switch (d) {
    case Dialect::sqlite:
      return kSqlite;
    case Dialect::postgresql:
      return kPostgresql;
    case Dialect::mssql:
      break;
  }
  return kMssql;
}

const std::vector<ViewNeed>& central_views() {
  // "since": the SMS version whose site database has the view and columns
  // (SMS 2003 SDK / view references, see the research notes).
  static const std::vector<ViewNeed> kViews{
      {"v_Site",
       {"SiteCode", "SiteName", "ReportingSiteCode", "Type", "Version", "BuildNumber", "ServerName", "InstallDir",
        "Status"},
       "SMS 2003 (SMS_Site)"},
      {"v_SystemResourceList", {"SiteCode", "ServerName", "RoleName"}, "SMS 2003 (SMS_SystemResourceList)"},
      {"v_R_System",
       {"ResourceID", "Netbios_Name0", "Client0", "Client_Type0", "Client_Version0", "Obsolete0",
        "Operating_System_Name_and0"},
       "SMS 2003 (System_DISC, Advanced Client discovery)"},
      {"v_RA_System_SMSAssignedSites",
       {"ResourceID", "SMS_Assigned_Sites0"},
       "SMS 2003 (SMS_R_System.SMSAssignedSites)"},
      {"v_GS_OPERATING_SYSTEM", {"ResourceID", "Caption0", "CSDVersion0"}, "SMS 2003 hardware inventory (SMS_def.mof)"},
      {"v_GS_COMPUTER_SYSTEM", {"ResourceID", "SystemType0"}, "SMS 2003 hardware inventory (SMS_def.mof)"},
      {"v_GS_SoftwareFile", {"ResourceID", "FileName", "FileVersion"}, "SMS 2003 software inventory"},
  };
  return kViews;
}

}  // namespace smsup::collect
