// The shell driver: real hosts, through the commands of HOSTS.yaml. Each
// step kind is an argument vector (placeholders filled per step, never a
// shell), run with a timeout in a process group of its own; `verify` reads the
// site's logs until the milestones appear; a `wait` kind is a timer.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "drivers/driver.h"
#include "drivers/hosts_file.h"
#include "drivers/placeholders.h"
#include "model/hierarchy.h"
#include "smb/remote_logs.h"

namespace smsup::drivers {

struct LogCheckResult {
  bool verified = false;
  std::string summary;  // which milestones were found or are missing
};
// Reads a site's logs under `root` (its system drive: a folder, or an smb://
// URL) once. `since` is when
// the site's setup started, as the journal recorded it (Unix seconds).
using LogCheck =
    std::function<LogCheckResult(const std::string& root, const std::string& install_dir, std::optional<double> since)>;

// A LogCheck that reads the logs of shared/spec/logs.md once.
LogCheckResult check_site_logs(const std::string& root, const std::string& install_dir, std::optional<double> since);
// The default LogCheck: follows each site's logs between checks (a
// logs::SiteFollower per site, or an smb::RemoteSiteFollower for an smb://
// root, reached with `access`), reading only what they gained and verifying
// again only when they changed. Its copies share what they follow. A root
// that cannot be read is "not verified", with the reason, until it can.
LogCheck follow_site_logs(smb::Access access = {});

struct ShellOptions {
  HostsConfig hosts;
  const Hierarchy* inventory = nullptr;  // fills {db}, {install_dir}, ... the plan lacks
  std::string output_dir;                // one output file per step
  std::string run_id;                    // names this run's processes (SMSUP_STEP=run/step)
  LogCheck log_check = follow_site_logs();
  std::function<std::optional<double>(const plan::Step&)> setup_started;  // for verify
  std::chrono::milliseconds kill_grace{2000};                             // SIGTERM, then SIGKILL after this
};

class ShellDriver : public Driver {
 public:
  explicit ShellDriver(ShellOptions opts);
  ~ShellDriver() override;

  void validate(const plan::Plan& plan) override;
  std::vector<std::string> describe(const plan::Step& step) override;
  void start(const plan::Step& step) override;
  std::vector<Finished> poll(std::chrono::milliseconds wait) override;
  Probe probe(const plan::Step& step) override;
  void cancel_all() override;

  void set_setup_started(std::function<std::optional<double>(const plan::Step&)> f) {
    opts_.setup_started = std::move(f);
  }

  // The command a step runs (placeholders filled); empty when it runs none.
  std::vector<std::string> command_of(const plan::Step& step) const;
  std::string output_path(const std::string& step_id);

 private:
  using Clock = std::chrono::steady_clock;
  enum class Kind { process, timer, logs };
  struct Task {
    std::string id;
    Kind kind = Kind::process;
    pid_t pid = -1;
    int pidfd = -1;
    Clock::time_point start, deadline, next_check, term_at;
    bool term_sent = false;
    std::chrono::duration<double> poll_every{5};
    std::string output, root, install_dir;
    std::optional<double> since;
  };

  const KindConfig& config_of(const plan::Step& step) const;
  std::string logs_root(const plan::Step& step) const;
  std::optional<Finished> check(Task& t, Clock::time_point now);
  Finished end(const Task& t, bool ok, int code, std::string message);

  ShellOptions opts_;
  std::vector<Task> tasks_;
  std::vector<Finished> early_;  // steps that could not even start
  bool made_output_dir_ = false;
};

}  // namespace smsup::drivers
