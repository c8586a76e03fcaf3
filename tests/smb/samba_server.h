// A real Samba server for the tests: smbd with a generated smb.conf whose
// every folder (private, lock, state, cache, pid, log) is in a temporary
// folder, listening only on 127.0.0.1 at a free high port, with a throwaway
// password for a user in its own passdb. Shares: [site] (the folder given),
// [denied] (the same folder, for another user only). Stopped, with every
// process it started, when destroyed.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace smsup::smb::testing {

class SambaServer {
 public:
  // Starts smbd serving `share_dir`; on failure, error() says what is
  // missing or what smbd said (the tests fail with it; they never skip).
  explicit SambaServer(const std::filesystem::path& share_dir);
  ~SambaServer();
  SambaServer(const SambaServer&) = delete;
  SambaServer& operator=(const SambaServer&) = delete;

  bool running() const { return pid_ > 0 && error_.empty(); }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  // smb://USER@127.0.0.1:PORT/SHARE
  std::string url(const std::string& share = "site") const;
  // An smbclient -A file with the user and `password` (the right one by default).
  std::filesystem::path auth_file(const std::string& password = {}) const;
  const std::filesystem::path& dir() const { return dir_; }
  // Sends `sig` to smbd and every process it started (its process group):
  // SIGSTOP for a server that stops answering, SIGKILL for one that dies.
  void signal(int sig) const;

 private:
  std::filesystem::path dir_;
  std::string user_ = "nobody", password_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::string error_;
};

}  // namespace smsup::smb::testing
