// Running the real smsup binary from a test, as a user would: capture its
// output and status, or kill it with SIGKILL at a chosen instant.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace smsup::test {

struct Ran {
  int status = -1;  // exit status, or -signal
  std::string out;  // stdout and stderr
};

inline pid_t start_smsup(const std::vector<std::string>& args, const std::string& out_file) {
  std::vector<std::string> all = {SMSUP_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = -1;
  posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return pid;
}

inline int wait_status(pid_t pid) {
  int st = 0;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline Ran run_smsup(const std::vector<std::string>& args, const std::string& out_file) {
  pid_t pid = start_smsup(args, out_file);
  Ran r;
  r.status = wait_status(pid);
  r.out = slurp(out_file);
  return r;
}

// The crash tests' common part: run `args` once to the end as the reference,
// then start them `rounds` times more, each killed with SIGKILL after a random
// 2 ms to a fortieth of the reference run (so that kills land mid-run however
// fast the machine is), stopping early when a run ends before its kill.
struct Kills {
  Ran reference;
  int span_ms = 0;
  int killed = 0;
  std::optional<int> ended_status;  // a run that ended before its kill
};

inline Kills kill_at_random_instants(const std::vector<std::string>& ref_args,
                                     const std::string& ref_out,
                                     const std::vector<std::string>& args,
                                     const std::string& out_file, int rounds, unsigned seed) {
  Kills k;
  auto began = std::chrono::steady_clock::now();
  k.reference = run_smsup(ref_args, ref_out);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  k.span_ms = std::max(10, static_cast<int>(ms.count() / 40));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(2, k.span_ms);
  for (int i = 0; i < rounds; ++i) {
    pid_t pid = start_smsup(args, out_file);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    kill(pid, SIGKILL);
    int st = wait_status(pid);
    if (st != -SIGKILL) {
      k.ended_status = st;
      break;
    }
    ++k.killed;
  }
  return k;
}

}  // namespace smsup::test
