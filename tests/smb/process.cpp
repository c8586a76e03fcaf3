#include "process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace smsup::smb::testing {
namespace fs = std::filesystem;

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/sbin:/usr/bin";
  std::stringstream ss(path);
  for (std::string dir; std::getline(ss, dir, ':');) {
    if (dir.empty()) continue;
    std::string full = dir + "/" + name;
    if (access(full.c_str(), X_OK) == 0) return full;
  }
  return "";
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

namespace {
std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

Ran run(const std::vector<std::string>& argv, const std::string& input, std::chrono::milliseconds limit,
        const std::map<std::string, std::string>& env) {
  static int n = 0;
  fs::path base =
      fs::temp_directory_path() / ("smsup-smb-run-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  fs::path in_file = base.string() + ".in", out_file = base.string() + ".out", err_file = base.string() + ".err";
  {
    int fd = ::open(in_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);  // may hold a password
    if (fd >= 0) {
      if (!input.empty() && ::write(fd, input.data(), input.size()) < 0) {
      }
      ::close(fd);
    }
  }
  Ran r;
  std::string program = find_program(argv.at(0));
  if (program.empty()) {
    r.err = argv[0] + ": not installed";
    return r;
  }
  std::vector<std::string> envs;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "SMSUP_SMB_AUTH=", 15) != 0) envs.emplace_back(*e);
  for (const auto& [k, v] : env) envs.push_back(k + "=" + v);
  std::vector<char*> cargv, cenv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv[0] = program.data();
  cargv.push_back(nullptr);
  for (auto& e : envs) cenv.push_back(e.data());
  cenv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in_file.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&at, 0);
  pid_t pid = -1;
  auto t0 = std::chrono::steady_clock::now();
  int rc = posix_spawn(&pid, program.c_str(), &fa, &at, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  if (rc == 0) {
    int status = 0;
    for (;;) {
      pid_t got = ::waitpid(pid, &status, WNOHANG);
      if (got == pid) break;
      if (std::chrono::steady_clock::now() - t0 > limit) {
        r.timed_out = true;
        ::kill(-pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    r.took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    if (!r.timed_out && WIFEXITED(status)) r.code = WEXITSTATUS(status);
  }
  r.out = read_all(out_file);
  r.err = read_all(err_file);
  std::error_code ec;
  fs::remove(in_file, ec), fs::remove(out_file, ec), fs::remove(err_file, ec);
  return r;
}

}  // namespace smsup::smb::testing
