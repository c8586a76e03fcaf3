#include "twin/vtime.h"

#include <fmt/format.h>

namespace smsup::twin {
namespace {

struct Parts {
  int y;
  unsigned mo, d;
  int64_t h, mi, s, ms;
};

Parts split(int64_t epoch_s, VTime t) {
  using namespace std::chrono;
  int64_t total_ms = epoch_s * 1000 + t;
  int64_t secs = total_ms >= 0 ? total_ms / 1000 : (total_ms - 999) / 1000;
  int64_t ms = total_ms - secs * 1000;
  sys_seconds tp{seconds{secs}};
  auto day = floor<days>(tp);
  year_month_day ymd{day};
  int64_t sod = (tp - day).count();
  return {static_cast<int>(ymd.year()),
          static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()),
          sod / 3600,
          sod / 60 % 60,
          sod % 60,
          ms};
}

}  // namespace

std::string trace_timestamp(int64_t epoch_s, VTime t) {
  auto p = split(epoch_s, t);
  return fmt::format("{:02}-{:02}-{:04} {:02}:{:02}:{:02}.{:03}", p.mo, p.d, p.y, p.h, p.mi, p.s, p.ms);
}

std::string iso_time(int64_t epoch_s, VTime t) {
  auto p = split(epoch_s, t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", p.y, p.mo, p.d, p.h, p.mi, p.s);
}

std::string format_duration(VTime d) {
  if (d < 0) d = 0;
  int64_t mins = (d + kMinute / 2) / kMinute;
  int64_t days = mins / (24 * 60);
  mins %= 24 * 60;
  if (days > 0) return fmt::format("{}d {:02}:{:02}", days, mins / 60, mins % 60);
  return fmt::format("{:02}:{:02}", mins / 60, mins % 60);
}

}  // namespace smsup::twin
