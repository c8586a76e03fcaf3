#include "logs/writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/error.h"

namespace smsup::logs {
namespace {

using namespace std::chrono;

struct Parts {
  int year;
  unsigned month, day;
  long hour, minute, second, millis;
};

Parts split(LocalTime t) {
  auto d = floor<days>(t);
  year_month_day ymd{d};
  hh_mm_ss<milliseconds> hms{t - d};
  return {static_cast<int>(ymd.year()),
          static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()),
          static_cast<long>(hms.hours().count()),
          static_cast<long>(hms.minutes().count()),
          static_cast<long>(hms.seconds().count()),
          static_cast<long>(hms.subseconds().count())};
}

}  // namespace

std::string sms_line(std::string_view message, std::string_view component, LocalTime local, int bias_minutes,
                     std::uint32_t thread) {
  Parts p = split(local);
  return fmt::format("{}  $$<{}><{:02}-{:02}-{:04} {:02}:{:02}:{:02}.{:03}{:+04}><thread={} (0x{:X})>\r\n", message,
                     component, p.month, p.day, p.year, p.hour, p.minute, p.second, p.millis, bias_minutes, thread,
                     thread);
}

std::string cmtrace_line(std::string_view message, std::string_view component, LocalTime local, int bias_minutes,
                         std::uint32_t thread, Severity type, std::string_view file) {
  Parts p = split(local);
  return fmt::format(
      "<![LOG[{}]LOG]!><time=\"{:02}:{:02}:{:02}.{:03}{:+04}\" date=\"{:02}-{:02}-{:04}\" "
      "component=\"{}\" context=\"\" type=\"{}\" thread=\"{}\" file=\"{}\">\r\n",
      message, p.hour, p.minute, p.second, p.millis, bias_minutes, p.month, p.day, p.year, component,
      static_cast<int>(type), thread, file);
}

std::string setup_line(std::string_view message, LocalTime local) {
  Parts p = split(local);
  return fmt::format("<{:02}-{:02}-{:04} {:02}:{:02}:{:02}> {}\r\n", p.month, p.day, p.year, p.hour, p.minute, p.second,
                     message);
}

void append_to_file(const std::filesystem::path& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError({path.string(), 0, 0}, "", std::string("cannot write: ") + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t w = ::write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      int err = errno;
      ::close(fd);
      throw InputError({path.string(), 0, 0}, "", std::string("cannot write: ") + std::strerror(err));
    }
    done += static_cast<std::size_t>(w);
  }
  ::close(fd);
}

LocalTime make_local_time(int year, unsigned month, unsigned day, int hour, int minute, int second, int millis) {
  return LocalTime{
      local_days{year_month_day{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{day}}} +
      hours{hour} + minutes{minute} + seconds{second} + milliseconds{millis}};
}

}  // namespace smsup::logs
