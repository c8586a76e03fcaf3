#include "support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace smsup::test {
namespace {

// A test's name as part of a file name: letters, digits, '-' and '_' only.
std::string test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "no-test";
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '_';
  return name;
}

fs::path make_temp_dir() {
  std::string tmpl = (fs::temp_directory_path() / ("smsup-" + test_name() + "-XXXXXX")).string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + tmpl);
  return tmpl;
}

pid_t spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& out,
            const std::string& err) {
  std::vector<std::string> all = argv;
  std::vector<char*> args;
  for (auto& a : all) args.push_back(a.data());
  args.push_back(nullptr);
  std::vector<std::string> vars;
  // An entry of `env` replaces an inherited variable of its name (the
  // child's getenv() would find the inherited one first).
  auto name_of = [](const std::string& v) { return v.substr(0, v.find('=')); };
  for (char** e = environ; *e != nullptr; ++e) {
    std::string v = *e;
    if (std::none_of(env.begin(), env.end(), [&](const std::string& x) { return name_of(x) == name_of(v); })) {
      vars.push_back(std::move(v));
    }
  }
  vars.insert(vars.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& v : vars) envp.push_back(v.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (err == out)
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
  else
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

// Removes the running test's folder when the test ends.
class RemoveTestDir : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo&) override { current.reset(); }
  std::unique_ptr<TempDir> current;
};

RemoveTestDir& remover() {
  // Handed to gtest, which owns and deletes it at exit.
  static RemoveTestDir* r = [] {
    auto* l = new RemoveTestDir;
    ::testing::UnitTest::GetInstance()->listeners().Append(l);
    return l;
  }();
  return *r;
}

}  // namespace

Ran run(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  TempDir capture;
  std::string out = capture / "stdout", err = capture / "stderr";
  Ran r;
  r.status = wait_status(spawn(argv, env, out, err));
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

Ran run_smsup(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> argv = {SMSUP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run(argv, env);
}

Ran run_smsup_out_to(const std::vector<std::string>& args, const std::string& stdout_path,
                     std::chrono::milliseconds bound) {
  TempDir capture;
  std::vector<std::string> argv = {SMSUP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_t pid = spawn(argv, {}, stdout_path, capture / "stderr");
  auto deadline = std::chrono::steady_clock::now() + bound;
  Ran r;
  for (;;) {
    int st = 0;
    pid_t done = waitpid(pid, &st, WNOHANG);
    if (done == pid) {
      r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
      break;
    }
    if (done < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      r.status = wait_status(pid);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  r.err = read_file(capture / "stderr");
  return r;
}

Child::Child(const std::vector<std::string>& argv, const std::vector<std::string>& env)
    : files_(std::make_unique<TempDir>()) {
  pid_ = spawn(argv, env, *files_ / "stdout", *files_ / "stderr");
}

Child::~Child() {
  if (!reaped_) ::kill(pid_, SIGKILL), wait_status(pid_);
}

std::string Child::out() const { return read_file(files_->path / "stdout"); }
std::string Child::err() const { return read_file(files_->path / "stderr"); }

Ran Child::wait() {
  Ran r;
  r.status = reaped_ ? -1 : wait_status(pid_);
  reaped_ = true;
  r.out = out();
  r.err = err();
  return r;
}

Ran Child::kill(int signal) {
  if (!reaped_) ::kill(pid_, signal);
  return wait();
}

Child start_smsup(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  std::vector<std::string> argv = {SMSUP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return Child(argv, env);
}

pid_t start_smsup(const std::vector<std::string>& args, const std::string& out_file) {
  std::vector<std::string> argv = {SMSUP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return spawn(argv, {}, out_file, out_file);
}

int wait_status(pid_t pid) {
  int st = 0;
  while (waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

TempDir::TempDir(Access access) : path(make_temp_dir()) {
  if (access == Access::everyone) ::chmod(path.c_str(), 0777);
}

TempDir::~TempDir() {
  // SMSUP_TEST_KEEP=1 keeps the folders for a look after a failure.
  if (std::getenv("SMSUP_TEST_KEEP") != nullptr) return;
  std::error_code ec;
  fs::remove_all(path, ec);
}

const fs::path& test_dir() {
  auto& r = remover();
  if (!r.current) r.current = std::make_unique<TempDir>();
  return r.current->path;
}

fs::path fresh_dir(const std::string& name) {
  fs::path dir = test_dir() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_file(const fs::path& path, std::string_view bytes) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void append_file(const fs::path& path, std::string_view bytes) {
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::app).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds bound, std::chrono::milliseconds every) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    // A pause between looks, not a guess at how long the event takes.
    std::this_thread::sleep_for(every);
  }
  return true;
}

LoopbackSocket::LoopbackSocket(Kind kind) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0 || (kind == silent && ::listen(fd_, 16) != 0)) {
    ADD_FAILURE() << "no socket on 127.0.0.1: " << std::strerror(errno);
    return;
  }
  port_ = ntohs(a.sin_port);
}

LoopbackSocket::~LoopbackSocket() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace smsup::test
