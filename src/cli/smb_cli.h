// The options of the verbs that read logs over SMB (verify, logs grep|merge|
// stats|scan): where the credentials are and how long to wait for a server.
#pragma once

#include <string>

#include "smb/remote_logs.h"

namespace CLI {
class App;
}  // namespace CLI

namespace smsup::cli {

struct SmbCliOptions {
  std::string auth;             // --smb-auth FILE; empty: $SMSUP_SMB_AUTH
  std::string timeout = "15s";  // --smb-timeout
};

void add_smb_options(CLI::App* sub, SmbCliOptions& o);

// The options as smb::Access; InputError for a bad --smb-timeout.
smb::Access smb_access(const SmbCliOptions& o);

}  // namespace smsup::cli
