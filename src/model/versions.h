// Ordered version values for SMS, Windows and SQL Server, in the checklist's
// terms. Parsing returns std::nullopt for an unknown spelling; callers turn
// that into a located InputError.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace smsup {

// SMS site, console and client levels, in upgrade order.
enum class SmsLevel { sms20 = 0, rtm = 1, sp1 = 2, sp2 = 3 };

struct SmsVersion {
  SmsLevel level = SmsLevel::rtm;
  std::string text;  // as written: "sp1" or "2.50.3174.1018"
  auto operator<=>(const SmsVersion& o) const { return level <=> o.level; }
  bool operator==(const SmsVersion& o) const { return level == o.level; }
};

// "sms20", "rtm", "sp1", "sp2", or a build "2.50.3174.1018", which maps to the
// nearest named level at or below it (RTM 2.50.2726.0018, SP1 2.50.3174.1018,
// SP2 2.50.4160.2000; anything older is SMS 2.0).
std::optional<SmsVersion> parse_sms_version(std::string_view s);
std::string_view to_string(SmsLevel l);
// Build number of a named level, e.g. "2.50.3174.1018".
std::string_view build_of(SmsLevel l);

// Windows families, in release order. vs2005 is the Virtual Server 2005 guest
// platform, which the checklist lists as a site system platform from SP1 on.
enum class WinFamily { win95, win98, winme, nt4, w2000, xp, w2003, vista, longhorn, vs2005 };

struct WinVersion {
  WinFamily family = WinFamily::w2003;
  int sp = 0;
  auto operator<=>(const WinVersion&) const = default;
};

std::optional<WinFamily> parse_win_family(std::string_view s);
std::string_view to_string(WinFamily f);
// "Windows Server 2003 SP1", "Windows 2000 SP3", "Windows XP (no SP)".
std::string describe(const WinVersion& v);
// Windows 2000, XP, Server 2003 and later: the checklist's "NT5" platforms.
bool is_nt5(WinFamily f);

// SQL Server: major (65, 70, 80 = 2000, 90 = 2005) and service pack rank, in
// tenths so that 2000 SP3a (35) sits between SP3 (30) and SP4 (40).
struct SqlVersion {
  int major = 80;
  int sp_rank = 0;
  std::string text;
  auto operator<=>(const SqlVersion& o) const {
    if (auto c = major <=> o.major; c != 0) return c;
    return sp_rank <=> o.sp_rank;
  }
  bool operator==(const SqlVersion& o) const { return major == o.major && sp_rank == o.sp_rank; }
};

// "sql65", "sql7", "sql7-sp3", "2000", "2000-sp3a", "2005", "2005-sp1".
std::optional<SqlVersion> parse_sql_version(std::string_view s);
std::string describe(const SqlVersion& v);

// The SMS 2003 SP2 support matrix of the checklist, in one place for the
// rules, the planner and the twin.
// Site systems: Windows 2000 (any server edition) SP4 or later, Windows Server
// 2003 (any edition, any SP), Virtual Server 2005 SP1 or later.
bool sp2_site_system_supported(const WinVersion& os);
// Advanced Client: Windows 2000 SP4, Windows XP SP1, Windows Server 2003 or later.
bool sp2_advanced_client_supported(const WinVersion& os);
// Site database: SQL Server 7.0 SP3, 2000 SP3a, 2005 or later.
bool sp2_site_database_supported(const SqlVersion& v);

}  // namespace smsup
