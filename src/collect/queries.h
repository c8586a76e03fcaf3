// Every statement the collector runs, per engine. The text itself is in
// queries.cpp, one file for a reviewer to read; nothing else builds SQL.
#pragma once

#include <string_view>
#include <vector>

#include "collect/source.h"

namespace smsup::collect {

struct Queries {
  // Central database: the hierarchy and the clients (columns in this order).
  std::string_view
      sites;  // SiteCode, SiteName, ReportingSiteCode, Type, Version, BuildNumber, ServerName, InstallDir, Status
  std::string_view systems;    // SiteCode, ServerName, RoleName
  std::string_view system_os;  // Netbios_Name0, Caption0, CSDVersion0, Operating_System_Name_and0
  std::string_view clients;    // ResourceID, Netbios_Name0, SMS_Assigned_Sites0, Client_Type0, Client_Version0,
                               // Operating_System_Name_and0, Caption0, CSDVersion0, SystemType0, ie_version
  std::string_view obsolete;   // COUNT of obsolete client rows
  // A primary site's own database.
  std::string_view server;       // db name, ProductVersion, ProductLevel, Edition, IsPublished, IsMergePublished
  std::string_view files;        // name, size (8-KB pages), maxsize, growth, status (sysfiles)
  std::string_view last_backup;  // date of the last full backup
};

const Queries& queries(Dialect d);

// A view the collector reads, the columns it needs, and the SMS version that
// has them (for the message when one is missing).
struct ViewNeed {
  std::string_view view;
  std::vector<std::string_view> columns;
  std::string_view since;
};
const std::vector<ViewNeed>& central_views();

}  // namespace smsup::collect
