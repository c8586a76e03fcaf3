// Child processes for the shell driver: started with posix_spawnp (an
// argument vector, never a shell) in a process group of their own, output to
// a file, an environment marker naming the step so that a later run can find
// a process that outlived the run that started it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace smsup::drivers {

struct SpawnResult {
  pid_t pid = -1;  // -1: could not start
  int error = 0;   // errno when it could not start
  int pidfd = -1;  // a pidfd to poll for its exit, -1 where unsupported
};

// Starts argv[0] (looked up in PATH) with stdin from /dev/null and stdout and
// stderr appended to `output`, in a new process group, with `marker`
// ("NAME=value") added to the environment.
SpawnResult spawn(const std::vector<std::string>& argv, const std::string& output, const std::string& marker);

// Non-blocking: the exit status (code, or -signal) once the child ended.
std::optional<int> reap(pid_t pid);

// Waits until one of the pidfds is readable or `timeout` passes.
void wait_any(const std::vector<int>& pidfds, std::chrono::milliseconds timeout);

// Signals the whole process group of a child started by spawn().
void signal_group(pid_t pid, int sig);

// Runs argv to completion (a probe), killing its group after `timeout`.
// Returns the exit status, -signal, or nullopt when it could not start or
// timed out.
std::optional<int> run_to_end(const std::vector<std::string>& argv, const std::string& output,
                              std::chrono::milliseconds timeout);

// Processes (other than this one) whose environment holds `marker` exactly.
std::vector<pid_t> processes_with_marker(const std::string& marker);

// The last `max_lines` lines of a file (at most ~4 KiB).
std::string tail_of(const std::string& path, int max_lines = 20);

// "a 'b c' 'd'\''e'": argv written for people (display only, never run).
std::string quoted(const std::vector<std::string>& argv);

}  // namespace smsup::drivers
