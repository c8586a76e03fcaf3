#include "logs/time.h"

#include <array>
#include <cctype>
#include <cstring>

#include <fmt/format.h>

#include "util/text.h"

namespace smsup::logs {
namespace {

using namespace std::chrono;

// Reads 1..max_digits digits at s[i], advancing i.
std::optional<int> number(std::string_view s, std::size_t& i, std::size_t max_digits) {
  std::size_t start = i;
  int v = 0;
  while (i < s.size() && util::is_digit(s[i]) && i - start < max_digits) v = v * 10 + (s[i++] - '0');
  if (i == start) return std::nullopt;
  return v;
}

bool expect(std::string_view s, std::size_t& i, char c) {
  if (i < s.size() && s[i] == c) {
    ++i;
    return true;
  }
  return false;
}

std::optional<LocalTime> make_local(int y, int mo, int d, int h, int mi, int sec, int ms) {
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  auto t = local_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{ms};
  return LocalTime{t};
}

// "10:02:11.453" at s[i..]; the fraction is optional and read to millisecond.
bool clock_time(std::string_view s, std::size_t& i, int& h, int& mi, int& sec, int& ms) {
  auto hh = number(s, i, 2);
  if (!hh || !expect(s, i, ':')) return false;
  auto mm = number(s, i, 2);
  if (!mm) return false;
  int ss = 0;
  if (expect(s, i, ':')) {
    auto v = number(s, i, 2);
    if (!v) return false;
    ss = *v;
  }
  ms = 0;
  if (expect(s, i, '.')) {
    int scale = 100, digits = 0;
    while (i < s.size() && util::is_digit(s[i])) {
      if (digits++ < 3) ms += (s[i] - '0') * scale, scale /= 10;
      ++i;
    }
    if (digits == 0) return false;
  }
  h = *hh, mi = *mm, sec = ss;
  return true;
}

std::optional<int> month_by_name(std::string_view s) {
  static constexpr std::array<std::string_view, 12> names{"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() < 3) return std::nullopt;
  for (std::size_t m = 0; m < names.size(); ++m) {
    bool same = true;
    for (std::size_t k = 0; k < 3; ++k)
      if (std::tolower(static_cast<unsigned char>(s[k])) != names[m][k]) same = false;
    if (same) return static_cast<int>(m) + 1;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int d2(const char* p) { return (p[0] - '0') * 10 + (p[1] - '0'); }

bool all_digits(const char* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!util::is_digit(p[i])) return false;
  return true;
}

// "MM-DD-YYYY" + "HH:MM:SS.mmm", the layout nearly every line has: read by
// position, and the day number of the last date seen is reused.
std::optional<LocalTime> fixed_mdy_time(std::string_view date, std::string_view time) {
  const char* d = date.data();
  const char* t = time.data();
  if (d[2] != '-' || d[5] != '-' || t[2] != ':' || t[5] != ':' || t[8] != '.' || !all_digits(d, 2) ||
      !all_digits(d + 3, 2) || !all_digits(d + 6, 4) || !all_digits(t, 2) || !all_digits(t + 3, 2) ||
      !all_digits(t + 6, 2) || !all_digits(t + 9, 3))
    return std::nullopt;
  thread_local char last_date[10] = {};
  thread_local local_days last_day{};
  thread_local bool have_last = false;
  if (!have_last || std::memcmp(last_date, d, 10) != 0) {
    int y = d2(d + 6) * 100 + d2(d + 8);
    year_month_day ymd{year{y}, month{static_cast<unsigned>(d2(d))}, day{static_cast<unsigned>(d2(d + 3))}};
    if (!ymd.ok()) return std::nullopt;
    std::memcpy(last_date, d, 10);
    last_day = local_days{ymd};
    have_last = true;
  }
  int h = d2(t), mi = d2(t + 3), sec = d2(t + 6);
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  int ms = (t[9] - '0') * 100 + d2(t + 10);
  return LocalTime{last_day + milliseconds{((h * 60 + mi) * 60 + sec) * 1000 + ms}};
}

}  // namespace

std::optional<LocalTime> parse_mdy_time(std::string_view date, std::string_view time) {
  if (date.size() == 10 && time.size() == 12) {
    if (auto t = fixed_mdy_time(date, time)) return t;
  }
  std::size_t i = 0;
  auto mo = number(date, i, 2);
  if (!mo || !(expect(date, i, '-') || expect(date, i, '/'))) return std::nullopt;
  auto d = number(date, i, 2);
  if (!d || !(expect(date, i, '-') || expect(date, i, '/'))) return std::nullopt;
  auto y = number(date, i, 4);
  if (!y || i != date.size()) return std::nullopt;
  if (*y < 100) *y += *y < 70 ? 2000 : 1900;
  std::size_t j = 0;
  int h = 0, mi = 0, sec = 0, ms = 0;
  if (!clock_time(time, j, h, mi, sec, ms) || j != time.size()) return std::nullopt;
  return make_local(*y, *mo, *d, h, mi, sec, ms);
}

std::optional<int> parse_bias(std::string_view s) {
  if (s.size() < 2 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  std::size_t i = 1;
  auto v = number(s, i, 4);
  if (!v || i != s.size() || *v > 24 * 60) return std::nullopt;
  return s[0] == '-' ? -*v : *v;
}

std::optional<int> windows_zone_bias(std::string_view name) {
  struct Zone {
    std::string_view name;
    int bias;
  };
  static constexpr Zone zones[] = {
      {"Coordinated Universal Time", 0},
      {"UTC", 0},
      {"GMT Standard Time", 0},
      {"GMT Daylight Time", -60},
      {"Greenwich Standard Time", 0},
      {"W. Europe Standard Time", -60},
      {"W. Europe Daylight Time", -120},
      {"Romance Standard Time", -60},
      {"Romance Daylight Time", -120},
      {"Central Europe Standard Time", -60},
      {"Central Europe Daylight Time", -120},
      {"Central European Standard Time", -60},
      {"E. Europe Standard Time", -120},
      {"FLE Standard Time", -120},
      {"Russian Standard Time", -180},
      {"India Standard Time", -330},
      {"China Standard Time", -480},
      {"Tokyo Standard Time", -540},
      {"AUS Eastern Standard Time", -600},
      {"AUS Eastern Daylight Time", -660},
      {"New Zealand Standard Time", -720},
      {"Atlantic Standard Time", 240},
      {"Atlantic Daylight Time", 180},
      {"Eastern Standard Time", 300},
      {"Eastern Daylight Time", 240},
      {"Central Standard Time", 360},
      {"Central Daylight Time", 300},
      {"Mountain Standard Time", 420},
      {"Mountain Daylight Time", 360},
      {"Pacific Standard Time", 480},
      {"Pacific Daylight Time", 420},
      {"Alaskan Standard Time", 540},
      {"Alaskan Daylight Time", 480},
      {"Hawaiian Standard Time", 600},
  };
  name = trim(name);
  for (const auto& z : zones)
    if (util::iequal(z.name, name)) return z.bias;
  return std::nullopt;
}

std::optional<Sms20Date> parse_sms20_date(std::string_view s) {
  // Weekday, month name, day, time, year, zone name (the zone may be absent).
  s = trim(s);
  std::size_t sp = s.find(' ');
  if (sp == std::string_view::npos || sp > 9) return std::nullopt;
  s = trim(s.substr(sp + 1));
  auto mo = month_by_name(s);
  if (!mo) return std::nullopt;
  sp = s.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  s = trim(s.substr(sp + 1));
  std::size_t i = 0;
  auto d = number(s, i, 2);
  if (!d || !expect(s, i, ' ')) return std::nullopt;
  while (i < s.size() && s[i] == ' ') ++i;
  int h = 0, mi = 0, sec = 0, ms = 0;
  if (!clock_time(s, i, h, mi, sec, ms) || !expect(s, i, ' ')) return std::nullopt;
  auto y = number(s, i, 4);
  if (!y || *y < 1000) return std::nullopt;
  auto local = make_local(*y, *mo, *d, h, mi, sec, ms);
  if (!local) return std::nullopt;
  return Sms20Date{*local, windows_zone_bias(s.substr(i))};
}

std::optional<TimePoint> parse_user_time(std::string_view s) {
  s = trim(s);
  std::size_t i = 0;
  auto y = number(s, i, 4);
  if (!y || i != 4 || !expect(s, i, '-')) return std::nullopt;
  auto mo = number(s, i, 2);
  if (!mo || !expect(s, i, '-')) return std::nullopt;
  auto d = number(s, i, 2);
  if (!d) return std::nullopt;
  int h = 0, mi = 0, sec = 0, ms = 0;
  if (expect(s, i, 'T') || expect(s, i, 't') || expect(s, i, ' ')) {
    if (!clock_time(s, i, h, mi, sec, ms)) return std::nullopt;
  }
  auto local = make_local(*y, *mo, *d, h, mi, sec, ms);
  if (!local) return std::nullopt;
  int offset = 0;  // minutes east of UTC
  if (expect(s, i, 'Z') || expect(s, i, 'z')) {
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int sign = s[i++] == '-' ? -1 : 1;
    std::size_t from = i;
    auto oh = number(s, i, 2);
    bool two = i == from + 2;  // ISO 8601: +05, not +5
    bool colon = expect(s, i, ':');
    from = i;
    auto om = number(s, i, 2);
    // Zones on Earth are -12:00 to +14:00: "+99:00" is a typing mistake, not a zone.
    if (!oh || !two || *oh > 14 || (colon && !om) || (om && i != from + 2) || om.value_or(0) > 59) return std::nullopt;
    offset = sign * (*oh * 60 + om.value_or(0));
  }
  if (i != s.size()) return std::nullopt;
  return TimePoint{local->time_since_epoch()} - minutes{offset};
}

std::string format_local(LocalTime t) {
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss<milliseconds> hms{t - day};
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

std::string format_utc(TimePoint t) {
  std::string s = format_local(LocalTime{t.time_since_epoch()});
  s[10] = 'T';
  return s + "Z";
}

}  // namespace smsup::logs
