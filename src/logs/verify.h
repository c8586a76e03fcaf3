// Whether a site's logs show a completed SP2 upgrade: the six milestones of
// docs/logs.md, in order, after setup began. The checklist's 30 minutes are a
// wait before anyone touches the site, not a span the milestones must cover:
// the result says when the site may be touched. The library call the twin, the
// executor and `smsup verify` use.
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "logs/entry.h"
#include "logs/follow.h"
#include "logs/milestones.h"
#include "logs/text.h"

namespace smsup::logs {

inline constexpr std::chrono::minutes kSettleTime{30};

enum class MilestoneState { Found, OutOfOrder, Missing };
std::string_view to_string(MilestoneState s);

struct MilestoneResult {
  const Milestone* milestone = nullptr;
  MilestoneState state = MilestoneState::Missing;
  std::filesystem::path file;  // where it was seen (Found, or OutOfOrder: its latest sighting)
  std::uint64_t line = 0;
  std::string message;
  std::optional<LocalTime> local;
  std::optional<int> bias_minutes;  // as written, or borrowed from the site's other logs
  std::optional<TimePoint> utc;
  bool incomplete = false;  // seen only in a last line still being written
};

struct VerifyResult {
  std::array<MilestoneResult, 6> milestones;
  std::optional<TimePoint> setup_began;
  std::string setup_began_from;                     // "--since" or "<file>:<line>"
  std::optional<std::chrono::milliseconds> settle;  // last milestone - setup began
  // When a console, a site reset or a configuration change may touch the site:
  // setup began + 30 minutes, or the last milestone when that came later.
  std::optional<TimePoint> touch_after;
  bool verified = false;  // all six found, in order
  std::vector<std::filesystem::path> files_read;
  std::vector<std::filesystem::path> files_missing;
  std::vector<std::string> notes;  // what stands in the way, for people
};

// The folder holding the logs: `C:\SMS` -> <root>/SMS/Logs. Another drive
// letter is the sibling folder of root named by it (D:\SMS -> <root>/../D/SMS/Logs).
std::filesystem::path logs_folder(const std::filesystem::path& system_drive_root, const std::string& install_dir);

// Reads <root>/SMSSetup.log and <install_dir>/Logs/{sitecomp,hman,inboxmgr}.log
// (each with its rotated .lo_ first). File names match without regard to case.
// `since` replaces the start of setup found in SMSSetup.log. Throws InputError
// only when `system_drive_root` is not a folder; missing logs are results.
VerifyResult verify_site(const std::filesystem::path& system_drive_root, const std::string& install_dir = "C:\\SMS",
                         std::optional<TimePoint> since = std::nullopt);

// One of a site's logs as read by whoever reads them (a local folder, an SMB
// share), for verify_logs.
struct SiteLog {
  std::filesystem::path path;  // as results and notes name it (a path, a URL)
  std::string_view log;        // which of the four: the file name of milestones(), such as "sitecomp.log"
  LogText text;
};

// verify_site's verification of logs already read: `logs` in the order
// verify_site reads them (each log's rotated NAME.lo_ before it), `missing`
// the logs not found, `notes` what could not be read. verify_site is
// verify_logs of the files found under a local folder; smb::verify_site of
// those read over SMB.
VerifyResult verify_logs(std::vector<SiteLog> logs, std::vector<std::filesystem::path> missing,
                         std::vector<std::string> notes, std::optional<TimePoint> since);

// The milestones' states and lines as one string: two results with the same
// key tell a person the same, for a caller that reports only changes.
std::string milestones_key(const VerifyResult& r);

// The four logs of a site, each with a LogFollower: the part of following a
// site that does not depend on where the files are (SiteFollower here,
// smb::RemoteSiteFollower over SMB).
class FollowedLogs {
 public:
  struct Log {
    std::string_view name;  // as milestones() spells it
    bool at_root = false;   // at the system drive root (SMSSetup.log), else in the Logs folder
  };
  FollowedLogs();
  ~FollowedLogs();
  FollowedLogs(const FollowedLogs&) = delete;
  FollowedLogs& operator=(const FollowedLogs&) = delete;

  std::size_t size() const { return logs_.size(); }
  const Log& log(std::size_t i) const;
  // Reads what log `i`, now found at `path`, gained since the last poll; a
  // path not followed before (a log that appeared, or in another case) is
  // followed anew from its start. True when anything changed, a last line
  // still being written included.
  bool poll(std::size_t i, const std::filesystem::path& path, const SourceOpener& open);
  // Follows log `i` at `path` from after `bytes`, its first bytes as read
  // by a verification just now: the next poll reads only what follows.
  void start_after(std::size_t i, const std::filesystem::path& path, const SourceOpener& open, std::string_view bytes);

 private:
  struct Followed;
  std::vector<std::unique_ptr<Followed>> logs_;
};

// A site's logs followed as they are written: each poll() reads what the four
// logs gained (a LogFollower each, rotation and truncation handled there) and
// runs verify_site again only when one of them changed. Used by
// verify_site_waiting and the shell driver's verify.
class SiteFollower {
 public:
  SiteFollower(std::filesystem::path system_drive_root, std::string install_dir, std::optional<TimePoint> since,
               SourceOpener open = open_local);
  ~SiteFollower();
  SiteFollower(const SiteFollower&) = delete;
  SiteFollower& operator=(const SiteFollower&) = delete;

  // True when the logs changed and result() was computed again (always on
  // the first call). Throws InputError as verify_site does.
  bool poll();
  const VerifyResult& result() const { return result_; }
  // The folders the logs are in, for a FolderWatch.
  std::vector<std::filesystem::path> folders() const;

 private:
  std::filesystem::path root_;
  std::string install_dir_;
  std::optional<TimePoint> since_;
  SourceOpener open_;
  FollowedLogs logs_;
  VerifyResult result_;
  bool first_ = true;
};

struct WaitOptions {
  std::chrono::milliseconds poll_every = kDefaultPollInterval;  // the longest pause between two polls
  bool inotify = true;  // wake as soon as a folder changes, where the system can tell
};

// Follows the site's logs (SiteFollower) until verified or `wait` has passed.
// `on_change` is called with each new result that differs from the last.
VerifyResult verify_site_waiting(const std::filesystem::path& system_drive_root, const std::string& install_dir,
                                 std::optional<TimePoint> since, std::chrono::milliseconds wait,
                                 const std::function<void(const VerifyResult&)>& on_change = {},
                                 WaitOptions options = {});

}  // namespace smsup::logs
