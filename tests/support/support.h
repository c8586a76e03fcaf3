// What every test binary may use (the static library smsup_test_support):
// run a program or the smsup binary and capture its status, stdout and
// stderr; a fresh temporary folder per test, removed when the test ends;
// write and read files; wait for an event with a bound instead of a fixed
// sleep. One copy of each, so a fix reaches every test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace smsup::test {

namespace fs = std::filesystem;

// ---- running programs ----

struct Ran {
  int status = -1;  // exit status, or -signal when a signal ended it
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs argv[0] with the rest as its arguments (no shell), stdin from
// /dev/null, `env` ("NAME=value") added to this process's environment;
// waits for it to end.
Ran run(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
// The same for the smsup binary under test (SMSUP_BINARY).
Ran run_smsup(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

// smsup with its standard output going to `stdout_path` (/dev/full, a
// file), stderr captured (in Ran::err); SIGKILLed if it has not ended
// within `bound` (Ran::status is then -SIGKILL), so a command that would
// go on for ever fails its test instead of hanging it.
Ran run_smsup_out_to(const std::vector<std::string>& args, const std::string& stdout_path,
                     std::chrono::milliseconds bound = std::chrono::seconds(60));

class TempDir;

// A program started and not yet waited for, its stdout and stderr going to
// files of its own, readable while it runs. Killed (SIGKILL) and reaped if
// still running when this object goes.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  std::string out() const;  // so far
  std::string err() const;
  Ran wait();            // until it ends
  Ran kill(int signal);  // sends `signal`, then waits

 private:
  std::unique_ptr<TempDir> files_;
  pid_t pid_ = -1;
  bool reaped_ = false;
};
Child start_smsup(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

// Starts smsup with stdout and stderr both to `out_file` and returns at once
// (the crash tests kill it). wait_status() reaps it: exit status or -signal.
pid_t start_smsup(const std::vector<std::string>& args, const std::string& out_file);
int wait_status(pid_t pid);

// ---- temporary folders ----

// A fresh folder under the system's temporary folder, named after the
// running test, removed with everything in it when this object goes
// (kept when SMSUP_TEST_KEEP is set, to look at after a failure).
class TempDir {
 public:
  enum class Access { owner, everyone };  // everyone: for a server run as another user (PostgreSQL)
  explicit TempDir(Access access = Access::owner);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  fs::path path;
  std::string operator/(std::string_view name) const { return (path / name).string(); }
};

// The running test's own folder, made on first use and removed (with
// everything in it) when the test ends, pass or fail.
const fs::path& test_dir();
// An empty folder `name` inside test_dir().
fs::path fresh_dir(const std::string& name);

// ---- files ----

// Writes (or appends) `bytes`, making the parent folders first.
void write_file(const fs::path& path, std::string_view bytes);
void append_file(const fs::path& path, std::string_view bytes);
// The whole file; "" when it cannot be read.
std::string read_file(const fs::path& path);

// Whether `part` occurs in `s` (output checks).
inline bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// ---- waiting ----

// Calls `done` every `every` until it is true or `bound` has passed;
// returns its last answer. For events in another process or thread: the
// test waits as long as the event takes, never a guessed fixed time.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds bound = std::chrono::seconds(30),
                std::chrono::milliseconds every = std::chrono::milliseconds(2));

// ---- servers that never answer ----

// A TCP socket on 127.0.0.1 at a free port, closed when it goes: `silent`
// listens (the kernel completes every handshake and nobody ever reads: a
// server that takes the connection and never answers), `refusing` is only
// bound (every connection is refused). A test fails if it cannot be made.
class LoopbackSocket {
 public:
  enum Kind { silent, refusing };
  explicit LoopbackSocket(Kind kind);
  ~LoopbackSocket();
  LoopbackSocket(const LoopbackSocket&) = delete;
  LoopbackSocket& operator=(const LoopbackSocket&) = delete;
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace smsup::test
