// `smsup verify SITE --logs DIR`: which completion milestones a site's logs show.
#pragma once

#include <string>

#include "cli/output.h"
#include "cli/smb_cli.h"
#include "logs/follow.h"

namespace smsup::cli {

struct VerifyOptions {
  SmbCliOptions smb;     // --logs smb://...
  std::string site;      // SITE
  std::string logs_dir;  // --logs: a folder or smb:// URL
  std::string since;     // a time; empty: none
  std::string wait;      // a duration; empty: do not wait
  std::string install_dir = "C:\\SMS";
  std::string format = "text";                                         // text | json
  int poll_ms = static_cast<int>(logs::kDefaultPollInterval.count());  // with --wait: 1..3600000
};
// 0 verified, 1 not (yet).
int run_verify(const VerifyOptions& o, Output& out);

}  // namespace smsup::cli
