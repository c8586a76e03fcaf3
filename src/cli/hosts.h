// `smsup hosts check HOSTS.yaml --plan PLAN`: the preflight of every host a
// shell run would touch (drivers/preflight.h), before anything runs.
#pragma once

#include <string>

#include "cli/output.h"
#include "cli/smb_cli.h"

namespace smsup::cli {

struct HostsCheckOptions {
  std::string hosts;            // HOSTS.yaml
  std::string plan;             // --plan
  std::string inventory;        // default: the plan's own, when it can be found
  std::string format = "text";  // text | json
  SmbCliOptions smb;            // logs: smb://... in HOSTS.yaml
};
// 0 every host ready, 1 something to fix.
int run_hosts_check(const HostsCheckOptions& o, Output& out);

}  // namespace smsup::cli
