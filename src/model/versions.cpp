#include "model/versions.h"

#include <array>
#include <charconv>
#include <fmt/format.h>

namespace smsup {
namespace {

constexpr std::array<std::string_view, 4> kSmsNames{"sms20", "rtm", "sp1", "sp2"};
constexpr std::array<std::string_view, 4> kSmsBuilds{"2.00.1239.0000", "2.50.2726.0018", "2.50.3174.1018",
                                                     "2.50.4160.2000"};
constexpr std::array<std::string_view, 10> kWinNames{"win95", "win98", "winme", "nt4",      "w2000",
                                                     "xp",    "w2003", "vista", "longhorn", "vs2005"};

// "2.50.3174.1018" -> {2, 50, 3174, 1018}; nullopt unless 2 to 4 numeric parts.
std::optional<std::array<long, 4>> parse_build(std::string_view s) {
  std::array<long, 4> parts{0, 0, 0, 0};
  size_t n = 0;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t dot = s.find('.', pos);
    if (dot == std::string_view::npos) dot = s.size();
    if (n == 4 || dot == pos) return std::nullopt;
    auto piece = s.substr(pos, dot - pos);
    auto [ptr, ec] = std::from_chars(piece.data(), piece.data() + piece.size(), parts[n]);
    if (ec != std::errc() || ptr != piece.data() + piece.size()) return std::nullopt;
    ++n;
    pos = dot + 1;
  }
  if (n < 2) return std::nullopt;
  return parts;
}

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

std::optional<SmsVersion> parse_sms_version(std::string_view s) {
  for (size_t i = 0; i < kSmsNames.size(); ++i) {
    if (s == kSmsNames[i]) return SmsVersion{static_cast<SmsLevel>(i), std::string(s)};
  }
  auto build = parse_build(s);
  if (!build) return std::nullopt;
  SmsLevel level = SmsLevel::sms20;
  for (size_t i = 1; i < kSmsBuilds.size(); ++i) {
    if (*parse_build(kSmsBuilds[i]) <= *build) level = static_cast<SmsLevel>(i);
  }
  return SmsVersion{level, std::string(s)};
}

std::string_view to_string(SmsLevel l) { return kSmsNames[static_cast<size_t>(l)]; }
std::string_view build_of(SmsLevel l) { return kSmsBuilds[static_cast<size_t>(l)]; }

std::optional<WinFamily> parse_win_family(std::string_view s) {
  for (size_t i = 0; i < kWinNames.size(); ++i) {
    if (s == kWinNames[i]) return static_cast<WinFamily>(i);
  }
  return std::nullopt;
}

std::string_view to_string(WinFamily f) { return kWinNames[static_cast<size_t>(f)]; }

std::string describe(const WinVersion& v) {
  static constexpr std::array<std::string_view, 10> names{
      "Windows 95", "Windows 98",          "Windows Me",    "Windows NT 4.0",   "Windows 2000",
      "Windows XP", "Windows Server 2003", "Windows Vista", "Windows Longhorn", "Virtual Server 2005"};
  auto name = names[static_cast<size_t>(v.family)];
  if (v.sp == 0) return fmt::format("{} (no service pack)", name);
  return fmt::format("{} SP{}", name, v.sp);
}

bool is_nt5(WinFamily f) { return f >= WinFamily::w2000 && f != WinFamily::vs2005; }

std::optional<SqlVersion> parse_sql_version(std::string_view s) {
  SqlVersion v;
  v.text = std::string(s);
  std::string_view rest;
  if (s == "sql65") {
    v.major = 65;
    return v;
  }
  if (s.starts_with("sql7")) {
    v.major = 70;
    rest = s.substr(4);
  } else if (s.starts_with("2000")) {
    v.major = 80;
    rest = s.substr(4);
  } else if (s.starts_with("2005")) {
    v.major = 90;
    rest = s.substr(4);
  } else {
    return std::nullopt;
  }
  if (rest.empty()) return v;
  if (!rest.starts_with("-sp")) return std::nullopt;
  rest = rest.substr(3);
  int tenths = 0;
  if (v.major == 80 && rest == "3a") {
    v.sp_rank = 35;
    return v;
  }
  int sp = 0;
  if (!parse_int(rest, sp) || sp < 1 || sp > 9) return std::nullopt;
  if (v.major == 80 && sp > 4) return std::nullopt;
  tenths = sp * 10;
  v.sp_rank = tenths;
  return v;
}

std::string describe(const SqlVersion& v) {
  std::string_view name = v.major == 65   ? "SQL Server 6.5"
                          : v.major == 70 ? "SQL Server 7.0"
                          : v.major == 80 ? "SQL Server 2000"
                                          : "SQL Server 2005";
  if (v.sp_rank == 0) return std::string(name);
  if (v.sp_rank % 10 != 0) return fmt::format("{} SP{}a", name, v.sp_rank / 10);
  return fmt::format("{} SP{}", name, v.sp_rank / 10);
}

bool sp2_site_system_supported(const WinVersion& os) {
  switch (os.family) {
    case WinFamily::w2000:
      return os.sp >= 4;
    case WinFamily::w2003:
      return true;
    case WinFamily::vs2005:
      return os.sp >= 1;
    default:
      return false;
  }
}

bool sp2_advanced_client_supported(const WinVersion& os) {
  switch (os.family) {
    case WinFamily::w2000:
      return os.sp >= 4;
    case WinFamily::xp:
      return os.sp >= 1;
    case WinFamily::w2003:
    case WinFamily::vista:
    case WinFamily::longhorn:
    case WinFamily::vs2005:
      return true;
    default:
      return false;
  }
}

bool sp2_site_database_supported(const SqlVersion& v) {
  if (v.major == 70) return v.sp_rank >= 30;
  if (v.major == 80) return v.sp_rank >= 35;
  return v.major >= 90;
}

}  // namespace smsup
