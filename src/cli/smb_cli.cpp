#include "cli/smb_cli.h"

#include <CLI/CLI.hpp>

#include "logs/time.h"
#include "util/error.h"

namespace smsup::cli {

void add_smb_options(CLI::App* sub, SmbCliOptions& o) {
  sub->add_option("--smb-auth", o.auth,
                  "For smb://[DOMAIN;]USER@SERVER[:PORT]/SHARE/path locations: the authentication file in the "
                  "smbclient -A format (username =, password =, domain = lines); default $SMSUP_SMB_AUTH. "
                  "Passwords are never taken on the command line");
  sub->add_option("--smb-timeout", o.timeout,
                  "How long to wait for an SMB server to connect and to answer each request (15s, 2m)")
      ->capture_default_str();
}

smb::Access smb_access(const SmbCliOptions& o) {
  smb::Access a;
  a.auth_file = o.auth;
  auto t = logs::parse_duration(o.timeout);
  if (!t || t->count() <= 0)
    throw InputError({}, "--smb-timeout", "expected a duration such as 15s or 2m, got '" + o.timeout + "'");
  a.client.timeout = *t;
  return a;
}

}  // namespace smsup::cli
