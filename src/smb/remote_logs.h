// Logs read over SMB for `smsup logs` and `smsup verify`: the bytes are read
// into memory through libsmbclient (client.h) and parsed by src/logs as local
// files are, so a log reads the same from a share as from a disk.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "logs/query.h"
#include "logs/verify.h"
#include "smb/auth.h"
#include "smb/client.h"
#include "smb/url.h"

namespace smsup::smb {

struct Access {
  std::string auth_file;  // --smb-auth; empty: $SMSUP_SMB_AUTH
  ClientOptions client;
};

// One client per server, made when first needed; the authentication file is
// read once, and only when an smb:// location is given at all.
class Session {
 public:
  explicit Session(Access access) : access_(std::move(access)) {}
  Client& client_for(const Url& url);

 private:
  Access access_;
  std::optional<Credentials> credentials_;
  std::map<std::string, std::unique_ptr<Client>> clients_;
};

// logs::open_logs for names that may be smb:// URLs (given as `field`, for
// messages): a URL is read over SMB, after its NAME.lo_ when the folder holds
// one (in any case), and shown as its display() form; any other name is a
// local path read by logs::open_logs. The order of the names is kept.
std::vector<logs::LogFile> open_logs(const std::vector<std::string>& names, Session& session,
                                     const std::string& field = "FILES");

// The install folder of a site whose system drive root is `root`: C:\SMS ->
// ROOT/SMS; another drive's letter names that drive's admin share when the
// root is an admin share (smb://HOST/C$ with D:\SMS -> smb://HOST/D$/SMS).
Url install_folder(const Url& root, const std::string& install_dir);

// Where a site's logs are on its server, as listed at one moment (names in
// any case, as the server spells them): for verify_site and
// RemoteSiteFollower.
struct SiteListing {
  Url root;  // the system drive root, holding SMSSetup.log
  Url logs;  // the Logs folder; INSTALL/Logs when there is none
  std::vector<DirEntry> root_entries;
  std::optional<std::vector<DirEntry>> logs_entries;  // nullopt: no Logs folder
  std::vector<std::string> notes;                     // a Logs folder that could not be listed
  // Where the log `log` (a name of logs::milestones()) is, or would be.
  Url file(std::string_view log, bool at_root) const;
};
// Throws InputError when the root cannot be listed (unreachable, logon
// failure, no such share).
SiteListing list_site(Client& client, const Url& root, const std::string& install_dir);

// Called with each log's bytes (NAME.log, not its NAME.lo_) as verify read them.
using ReadHook = std::function<void(std::string_view log, const Url& file, const std::string& bytes)>;
logs::VerifyResult verify_listed(Client& client, const SiteListing& site, std::optional<logs::TimePoint> since,
                                 const ReadHook& on_read = {});

// logs::verify_site for a site server's system drive reached over SMB (for
// example smb://ADMIN@SERVER/C$): SMSSetup.log at `root`, the component logs
// under `install_dir` (a drive letter other than that of an admin share X$
// names the share of that drive). The result names the files by URL. Throws
// InputError when the root cannot be listed (unreachable, logon failure, no
// such share); a missing log is a result, as it is locally.
logs::VerifyResult verify_site(const Url& root, Session& session, const std::string& install_dir = "C:\\SMS",
                               std::optional<logs::TimePoint> since = std::nullopt);

}  // namespace smsup::smb
