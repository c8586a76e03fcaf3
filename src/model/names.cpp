#include "model/names.h"

#include <cctype>

namespace smsup {

bool windows_host_name(std::string_view h) {
  if (h.empty() || h.size() > 253 || h.back() == '.') return false;
  std::size_t label = 0;
  for (std::size_t i = 0; i <= h.size(); ++i) {
    if (i == h.size() || h[i] == '.') {
      if (label == 0 || label > 63 || h[i - 1] == '-' || h[i - label] == '-') return false;
      label = 0;
      continue;
    }
    char c = h[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
    ++label;
  }
  return true;
}

std::string sql_server_problem(std::string_view server) {
  std::string_view host = server;
  if (auto comma = host.find(','); comma != std::string_view::npos) {
    auto port = host.substr(comma + 1);
    bool digits = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string_view::npos;
    if (!digits) return "has a port that is not a number; expected HOST, HOST\\INSTANCE or HOST,PORT";
    host = host.substr(0, comma);
  }
  if (auto bs = host.find('\\'); bs != std::string_view::npos) {
    auto inst = host.substr(bs + 1);
    bool ok = !inst.empty() && inst.size() <= 16;
    for (char c : inst) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$');
    if (!ok) return "has an instance name SQL Server cannot have; expected 1-16 letters, digits, _ or $";
    host = host.substr(0, bs);
  }
  if (!windows_host_name(host)) {
    return "is not a name a Windows host can have; expected a NetBIOS or DNS name (letters, digits, '-' and '_', "
           "dots between labels)";
  }
  return {};
}

}  // namespace smsup
