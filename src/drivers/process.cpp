#include "drivers/process.h"
#include "util/shell_quote.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

extern char** environ;

namespace smsup::drivers {

namespace {

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) {
    fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
    return static_cast<int>(fd);
  }
#endif
  (void)pid;
  return -1;
}

}  // namespace

SpawnResult spawn(const std::vector<std::string>& argv, const std::string& output, const std::string& marker) {
  SpawnResult r;
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (char** e = environ; *e; ++e) env.push_back(*e);
  env.push_back(const_cast<char*>(marker.c_str()));
  env.push_back(nullptr);

  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  posix_spawnattr_setpgroup(&at, 0);  // its own group: a timeout kills all of it
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&at, &none);
  sigset_t dfl;
  sigemptyset(&dfl);
  sigaddset(&dfl, SIGPIPE);
  sigaddset(&dfl, SIGINT);
  sigaddset(&dfl, SIGTERM);
  posix_spawnattr_setsigdefault(&at, &dfl);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &fa, &at, args.data(), env.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  if (rc != 0) {
    r.error = rc;
    return r;
  }
  r.pid = pid;
  r.pidfd = open_pidfd(pid);
  return r;
}

std::optional<int> reap(pid_t pid) {
  int st = 0;
  pid_t got = waitpid(pid, &st, WNOHANG);
  if (got == 0) return std::nullopt;
  if (got < 0) return -1000;  // not our child any more: nothing to wait for
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return -WTERMSIG(st);
  return -1000;
}

void wait_any(const std::vector<int>& pidfds, std::chrono::milliseconds timeout) {
  std::vector<pollfd> fds;
  bool all = true;
  for (int fd : pidfds) {
    if (fd >= 0) {
      fds.push_back({fd, POLLIN, 0});
    } else {
      all = false;
    }
  }
  // Without pidfds for every child, wake up often enough to notice exits.
  auto t = all ? timeout : std::min(timeout, std::chrono::milliseconds(5));
  if (fds.empty()) {
    std::this_thread::sleep_for(t);
    return;
  }
  poll(fds.data(), fds.size(), static_cast<int>(t.count()));
}

void signal_group(pid_t pid, int sig) {
  if (pid > 0) kill(-pid, sig);
}

std::optional<int> run_to_end(const std::vector<std::string>& argv, const std::string& output,
                              std::chrono::milliseconds timeout) {
  auto r = spawn(argv, output, "SMSUP_PROBE=1");
  if (r.pid < 0) return std::nullopt;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (auto st = reap(r.pid)) {
      if (r.pidfd >= 0) close(r.pidfd);
      return *st;
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      signal_group(r.pid, SIGKILL);
      int st = 0;
      waitpid(r.pid, &st, 0);
      if (r.pidfd >= 0) close(r.pidfd);
      return std::nullopt;
    }
    wait_any({r.pidfd}, std::min(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now),
                                 std::chrono::milliseconds(100)));
  }
}

std::vector<pid_t> processes_with_marker(const std::string& marker) {
  std::vector<pid_t> out;
  DIR* d = opendir("/proc");
  if (!d) return out;
  pid_t self = getpid();
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (*end != '\0' || pid <= 0 || pid == self) continue;
    std::ifstream in(std::string("/proc/") + e->d_name + "/environ", std::ios::binary);
    if (!in) continue;
    std::string var;
    while (std::getline(in, var, '\0')) {
      if (var == marker) {
        out.push_back(static_cast<pid_t>(pid));
        break;
      }
    }
  }
  closedir(d);
  return out;
}

std::string tail_of(const std::string& path, int max_lines) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "";
  auto size = static_cast<std::streamoff>(in.tellg());
  std::streamoff from = size > 4096 ? size - 4096 : 0;
  in.seekg(from);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = s.size();
  if (pos > 0 && s[pos - 1] == '\n') --pos;
  for (int n = 0; n < max_lines && pos > 0; ++n) {
    size_t nl = s.rfind('\n', pos - 1);
    if (nl == std::string::npos) {
      pos = 0;
      break;
    }
    pos = nl;
  }
  if (pos > 0 || from > 0) {
    if (pos < s.size() && s[pos] == '\n') ++pos;
  }
  return s.substr(pos);
}

std::string quoted(const std::vector<std::string>& argv) { return shell_join(argv); }

}  // namespace smsup::drivers
