// What the SMS site database's values mean in the inventory's terms
// (shared/spec/inventory.md), as pure functions: tested on their own, and
// shared with the twin's writer so that both sides agree on one table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/hierarchy.h"

namespace smsup::collect {

// v_Site.Version / Client_Version0 -> "sms20", "rtm", "sp1", "sp2" by build
// (2.50.2726 RTM, 2.50.3174 SP1, 2.50.4160 SP2, 2.00.x SMS 2.0); another
// 2.50 build is kept as the string (the loader maps it to the nearest level
// at or below). nullopt: not an SMS 2.0/2003 version at all.
std::optional<std::string> sms_version_of(std::string_view version);
// The version string the twin writes for a level ("2.50.3174.1018").
std::string_view sms_build_string(SmsLevel l);

// v_SystemResourceList.RoleName -> a role; nullopt for the generic ones
// ("SMS Site System", "SMS Component Server") and any other.
std::optional<Role> role_of(std::string_view role_name);
std::string_view role_name(Role r);

// Caption0 (or, without hardware inventory, Operating_System_Name_and0) ->
// the Windows family; CSDVersion0 -> service pack; Caption0 -> edition.
std::optional<WinFamily> os_of(std::string_view caption, std::string_view os_name);
int os_sp_of(std::string_view csd_version);
Edition edition_of(std::string_view caption);
// What the twin writes for an OS: Caption0, Operating_System_Name_and0.
std::string os_caption(WinFamily f, Edition e);
std::string os_name_and(WinFamily f, Edition e);

// SystemType0 -> architecture ("x64-based PC" -> x64; anything else x86).
Arch arch_of(std::string_view system_type);
// iexplore.exe FileVersion "6.00.2900.2180 (xpsp...)" -> "6.0"; "" unknown.
std::string ie_of(std::string_view file_version);
std::string ie_file_version(int ie_tenths);  // the twin's: 55 -> "5.50.4807.2300"

// SERVERPROPERTY ProductVersion + ProductLevel -> inventory `sql`
// ("2000-sp4"); nullopt when the database cannot tell (8.00.760 is SP3 or
// SP3a) or the version is unknown.
std::optional<std::string> sql_version_of(std::string_view product_version, std::string_view product_level);
// The twin's answer for an inventory SQL version: ProductVersion, ProductLevel.
std::pair<std::string, std::string> sql_product(const SqlVersion& v);

}  // namespace smsup::collect
