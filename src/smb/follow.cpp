#include "smb/follow.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "logs/milestones.h"

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

namespace {

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string result_key(const logs::VerifyResult& r) {
  std::string key;
  for (const auto& m : r.milestones) key += fmt::format("{}:{};", static_cast<int>(m.state), m.line);
  return key;
}

}  // namespace

struct RemoteSiteFollower::Followed {
  std::string_view name;
  bool at_root = false;
  Url file;  // as the server spelled it when the follower was made
  std::unique_ptr<logs::LogFollower> follower;
};

RemoteSiteFollower::RemoteSiteFollower(Url root, Session& session, std::string install_dir,
                                       std::optional<logs::TimePoint> since)
    : root_(std::move(root)), session_(session), install_dir_(std::move(install_dir)), since_(since) {
  for (const auto& m : logs::milestones()) {
    bool known = std::any_of(logs_.begin(), logs_.end(), [&](const auto& f) { return f->name == m.log; });
    if (known) continue;
    auto f = std::make_unique<Followed>();
    f->name = m.log;
    f->at_root = m.at_drive_root;
    logs_.push_back(std::move(f));
  }
}

RemoteSiteFollower::~RemoteSiteFollower() = default;

bool RemoteSiteFollower::poll() {
  Client& client = session_.client_for(root_);
  // The root must answer (an unreachable server is an error); the Logs
  // folder may be missing, as it is locally before the site is installed.
  std::vector<DirEntry> root_entries = client.list(root_);
  Url install = install_folder(root_, install_dir_);
  Url logs_dir = install.child("Logs");
  std::vector<DirEntry> logs_entries;
  if (auto in_install = client.list_if_exists(install)) {
    for (const auto& e : *in_install)
      if (e.folder && iequal(e.name, "Logs")) logs_dir = install.child(e.name);
    if (auto l = client.list_if_exists(logs_dir)) logs_entries = std::move(*l);
  }
  bool changed = first_;
  for (auto& f : logs_) {
    const auto& entries = f->at_root ? root_entries : logs_entries;
    const Url& dir = f->at_root ? root_ : logs_dir;
    Url file = dir.child(f->name);
    for (const auto& e : entries)
      if (!e.folder && iequal(e.name, f->name)) file = dir.child(e.name);
    Client& c = session_.client_for(file);
    if (!f->follower || file.path != f->file.path || file.share != f->file.share) {
      f->file = file;
      f->follower = std::make_unique<logs::LogFollower>(url_path_of(file), smb_opener(c, file));
      changed = true;
    }
    std::uint64_t pending = f->follower->pending();
    if (!f->follower->poll().empty() || f->follower->rotated() || f->follower->truncated() ||
        f->follower->pending() != pending)
      changed = true;
  }
  first_ = false;
  if (changed) result_ = verify_site(root_, session_, install_dir_, since_);
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
      std::string key = result_key(site.result());
      if (key != last_key && on_change) on_change(site.result());
      last_key = key;
    }
    auto now = std::chrono::steady_clock::now();
    if (site.result().verified || now >= deadline) return site.result();
    // No change notification over SMB: ask again after the interval (or at the deadline).
    std::this_thread::sleep_for(std::min(poll_every, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now)));
  }
}

}  // namespace smsup::smb
