#include "web/html.h"

#include <ctime>

#include "plan/schedule.h"

namespace smsup::web {

void esc_to(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  esc_to(out, s);
  return out;
}

void put_data(std::string& out, std::string_view id, std::string_view json_text) {
  out += "<script type=\"application/json\" id=\"";
  out += id;
  out += "\">";
  for (char c : json_text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  out += "</script>";
}

std::string minutes_text(double minutes) { return plan::format_minutes(minutes); }

std::string time_text(double t) {
  if (t <= 0) return "-";
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

}  // namespace smsup::web
