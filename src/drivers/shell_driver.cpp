#include "drivers/shell_driver.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "drivers/process.h"
#include "plan/step_kinds.h"
#include "util/error.h"

namespace smsup::drivers {

namespace fs = std::filesystem;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

namespace {

std::string escape_id(const std::string& id) {
  std::string out;
  for (unsigned char c : id) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string stamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool verifies_logs(const plan::Step& s, const KindConfig& k) {
  return plan::is(s, plan::Kind::verify) && k.command.empty();
}

}  // namespace

ShellDriver::ShellDriver(ShellOptions opts) : opts_(std::move(opts)) {}

ShellDriver::~ShellDriver() {
  for (auto& t : tasks_) {
    if (t.pidfd >= 0) close(t.pidfd);
  }
}

const KindConfig& ShellDriver::config_of(const plan::Step& step) const {
  const KindConfig* k = opts_.hosts.kind(step.kind);
  if (!k) {
    throw InputError(
        {opts_.hosts.file, 0, 0}, "kinds." + step.kind,
        fmt::format("no command for step kind '{}' (step {}); add kinds.{}.command", step.kind, step.id, step.kind));
  }
  return *k;
}

std::vector<std::string> ShellDriver::command_of(const plan::Step& step) const {
  const KindConfig& k = config_of(step);
  if (k.command.empty()) return {};
  return expand(k.command, values_of(step, opts_.inventory),
                fmt::format("kinds.{}.command (step {})", step.kind, step.id));
}

std::string ShellDriver::logs_root(const plan::Step& step) const {
  auto values = values_of(step, opts_.inventory);
  std::string field;
  const std::string& templ = opts_.hosts.logs_for(step.site, values.count("host") ? values["host"] : "", &field);
  if (templ.empty()) {
    throw InputError({opts_.hosts.file, 0, 0}, "logs",
                     fmt::format("step {} reads the site's logs; give their place, e.g. "
                                 "logs: /mnt/{{host}}/C$ or logs: smb://USER@{{host}}/C$",
                                 step.id));
  }
  return expand({templ}, values, fmt::format("{} (step {})", field, step.id))[0];
}

std::string ShellDriver::output_path(const std::string& step_id) {
  if (!made_output_dir_ && !opts_.output_dir.empty()) {
    fs::create_directories(opts_.output_dir);  // only once something runs
    made_output_dir_ = true;
  }
  return (fs::path(opts_.output_dir) / (escape_id(step_id) + ".log")).string();
}

void ShellDriver::validate(const plan::Plan& plan) {
  for (const auto& s : plan.steps) {
    if (s.manual) continue;
    const KindConfig& k = config_of(s);
    if (k.command.empty() && !k.wait && !plan::is(s, plan::Kind::verify)) {
      throw InputError({opts_.hosts.file, k.loc.line, k.loc.column}, "kinds." + s.kind,
                       fmt::format("step {} needs a command (or a wait)", s.id));
    }
    describe(s);  // every placeholder has a value
    if (!k.probe.empty()) {
      expand(k.probe, values_of(s, opts_.inventory), fmt::format("kinds.{}.probe (step {})", s.kind, s.id));
    }
  }
}

std::vector<std::string> ShellDriver::describe(const plan::Step& step) {
  if (step.manual) return {"(a person does it, then: smsup confirm " + step.id + ")"};
  const KindConfig& k = config_of(step);
  auto timeout = opts_.hosts.timeout_of(k).count();
  if (verifies_logs(step, k)) {
    return {"(read the logs under", logs_root(step), fmt::format("until the milestones appear, at most {}s)", timeout)};
  }
  if (k.wait) return {"(wait", fmt::format("{}s)", k.wait->count())};
  return command_of(step);
}

void ShellDriver::start(const plan::Step& step) {
  const KindConfig& k = config_of(step);
  Task t;
  t.id = step.id;
  t.start = Clock::now();
  t.deadline = t.start + duration_cast<Clock::duration>(opts_.hosts.timeout_of(k));
  if (verifies_logs(step, k)) {
    t.kind = Kind::logs;
    t.root = logs_root(step);
    auto v = values_of(step, opts_.inventory);
    t.install_dir = v.count("install_dir") ? v["install_dir"] : "C:\\SMS";
    t.since = opts_.setup_started ? opts_.setup_started(step) : std::nullopt;
    t.poll_every = k.poll;
    t.next_check = t.start;
  } else if (k.wait) {
    t.kind = Kind::timer;
    t.deadline = t.start + duration_cast<Clock::duration>(*k.wait);
  } else {
    auto argv = command_of(step);
    t.output = output_path(step.id);
    {
      std::ofstream h(t.output, std::ios::app);
      h << "==== " << stamp() << " " << quoted(argv) << "\n";
    }
    auto r = spawn(argv, t.output, "SMSUP_STEP=" + opts_.run_id + "/" + step.id);
    if (r.pid < 0) {
      early_.push_back(end(t, false, 127, fmt::format("cannot run {}: {}", argv[0], std::strerror(r.error))));
      return;
    }
    t.pid = r.pid;
    t.pidfd = r.pidfd;
  }
  tasks_.push_back(std::move(t));
}

Finished ShellDriver::end(const Task& t, bool ok, int code, std::string message) {
  Finished f;
  f.step_id = t.id;
  f.outcome.succeeded = ok;
  f.outcome.exit_code = code;
  f.outcome.message = std::move(message);
  f.outcome.seconds = std::chrono::duration<double>(Clock::now() - t.start).count();
  if (!t.output.empty()) f.outcome.output_tail = tail_of(t.output);
  return f;
}

std::optional<Finished> ShellDriver::check(Task& t, Clock::time_point now) {
  switch (t.kind) {
    case Kind::timer:
      if (now >= t.deadline) return end(t, true, 0, "waited");
      return std::nullopt;
    case Kind::logs: {
      if (now < t.next_check) return std::nullopt;
      auto r = opts_.log_check(t.root, t.install_dir, t.since);
      if (r.verified) return end(t, true, 0, r.summary);
      if (now >= t.deadline) {
        return end(t, false, 1, "milestones missing when the step timed out: " + r.summary);
      }
      t.next_check = now + duration_cast<Clock::duration>(t.poll_every);
      return std::nullopt;
    }
    case Kind::process:
      break;
  }
  if (auto st = reap(t.pid)) {
    if (t.term_sent) {
      auto secs = std::chrono::duration<double>(t.term_at - t.start).count();
      return end(t, false, *st, fmt::format("timed out after {:.0f}s; its process group was killed", secs));
    }
    if (*st == 0) return end(t, true, 0, "exit status 0");
    if (*st < 0) return end(t, false, *st, fmt::format("killed by signal {}", -*st));
    return end(t, false, *st, fmt::format("exit status {}", *st));
  }
  if (!t.term_sent && now >= t.deadline) {
    signal_group(t.pid, SIGTERM);
    t.term_sent = true;
    t.term_at = now;
  } else if (t.term_sent && now >= t.term_at + opts_.kill_grace) {
    signal_group(t.pid, SIGKILL);
  }
  return std::nullopt;
}

std::vector<Finished> ShellDriver::poll(milliseconds wait) {
  std::vector<Finished> out;
  out.swap(early_);
  auto until = Clock::now() + wait;
  while (true) {
    auto now = Clock::now();
    for (auto it = tasks_.begin(); it != tasks_.end();) {
      if (auto f = check(*it, now)) {
        if (it->pidfd >= 0) close(it->pidfd);
        out.push_back(std::move(*f));
        it = tasks_.erase(it);
      } else {
        ++it;
      }
    }
    if (!out.empty() || now >= until) return out;
    auto wake = until;
    std::vector<int> fds;
    for (const auto& t : tasks_) {
      if (t.kind == Kind::process) {
        fds.push_back(t.pidfd);
        wake = std::min(wake, t.term_sent ? t.term_at + opts_.kill_grace : t.deadline);
      } else {
        wake = std::min(wake, t.kind == Kind::logs ? t.next_check : t.deadline);
      }
    }
    auto ms = duration_cast<milliseconds>(wake - now) + milliseconds(1);
    wait_any(fds, std::max(ms, milliseconds(0)));
  }
}

Probe ShellDriver::probe(const plan::Step& step) {
  const KindConfig& k = config_of(step);
  if (verifies_logs(step, k)) {
    auto since = opts_.setup_started ? opts_.setup_started(step) : std::nullopt;
    auto v = values_of(step, opts_.inventory);
    auto r = opts_.log_check(logs_root(step), v.count("install_dir") ? v["install_dir"] : "C:\\SMS", since);
    return r.verified ? Probe::done : Probe::not_done;  // reading logs is harmless to repeat
  }
  if (k.wait) return Probe::not_done;
  // A process the dead run started may still be at work: let it finish first.
  std::string marker = "SMSUP_STEP=" + opts_.run_id + "/" + step.id;
  auto deadline = Clock::now() + duration_cast<Clock::duration>(opts_.hosts.timeout_of(k));
  while (!processes_with_marker(marker).empty()) {
    if (Clock::now() >= deadline) return Probe::unknown;
    std::this_thread::sleep_for(milliseconds(50));
  }
  if (!k.probe.empty()) {
    auto argv = expand(k.probe, values_of(step, opts_.inventory), "kinds." + step.kind + ".probe");
    auto st = run_to_end(argv, output_path(step.id), duration_cast<milliseconds>(opts_.hosts.probe_timeout));
    if (st && *st == 0) return Probe::done;
    if (st && *st == 1) return Probe::not_done;
    return Probe::unknown;
  }
  return k.rerun_safe ? Probe::not_done : Probe::unknown;
}

void ShellDriver::cancel_all() {
  for (auto& t : tasks_) {
    if (t.kind == Kind::process) signal_group(t.pid, SIGTERM);
  }
}

}  // namespace smsup::drivers
