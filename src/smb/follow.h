// Following logs over SMB: the incremental follower of src/logs
// (logs::LogFollower) reading through an SMB client instead of the local file
// system. Each poll asks the server for the file's size and reads only the
// bytes added since; a file cut short or rotated to NAME.lo_ on the server is
// handled by the follower as it is locally. There is no change notification
// over SMB here: callers poll at an interval.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "logs/follow.h"
#include "logs/verify.h"
#include "smb/client.h"
#include "smb/remote_logs.h"
#include "smb/url.h"

namespace smsup::smb {

// A logs::FileSource for one file on a server: size() and read() are fresh
// requests, so a file renamed away and replaced is the new one at the next
// call. A missing file is nullopt; other SMB errors throw InputError.
class SmbFileSource : public logs::FileSource {
 public:
  SmbFileSource(Client& client, Url file) : client_(client), file_(std::move(file)) {}
  std::optional<std::uint64_t> size() override { return client_.size(file_); }
  std::string read(std::uint64_t offset, std::size_t n) override { return client_.read(file_, offset, n); }

 private:
  Client& client_;
  Url file_;
};

// Opens files of the share of `share_root` (its server and share): the
// follower's paths are '/'-separated paths inside that share, as
// url_path_of() gives them.
logs::SourceOpener smb_opener(Client& client, const Url& share_root);
// The path a follower is given for `file`: its path inside its share.
std::string url_path_of(const Url& file);

// A site's logs over SMB followed as they are written: each poll() lists the
// root and the Logs folder (names in any case), reads what the four logs
// gained (logs::FollowedLogs) and, only when one of them changed, verifies
// again as smb::verify_site does. The first poll reads each log once: the
// verification's reading is where the followers start. Throws InputError as verify_site does
// (an unreachable server, a refused logon, no such share).
class RemoteSiteFollower {
 public:
  RemoteSiteFollower(Url root, Session& session, std::string install_dir, std::optional<logs::TimePoint> since);
  ~RemoteSiteFollower();
  RemoteSiteFollower(const RemoteSiteFollower&) = delete;
  RemoteSiteFollower& operator=(const RemoteSiteFollower&) = delete;

  // True when the logs changed and result() was computed again (always on the first call).
  bool poll();
  const logs::VerifyResult& result() const { return result_; }

 private:
  Url root_;
  Session& session_;
  std::string install_dir_;
  std::optional<logs::TimePoint> since_;
  logs::FollowedLogs logs_;
  logs::VerifyResult result_;
  bool first_ = true;
};

// smb::verify_site until verified or `wait` has passed, polling the server
// every `poll_every`; `on_change` gets each new result that differs from the last.
logs::VerifyResult verify_site_waiting(const Url& root, Session& session, const std::string& install_dir,
                                       std::optional<logs::TimePoint> since, std::chrono::milliseconds wait,
                                       const std::function<void(const logs::VerifyResult&)>& on_change = {},
                                       std::chrono::milliseconds poll_every = logs::kDefaultPollInterval);

}  // namespace smsup::smb
