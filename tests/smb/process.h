// Running a program without a shell, for the SMB tests: output to files,
// bounded in time, killed (with its process group) when it overstays.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace smsup::smb::testing {

struct Ran {
  int code = -1;  // exit status; -1 when killed or not started
  std::string out, err;
  std::chrono::milliseconds took{0};
  bool timed_out = false;
};

// Runs argv[0] (looked up in PATH and /usr/sbin) with `input` on stdin, the
// environment of this process without SMSUP_SMB_AUTH plus `env`.
Ran run(const std::vector<std::string>& argv, const std::string& input = {},
        std::chrono::milliseconds limit = std::chrono::seconds(60), const std::map<std::string, std::string>& env = {});

// The program's full path, or empty when it is not installed.
std::string find_program(const std::string& name);

// A port on 127.0.0.1 nothing listens on right now.
int free_port();

}  // namespace smsup::smb::testing
