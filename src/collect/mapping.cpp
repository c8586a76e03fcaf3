#include "collect/mapping.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace smsup::collect {
namespace {

bool contains(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

int number(std::string_view s) {
  int v = -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() ? v : -1;
}

}  // namespace

std::optional<std::string> sms_version_of(std::string_view version) {
  version = trim(version);
  if (version.empty()) return std::nullopt;
  // major.minor.build[.rest]
  size_t d1 = version.find('.');
  if (d1 == std::string_view::npos) return std::nullopt;
  size_t d2 = version.find('.', d1 + 1);
  int major = number(version.substr(0, d1));
  int minor = number(version.substr(d1 + 1, d2 == std::string_view::npos ? std::string_view::npos : d2 - d1 - 1));
  if (version.find_first_not_of("0123456789.") != std::string_view::npos) return std::nullopt;
  if (major == 2 && minor == 0) return std::string("sms20");
  if (major != 2 || minor != 50 || d2 == std::string_view::npos) return std::nullopt;
  size_t d3 = version.find('.', d2 + 1);
  int build = number(version.substr(d2 + 1, d3 == std::string_view::npos ? std::string_view::npos : d3 - d2 - 1));
  if (build == 2726) return std::string("rtm");
  if (build == 3174) return std::string("sp1");
  if (build == 4160) return std::string("sp2");
  if (build <= 0) return std::nullopt;
  return std::string(version);
}

std::string_view sms_build_string(SmsLevel l) {
  switch (l) {
    case SmsLevel::sms20:
      return "2.00.1493.2000";
    case SmsLevel::rtm:
      return "2.50.2726.0018";
    case SmsLevel::sp1:
      return "2.50.3174.1018";
    case SmsLevel::sp2:
      return "2.50.4160.2000";
  }
  return "";
}

namespace {
struct RoleRow {
  Role role;
  std::string_view name;
};
// The RoleName strings of the research notes (section 2).
constexpr RoleRow kRoles[] = {
    {Role::site_server, "SMS Site Server"},
    {Role::database_server, "SMS SQL Server"},
    {Role::provider, "SMS Provider"},
    {Role::management_point, "SMS Management Point"},
    {Role::distribution_point, "SMS Distribution Point"},
    {Role::reporting_point, "SMS Reporting Point"},
    {Role::server_locator_point, "SMS Server Locator Point"},
    {Role::client_access_point, "SMS Client Access Point"},
};
}  // namespace

std::optional<Role> role_of(std::string_view role_name) {
  role_name = trim(role_name);
  for (const auto& r : kRoles) {
    if (r.name.size() == role_name.size() && contains(role_name, r.name)) return r.role;
  }
  return std::nullopt;
}

std::string_view role_name(Role r) {
  for (const auto& row : kRoles) {
    if (row.role == r) return row.name;
  }
  return "";
}

std::optional<WinFamily> os_of(std::string_view caption, std::string_view os_name) {
  caption = trim(caption);
  if (!caption.empty()) {
    if (contains(caption, "Virtual Server 2005")) return WinFamily::vs2005;
    if (contains(caption, "Longhorn")) return WinFamily::longhorn;
    if (contains(caption, "Vista")) return WinFamily::vista;
    if (contains(caption, "2003")) return WinFamily::w2003;
    if (contains(caption, "XP")) return WinFamily::xp;
    if (contains(caption, "2000")) return WinFamily::w2000;
    if (contains(caption, "Millennium") || contains(caption, "Windows ME")) return WinFamily::winme;
    if (contains(caption, "98")) return WinFamily::win98;
    if (contains(caption, "95")) return WinFamily::win95;
    if (contains(caption, "NT")) return WinFamily::nt4;
  }
  // "Microsoft Windows NT Workstation 5.1": the NT version number.
  os_name = trim(os_name);
  if (os_name.empty()) return std::nullopt;
  auto sp = os_name.rfind(' ');
  std::string_view ver = sp == std::string_view::npos ? os_name : os_name.substr(sp + 1);
  if (ver == "4.0") return WinFamily::nt4;
  if (ver == "5.0") return WinFamily::w2000;
  if (ver == "5.1") return WinFamily::xp;
  if (ver == "5.2") return contains(os_name, "Workstation") ? WinFamily::xp : WinFamily::w2003;  // XP x64 is 5.2
  if (ver == "6.0") return WinFamily::vista;
  if (contains(os_name, "Windows 98")) return WinFamily::win98;
  if (contains(os_name, "Windows 95")) return WinFamily::win95;
  if (contains(os_name, "Windows ME")) return WinFamily::winme;
  return std::nullopt;
}

int os_sp_of(std::string_view csd) {
  csd = trim(csd);
  auto at = csd.find_first_of("0123456789");
  if (at == std::string_view::npos) return 0;
  int n = number(csd.substr(at, 1));
  return n < 0 ? 0 : n;
}

Edition edition_of(std::string_view caption) {
  if (contains(caption, "Datacenter")) return Edition::datacenter;
  if (contains(caption, "Enterprise")) return Edition::enterprise;
  if (contains(caption, "Advanced Server")) return Edition::advanced;
  return Edition::standard;
}

std::string os_caption(WinFamily f, Edition e) {
  switch (f) {
    case WinFamily::win95:
      return "Microsoft Windows 95";
    case WinFamily::win98:
      return "Microsoft Windows 98";
    case WinFamily::winme:
      return "Microsoft Windows Millennium Edition";
    case WinFamily::nt4:
      return "Microsoft Windows NT Server 4.0";
    case WinFamily::w2000:
      return e == Edition::advanced     ? "Microsoft Windows 2000 Advanced Server"
             : e == Edition::datacenter ? "Microsoft Windows 2000 Datacenter Server"
                                        : "Microsoft Windows 2000 Server";
    case WinFamily::xp:
      return "Microsoft Windows XP Professional";
    case WinFamily::w2003:
      return e == Edition::enterprise   ? "Microsoft(R) Windows(R) Server 2003, Enterprise Edition"
             : e == Edition::datacenter ? "Microsoft(R) Windows(R) Server 2003, Datacenter Edition"
                                        : "Microsoft(R) Windows(R) Server 2003, Standard Edition";
    case WinFamily::vista:
      return "Microsoft Windows Vista Business";
    case WinFamily::longhorn:
      return "Microsoft Windows Server Longhorn";
    case WinFamily::vs2005:
      return "Microsoft Virtual Server 2005";
  }
  return "";
}

std::string os_name_and(WinFamily f, Edition e) {
  switch (f) {
    case WinFamily::win95:
      return "Microsoft Windows 95";
    case WinFamily::win98:
      return "Microsoft Windows 98";
    case WinFamily::winme:
      return "Microsoft Windows ME";
    case WinFamily::nt4:
      return "Microsoft Windows NT Server 4.0";
    case WinFamily::w2000:
      return e == Edition::advanced ? "Microsoft Windows NT Advanced Server 5.0" : "Microsoft Windows NT Server 5.0";
    case WinFamily::xp:
      return "Microsoft Windows NT Workstation 5.1";
    case WinFamily::w2003:
      return "Microsoft Windows NT Server 5.2";
    case WinFamily::vista:
      return "Microsoft Windows NT Workstation 6.0";
    case WinFamily::longhorn:
      return "Microsoft Windows NT Server 6.0";
    case WinFamily::vs2005:
      return "Microsoft Windows NT Server 5.2";
  }
  return "";
}

Arch arch_of(std::string_view system_type) { return contains(system_type, "x64") ? Arch::x64 : Arch::x86; }

std::string ie_of(std::string_view v) {
  v = trim(v);
  auto dot = v.find('.');
  if (dot == std::string_view::npos || dot + 1 >= v.size()) return {};
  int major = number(v.substr(0, dot));
  char minor = v[dot + 1];
  if (major < 1 || major > 20 || !std::isdigit(static_cast<unsigned char>(minor))) return {};
  return fmt::format("{}.{}", major, minor);
}

std::string ie_file_version(int ie_tenths) {
  if (ie_tenths < 0) return {};
  int major = ie_tenths / 10, minor = ie_tenths % 10;
  if (major == 6 && minor == 0) return "6.00.2900.2180";
  if (major == 5 && minor == 5) return "5.50.4807.2300";
  return fmt::format("{}.{}0.0000.0000", major, minor);
}

std::optional<std::string> sql_version_of(std::string_view pv, std::string_view level) {
  pv = trim(pv);
  level = trim(level);
  auto dot = pv.find('.');
  int major = number(pv.substr(0, dot));
  std::string lv;
  for (char c : level) lv += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string sp = lv == "rtm" || lv.empty() ? "" : lv;  // "sp4"
  if (!sp.empty() && (sp.size() < 3 || sp.substr(0, 2) != "sp")) return std::nullopt;
  switch (major) {
    case 6:
      return std::string("sql65");
    case 7:
      return sp.empty() ? std::string("sql7") : "sql7-" + sp;
    case 8:
      // SP3 and SP3a share build 8.00.760: the database cannot tell them
      // apart, and the rule needs to (SP3a is the minimum).
      if (sp == "sp3") return std::nullopt;
      return sp.empty() ? std::string("2000") : "2000-" + sp;
    case 9:
      return sp.empty() ? std::string("2005") : "2005-" + sp;
    default:
      return std::nullopt;
  }
}

std::pair<std::string, std::string> sql_product(const SqlVersion& v) {
  std::string level = v.sp_rank == 0 ? "RTM" : fmt::format("SP{}", v.sp_rank / 10);
  switch (v.major) {
    case 65:
      return {"6.50.479", level};
    case 70:
      return {"7.00.1063", level};
    case 80: {
      static constexpr std::pair<int, std::string_view> builds[] = {
          {0, "8.00.194"}, {10, "8.00.384"}, {20, "8.00.532"}, {30, "8.00.760"}, {35, "8.00.760"}, {40, "8.00.2039"}};
      std::string b = "8.00.2039";
      for (auto [rank, build] : builds) {
        if (rank == v.sp_rank) b = build;
      }
      return {b, level};
    }
    case 90:
      return {v.sp_rank == 0 ? "9.00.1399.06" : fmt::format("9.00.{}", 2047 + v.sp_rank), level};
    default:
      return {fmt::format("{}.00", v.major / 10), level};
  }
}

}  // namespace smsup::collect
