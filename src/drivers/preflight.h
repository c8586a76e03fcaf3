// The preflight of a shell run (`smsup hosts check`, and `smsup apply
// --target shell` before it starts anything): for every host the plan
// touches, whether its logs can be listed and read (a folder or smb://), each
// program its steps would run exists and is executable here (looked up in
// PATH as execvp does), every placeholder of every command fills, and each
// kind's optional `check:` command succeeds within HOSTS.yaml's
// check_timeout. Nothing of the plan is run.
//
// The probes of the outside world (logs, programs, check commands) sit behind
// PreflightProbes so that tests can replace them; system_probes() is the real
// one.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "drivers/hosts_file.h"
#include "model/hierarchy.h"
#include "plan/plan.h"
#include "smb/remote_logs.h"

namespace smsup::drivers {

struct PreflightRow {
  std::string what;  // "logs smb://SEA-SMS01/C$", "program /usr/bin/sqsh", "check backup", ...
  bool ok = false;
  std::string detail;  // what was found, or what is wrong
  std::string fix;     // how to fix it (empty when ok)
};

struct PreflightHost {
  std::string host;                // "(no host)" for steps that run nowhere in particular
  std::vector<std::string> sites;  // the sites of its steps
  std::vector<PreflightRow> rows;
  bool ok() const;
};

struct PreflightReport {
  std::vector<PreflightHost> hosts;
  bool ok() const;
  int failures() const;
};

struct LogsProbe {
  bool ok = false;
  std::string detail;  // "SMSSetup.log present (12 KiB, read); SMS/Logs listed (4 files)" or the error
};

struct CheckRun {
  bool started = false;
  bool timed_out = false;
  int status = 0;      // exit status, or -signal
  std::string output;  // its last lines
};

class PreflightProbes {
 public:
  virtual ~PreflightProbes() = default;
  // A site server's system drive root (a folder or an smb:// URL): can it be
  // listed, is SMSSetup.log there (or not yet) and readable, is the install
  // folder's Logs folder there and listable.
  virtual LogsProbe logs(const std::string& root, const std::string& install_dir) = 0;
  // The full path of `program` as execvp would run it; nullopt with `why`
  // set when it would not run.
  virtual std::optional<std::string> find_program(const std::string& program, std::string& why) = 0;
  // Runs a check command (an argument vector, never a shell) to its end or
  // until `timeout`.
  virtual CheckRun run_check(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) = 0;
};

// Logs on local folders and over SMB (credentials and timeouts from
// `access`), programs through $PATH, checks through posix_spawnp.
std::unique_ptr<PreflightProbes> system_probes(smb::Access access);

// Where `program` would be found by execvp with $PATH = `path`: a name with a
// '/' as it is, otherwise the first PATH entry holding an executable regular
// file of that name. nullopt (with `why`) when none.
std::optional<std::string> find_in_path(const std::string& program, const std::string& path, std::string& why);

// The preflight of `plan` on the hosts of `hosts`. Steps done by people
// (manual) are not checked.
PreflightReport preflight(const plan::Plan& plan, const HostsConfig& hosts, const Hierarchy* inventory,
                          PreflightProbes& probes);

// The report as a table per host (ok / what is wrong / how to fix), and as JSON.
std::string preflight_text(const PreflightReport& r);
std::string preflight_json(const PreflightReport& r);

}  // namespace smsup::drivers
