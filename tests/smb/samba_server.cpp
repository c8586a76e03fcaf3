#include "samba_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "process.h"

extern char** environ;

namespace smsup::smb::testing {
namespace fs = std::filesystem;
namespace {

bool port_open(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

SambaServer::SambaServer(const fs::path& share_dir) {
  std::string smbd = find_program("smbd"), smbpasswd = find_program("smbpasswd");
  if (smbd.empty() || smbpasswd.empty()) {
    error_ = "smbd or smbpasswd is not installed: install the Debian package samba (scripts/deps.sh)";
    return;
  }
  std::string templ = (fs::temp_directory_path() / "smsup-samba-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {
    error_ = "cannot make a temporary folder for smbd";
    return;
  }
  dir_ = templ;
  // smbd serves as the unix user `nobody`: the share must be readable by it.
  ::chmod(dir_.c_str(), 0755);
  for (const char* sub : {"private", "lock", "state", "cache", "pid", "log", "ncalrpc"})
    fs::create_directories(dir_ / sub);
  ::chmod((dir_ / "private").c_str(), 0700);
  std::mt19937_64 rng(std::random_device{}());
  password_ = "Pw-" + std::to_string(rng() % 1000000000000ULL) + "-smsup";
  port_ = free_port();
  std::string d = dir_.string();
  {
    std::ofstream conf(dir_ / "smb.conf");
    conf << "[global]\n"
         << "  server role = standalone server\n"
         << "  workgroup = SMSUPTEST\n"
         << "  private dir = " << d << "/private\n"
         << "  lock directory = " << d << "/lock\n"
         << "  state directory = " << d << "/state\n"
         << "  cache directory = " << d << "/cache\n"
         << "  pid directory = " << d << "/pid\n"
         << "  ncalrpc dir = " << d << "/ncalrpc\n"
         << "  log file = " << d << "/log/log.%m\n"
         << "  passdb backend = tdbsam:" << d << "/private/passdb.tdb\n"
         << "  smb ports = " << port_ << "\n"
         << "  interfaces = lo\n"
         << "  bind interfaces only = yes\n"
         << "  disable netbios = yes\n"
         << "  load printers = no\n"
         << "  printcap name = /dev/null\n"
         << "  disable spoolss = yes\n"
         << "  map to guest = never\n"
         << "[site]\n"
         << "  path = " << share_dir.string() << "\n"
         << "  read only = yes\n"
         << "  valid users = " << user_ << "\n"
         << "[denied]\n"
         << "  path = " << share_dir.string() << "\n"
         << "  read only = yes\n"
         << "  valid users = root\n";
  }
  std::string conf = (dir_ / "smb.conf").string();
  Ran added =
      run({smbpasswd, "-c", conf, "-a", "-s", user_}, password_ + "\n" + password_ + "\n", std::chrono::seconds(30));
  if (added.code != 0) {
    error_ = "smbpasswd -a could not add the test user: " + added.err + added.out;
    return;
  }
  // Its own process group, so that stopping it stops the helpers it starts
  // (samba-dcerpcd and the per-connection children) too.
  std::vector<std::string> args = {smbd, "--foreground", "--no-process-group", "-s", conf, "--debug-stdout", "-d", "1"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string log = (dir_ / "smbd.out").string();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&at, 0);
  int rc = posix_spawn(&pid_, smbd.c_str(), &fa, &at, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  if (rc != 0) {
    pid_ = -1;
    error_ = "cannot start smbd";
    return;
  }
  // Up when its port answers; bounded, and a smbd that exits is reported.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!port_open(port_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      error_ = "smbd exited at start: " + slurp(log);
      return;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      error_ = "smbd did not listen on port " + std::to_string(port_) + " within 20 s: " + slurp(log);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

SambaServer::~SambaServer() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGTERM);
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (::waitpid(pid_, &status, WNOHANG) != pid_) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(-pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-pid_, SIGKILL);  // helpers left in the group
  }
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

void SambaServer::signal(int sig) const {
  if (pid_ > 0) ::kill(-pid_, sig);
}

std::string SambaServer::url(const std::string& share) const {
  return "smb://" + user_ + "@127.0.0.1:" + std::to_string(port_) + "/" + share;
}

fs::path SambaServer::auth_file(const std::string& password) const {
  static int n = 0;
  fs::path p = dir_ / ("auth-" + std::to_string(n++));
  std::ofstream(p) << "username = " << user_ << "\npassword = " << (password.empty() ? password_ : password)
                   << "\ndomain = SMSUPTEST\n";
  ::chmod(p.c_str(), 0600);
  return p;
}

}  // namespace smsup::smb::testing
