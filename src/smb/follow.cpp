#include "smb/follow.h"

#include <thread>

namespace smsup::smb {
namespace fs = std::filesystem;

logs::SourceOpener smb_opener(Client& client, const Url& share_root) {
  Url base = share_root;
  base.path.clear();
  return [&client, base](const fs::path& p) -> std::unique_ptr<logs::FileSource> {
    Url u = base;
    u.path = p.generic_string();
    return std::make_unique<SmbFileSource>(client, std::move(u));
  };
}

std::string url_path_of(const Url& file) { return file.path; }

RemoteSiteFollower::RemoteSiteFollower(Url root, Session& session, std::string install_dir,
                                       std::optional<logs::TimePoint> since)
    : root_(std::move(root)), session_(session), install_dir_(std::move(install_dir)), since_(since) {}

RemoteSiteFollower::~RemoteSiteFollower() = default;

bool RemoteSiteFollower::poll() {
  Client& client = session_.client_for(root_);
  SiteListing site = list_site(client, root_, install_dir_);
  if (first_) {
    // One reading serves both: the verification reads each log whole, and
    // its follower starts after the bytes read (a log not read starts empty
    // and is read whole when it appears).
    for (std::size_t i = 0; i < logs_.size(); ++i) {
      Url file = site.file(logs_.log(i).name, logs_.log(i).at_root);
      logs_.start_after(i, url_path_of(file), smb_opener(session_.client_for(file), file), {});
    }
    result_ = verify_listed(client, site, since_, [&](std::string_view log, const Url& file, const std::string& bytes) {
      for (std::size_t i = 0; i < logs_.size(); ++i)
        if (logs_.log(i).name == log)
          logs_.start_after(i, url_path_of(file), smb_opener(session_.client_for(file), file), bytes);
    });
    first_ = false;
    return true;
  }
  bool changed = false;
  for (std::size_t i = 0; i < logs_.size(); ++i) {
    // A log that appears (or reappears in another case) is followed anew.
    Url file = site.file(logs_.log(i).name, logs_.log(i).at_root);
    if (logs_.poll(i, url_path_of(file), smb_opener(session_.client_for(file), file))) changed = true;
  }
  if (changed) result_ = verify_listed(client, site, since_);
  return changed;
}

logs::VerifyResult verify_site_waiting(const Url& root, Session& session, const std::string& install_dir,
                                       std::optional<logs::TimePoint> since, std::chrono::milliseconds wait,
                                       const std::function<void(const logs::VerifyResult&)>& on_change,
                                       std::chrono::milliseconds poll_every) {
  auto deadline = std::chrono::steady_clock::now() + wait;
  RemoteSiteFollower site(root, session, install_dir, since);
  std::string last_key;
  for (;;) {
    if (site.poll()) {
      std::string key = logs::milestones_key(site.result());
      if (key != last_key && on_change) on_change(site.result());
      last_key = key;
    }
    auto now = std::chrono::steady_clock::now();
    if (site.result().verified || now >= deadline) return site.result();
    // No change notification over SMB: ask again after the interval (or at the deadline).
    std::this_thread::sleep_for(
        std::min(poll_every, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
  }
}

}  // namespace smsup::smb
