#include "smb/auth.h"

#include <cctype>
#include <cstdlib>
#include <sstream>

#include "util/error.h"
#include "util/input_file.h"

namespace smsup::smb {
namespace {

std::string trim(std::string s) {
  auto space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && space(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && space(s[i])) ++i;
  return s.substr(i);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Credentials read_auth_file(const std::filesystem::path& file) {
  // Read as every input is: a FIFO refused without blocking, the size bounded.
  std::istringstream in(read_input_file(file, "an SMB authentication file (smbclient -A format)", limits::kSmallText));
  Credentials c;
  c.file = file;
  bool has_user = false, has_password = false;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = lower(trim(line.substr(0, eq)));
    // smbclient keeps the value's trailing spaces (a password may end in one);
    // only the spaces after '=' go.
    std::string value = line.substr(eq + 1);
    std::size_t lead = 0;
    while (lead < value.size() && (value[lead] == ' ' || value[lead] == '\t')) ++lead;
    value.erase(0, lead);
    if (key == "username") {
      std::size_t sep = value.find_first_of("\\/");
      if (sep != std::string::npos) {
        c.domain = value.substr(0, sep);
        value.erase(0, sep + 1);
      }
      c.user = value;
      has_user = true;
    } else if (key == "password") {
      c.password = value;
      has_password = true;
    } else if (key == "domain" || key == "workgroup") {
      c.domain = value;
    }
  }
  if (!has_user || c.user.empty())
    throw InputError({file.string()}, "--smb-auth", "no 'username = ...' line (smbclient -A format)");
  if (!has_password) throw InputError({file.string()}, "--smb-auth", "no 'password = ...' line (smbclient -A format)");
  return c;
}

Credentials credentials_from(const std::string& option) {
  if (!option.empty()) return read_auth_file(option);
  const char* env = std::getenv("SMSUP_SMB_AUTH");
  if (env != nullptr && *env != '\0') return read_auth_file(env);
  throw InputError({}, "--smb-auth",
                   "an smb:// location needs an authentication file (username =, password =, domain = lines, as "
                   "smbclient -A reads): give --smb-auth FILE or set SMSUP_SMB_AUTH");
}

}  // namespace smsup::smb
