#include "smb/remote_logs.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>

#include <fmt/format.h>

#include "logs/milestones.h"
#include "logs/text.h"
#include "util/error.h"
#include "util/text.h"

namespace smsup::smb {
namespace fs = std::filesystem;
namespace {

// The entry named `name` without regard to case (Windows shares), as the
// server spells it.
const DirEntry* find_nocase(const std::vector<DirEntry>& entries, std::string_view name, bool folder) {
  for (const auto& e : entries)
    if (e.folder == folder && util::iequal(e.name, name)) return &e;
  return nullptr;
}

// NAME.lo_ beside NAME.log (SMS rotation), as logs::with_rotated finds it locally.
const DirEntry* rotated_of(const std::vector<DirEntry>& entries, std::string_view log_name) {
  if (log_name.size() < 4 || !util::iequal(log_name.substr(log_name.size() - 4), ".log")) return nullptr;
  std::string want = std::string(log_name.substr(0, log_name.size() - 4)) + ".lo_";
  return find_nocase(entries, want, false);
}

}  // namespace

Client& Session::client_for(const Url& url) {
  std::string key = fmt::format("{}\n{}\n{}\n{}", url.server, url.port, url.domain, url.user);
  auto it = clients_.find(key);
  if (it != clients_.end()) return *it->second;
  if (!credentials_) credentials_ = credentials_from(access_.auth_file);
  auto client = std::make_unique<Client>(url, *credentials_, access_.client);
  return *clients_.emplace(key, std::move(client)).first->second;
}

std::vector<logs::LogFile> open_logs(const std::vector<std::string>& names, Session& session,
                                     const std::string& field) {
  std::vector<logs::LogFile> out;
  for (const auto& name : names) {
    if (!is_smb_url(name)) {
      for (auto& f : logs::open_logs({fs::path(name)})) out.push_back(std::move(f));
      continue;
    }
    Url url = parse_url(name, field);
    Client& client = session.client_for(url);
    // The file first: its error names it. Then its rotated sibling, read
    // before it as the older part.
    std::string bytes = client.read(url);
    if (auto entries = client.list_if_exists(url.parent())) {
      if (const DirEntry* rotated = rotated_of(*entries, url.name())) {
        Url older = url.parent().child(rotated->name);
        out.push_back({older.display(), logs::LogText::from_bytes(client.read(older), older.display())});
      }
    }
    out.push_back({url.display(), logs::LogText::from_bytes(std::move(bytes), url.display())});
  }
  return out;
}

Url install_folder(const Url& root, const std::string& install_dir) {
  // C:\SMS -> SMS below the root; another drive's letter names its admin
  // share when the root is one (smb://HOST/C$ with D:\SMS -> smb://HOST/D$/SMS).
  std::string dir = install_dir;
  std::replace(dir.begin(), dir.end(), '\\', '/');
  Url install = root;
  if (dir.size() >= 2 && std::isalpha(static_cast<unsigned char>(dir[0])) && dir[1] == ':') {
    auto upper = [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); };
    const std::string& share = root.share;
    if (root.path.empty() && share.size() == 2 && share[1] == '$' && upper(share[0]) != upper(dir[0]))
      install.share = std::string(1, upper(dir[0])) + "$";
    dir = dir.substr(2);
  }
  for (std::size_t pos = 0; pos <= dir.size();) {
    std::size_t slash = std::min(dir.find('/', pos), dir.size());
    std::string part = dir.substr(pos, slash - pos);
    if (!part.empty() && part != "." && part != "..") install = install.child(part);
    pos = slash + 1;
  }
  return install;
}

SiteListing list_site(Client& client, const Url& root, const std::string& install_dir) {
  SiteListing site;
  site.root = root;
  // The root must answer: an unreachable server, a refused logon or a
  // missing share is bad input (exit 2), as a missing local folder is.
  site.root_entries = client.list(root);
  Url install = install_folder(root, install_dir);
  site.logs = install.child("Logs");
  try {
    if (auto entries = client.list_if_exists(install))
      if (const DirEntry* found = find_nocase(*entries, "Logs", true)) {
        site.logs = install.child(found->name);
        site.logs_entries = client.list(site.logs);
      }
  } catch (const InputError& e) {
    site.notes.push_back(e.what());  // an unreadable Logs folder: its logs are missing, as locally
  }
  return site;
}

Url SiteListing::file(std::string_view log, bool at_root) const {
  const Url& dir = at_root ? root : logs;
  const std::vector<DirEntry>* entries = at_root ? &root_entries : logs_entries ? &*logs_entries : nullptr;
  if (entries != nullptr)
    if (const DirEntry* e = find_nocase(*entries, log, false)) return dir.child(e->name);
  return dir.child(std::string(log));
}

// The same verification as logs::verify_site (logs::verify_logs), of the
// logs read over SMB into memory: named by their URLs, found and missing as
// verify_site finds them in a local folder.
logs::VerifyResult verify_listed(Client& client, const SiteListing& site, std::optional<logs::TimePoint> since,
                                 const ReadHook& on_read) {
  std::vector<logs::SiteLog> read;
  std::vector<fs::path> missing;
  std::vector<std::string> notes = site.notes;
  std::vector<std::string_view> done;
  for (const auto& m : logs::milestones()) {
    if (std::find(done.begin(), done.end(), m.log) != done.end()) continue;
    done.push_back(m.log);
    const std::vector<DirEntry>* entries = m.at_drive_root     ? &site.root_entries
                                           : site.logs_entries ? &*site.logs_entries
                                                               : nullptr;
    const Url& dir = m.at_drive_root ? site.root : site.logs;
    const DirEntry* file = entries != nullptr ? find_nocase(*entries, m.log, false) : nullptr;
    if (file == nullptr) {
      missing.push_back(dir.child(std::string(m.log)).display());
      continue;
    }
    std::vector<Url> wanted;
    if (const DirEntry* rotated = rotated_of(*entries, file->name)) wanted.push_back(dir.child(rotated->name));
    wanted.push_back(dir.child(file->name));
    for (const auto& remote : wanted) {
      try {
        std::string bytes = client.read(remote);
        if (on_read && &remote == &wanted.back()) on_read(m.log, remote, bytes);
        read.push_back({remote.display(), m.log, logs::LogText::from_bytes(std::move(bytes), remote.display())});
      } catch (const InputError& e) {
        notes.push_back(e.what());  // one unreadable log is a note, as locally
      }
    }
  }
  return logs::verify_logs(std::move(read), std::move(missing), std::move(notes), since);
}

logs::VerifyResult verify_site(const Url& root, Session& session, const std::string& install_dir,
                               std::optional<logs::TimePoint> since) {
  Client& client = session.client_for(root);
  return verify_listed(client, list_site(client, root, install_dir), since);
}

}  // namespace smsup::smb
