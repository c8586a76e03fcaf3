#include "smb/remote_logs.h"

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

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

// A private folder for verify's snapshot, removed with everything in it.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "smsup-smb-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr)
      throw InputError({templ}, "", "cannot make a temporary folder for the logs read over SMB");
    path = fs::canonical(templ);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw InputError({path.string()}, "", "cannot write the snapshot of a log read over SMB (disk full?)");
}

// Local snapshot paths back to the URLs they were read from: the longest
// local prefix that matches wins (a file before its folder).
class PathMap {
 public:
  void add(const fs::path& local, const Url& remote) { pairs_.emplace_back(local.string(), remote.display()); }
  void sort() {
    std::sort(pairs_.begin(), pairs_.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  }
  std::string path(const fs::path& p) const {
    std::string s = p.string();
    for (const auto& [local, remote] : pairs_)
      if (s.compare(0, local.size(), local) == 0 && (s.size() == local.size() || s[local.size()] == '/'))
        return remote + s.substr(local.size());
    return s;
  }
  std::string text(std::string s) const {
    for (const auto& [local, remote] : pairs_)
      for (std::size_t at = s.find(local); at != std::string::npos; at = s.find(local, at + remote.size()))
        s.replace(at, local.size(), remote);
    return s;
  }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

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

// logs::verify_site reads a local folder; rather than a second verification
// over another kind of file, the four logs (and their .lo_) are read over SMB
// into a private snapshot laid out as verify_site expects, verified there, and
// the result's paths are turned back into URLs. The snapshot is a few files
// in a folder only this user can read, removed on return.
logs::VerifyResult verify_site(const Url& root, Session& session, const std::string& install_dir,
                               std::optional<logs::TimePoint> since) {
  Client& client = session.client_for(root);
  // The root must answer: an unreachable server, a refused logon or a
  // missing share is bad input (exit 2), as a missing local folder is.
  std::vector<DirEntry> root_entries = client.list(root);

  Url install = install_folder(root, install_dir);
  TempDir tmp;
  fs::path local_root = tmp.path / "root";
  fs::path local_install = local_root;
  for (std::size_t pos = root.path.size(); pos < install.path.size();) {
    if (install.path[pos] == '/') ++pos;
    std::size_t slash = std::min(install.path.find('/', pos), install.path.size());
    if (slash > pos) local_install /= install.path.substr(pos, slash - pos);
    pos = slash;
  }
  fs::create_directories(local_install);
  PathMap map;
  map.add(local_root, root);
  map.add(local_install, install);

  std::vector<std::string> notes;
  std::optional<std::vector<DirEntry>> logs_entries;
  Url logs_url = install.child("Logs");
  fs::path local_logs = local_install / "Logs";
  try {
    if (auto entries = client.list_if_exists(install))
      if (const DirEntry* found = find_nocase(*entries, "Logs", true)) {
        logs_url = install.child(found->name);
        local_logs = local_install / found->name;
        logs_entries = client.list(logs_url);
        fs::create_directories(local_logs);
        map.add(local_logs, logs_url);
      }
  } catch (const InputError& e) {
    notes.push_back(e.what());  // an unreadable Logs folder: its logs are missing, as locally
  }

  std::vector<std::string_view> done;
  for (const auto& m : logs::milestones()) {
    if (std::find(done.begin(), done.end(), m.log) != done.end()) continue;
    done.push_back(m.log);
    const std::vector<DirEntry>* entries = m.at_drive_root ? &root_entries : logs_entries ? &*logs_entries : nullptr;
    if (entries == nullptr) continue;
    const Url& remote_dir = m.at_drive_root ? root : logs_url;
    const fs::path& local_dir = m.at_drive_root ? local_root : local_logs;
    const DirEntry* file = find_nocase(*entries, m.log, false);
    if (file == nullptr) continue;
    std::vector<std::pair<Url, fs::path>> wanted;
    if (const DirEntry* rotated = rotated_of(*entries, file->name)) {
      // Named as with_rotated looks for it beside the .log.
      std::string stem = file->name.substr(0, file->name.size() - 4);
      wanted.emplace_back(remote_dir.child(rotated->name), local_dir / (stem + ".lo_"));
    }
    wanted.emplace_back(remote_dir.child(file->name), local_dir / file->name);
    for (const auto& [remote, local] : wanted) {
      map.add(local, remote);
      try {
        write_file(local, client.read(remote));
      } catch (const InputError& e) {
        notes.push_back(e.what());  // one unreadable log is a note, as locally
      }
    }
  }
  map.sort();

  logs::VerifyResult r = logs::verify_site(local_root, install_dir, since);
  for (auto& m : r.milestones)
    if (!m.file.empty()) m.file = map.path(m.file);
  for (auto& f : r.files_read) f = map.path(f);
  for (auto& f : r.files_missing) f = map.path(f);
  for (auto& n : r.notes) n = map.text(n);
  r.setup_began_from = map.text(r.setup_began_from);
  r.notes.insert(r.notes.end(), notes.begin(), notes.end());
  return r;
}

}  // namespace smsup::smb
