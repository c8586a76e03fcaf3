#include "twin/log_format.h"

#include <fmt/format.h>

#include "logs/writer.h"
#include "twin/log_sink.h"

namespace smsup::twin {

namespace {

logs::LocalTime local_of(int64_t epoch_s, VTime t) {
  return logs::LocalTime{std::chrono::milliseconds{epoch_s * 1000 + t}};
}

std::string without_eol(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

}  // namespace

std::string trace_line(std::string_view message, std::string_view component, int64_t epoch_s, VTime t, int thread) {
  return without_eol(logs::sms_line(message, component, local_of(epoch_s, t), 0, static_cast<uint32_t>(thread)));
}

std::string setup_line(std::string_view message, int64_t epoch_s, VTime t) {
  return without_eol(logs::setup_line(message, local_of(epoch_s, t)));
}

std::string safe_part(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == ' ' || c == '.' || c == '$';
    out += ok ? c : '_';
  }
  if (out.empty() || out == "." || out == "..") out.assign(1, '_');  // not a path step
  return out;
}

std::string setup_log_path(std::string_view host) { return safe_part(host) + "/C/SMSSetup.log"; }

std::string site_log_path(std::string_view host, std::string_view install_dir, std::string_view log_name) {
  std::string path = safe_part(host);
  // 'C:\SMS' -> "C", "SMS"
  std::string_view rest = install_dir;
  if (rest.size() >= 2 && rest[1] == ':') {
    path += '/';
    path += safe_part(rest.substr(0, 1));
    rest.remove_prefix(2);
  } else {
    path += "/C";
  }
  size_t pos = 0;
  while (pos < rest.size()) {
    size_t sep = rest.find_first_of("\\/", pos);
    if (sep == std::string_view::npos) sep = rest.size();
    auto part = rest.substr(pos, sep - pos);
    if (!part.empty() && part != "." && part != "..") {
      path += '/';
      path += safe_part(part);
    }
    pos = sep + 1;
  }
  path += "/Logs/";
  path += safe_part(log_name);
  return path;
}

std::string MemoryLogSink::text(const std::string& path) const {
  auto it = files.find(path);
  if (it == files.end()) return {};
  std::string out;
  for (const auto& l : it->second) {
    out += l;
    out += '\n';
  }
  return out;
}

bool MemoryLogSink::contains(const std::string& path, std::string_view needle) const {
  auto it = files.find(path);
  if (it == files.end()) return false;
  for (const auto& l : it->second) {
    if (l.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace smsup::twin
