#include "drivers/preflight.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "drivers/placeholders.h"
#include "drivers/process.h"
#include "logs/verify.h"
#include "plan/step_kinds.h"
#include "smb/client.h"
#include "smb/url.h"
#include "util/error.h"
#include "util/text.h"

namespace smsup::drivers {

namespace fs = std::filesystem;

bool PreflightHost::ok() const {
  return std::all_of(rows.begin(), rows.end(), [](const PreflightRow& r) { return r.ok; });
}

bool PreflightReport::ok() const {
  return std::all_of(hosts.begin(), hosts.end(), [](const PreflightHost& h) { return h.ok(); });
}

int PreflightReport::failures() const {
  int n = 0;
  for (const auto& h : hosts)
    for (const auto& r : h.rows) n += !r.ok;
  return n;
}

std::optional<std::string> find_in_path(const std::string& program, const std::string& path, std::string& why) {
  auto runnable = [](const std::string& p, std::string& reason) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
      reason = "no such file";
      return false;
    }
    if (!S_ISREG(st.st_mode)) {
      reason = "not a regular file";
      return false;
    }
    if (::access(p.c_str(), X_OK) != 0) {
      reason = "not executable by this user";
      return false;
    }
    return true;
  };
  if (program.empty()) {
    why = "the program is an empty string";
    return std::nullopt;
  }
  if (program.find('/') != std::string::npos) {
    std::string reason;
    if (runnable(program, reason)) return program;
    why = fmt::format("{}: {}", program, reason);
    return std::nullopt;
  }
  // execvp's search: each PATH entry in order, an empty entry meaning the
  // current folder; the first executable regular file wins.
  std::string not_executable;
  for (std::size_t pos = 0; pos <= path.size();) {
    std::size_t colon = std::min(path.find(':', pos), path.size());
    std::string dir = path.substr(pos, colon - pos);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
    std::string reason;
    if (runnable(candidate, reason)) return candidate;
    if (reason != "no such file" && not_executable.empty()) not_executable = candidate + ": " + reason;
    pos = colon + 1;
  }
  why = not_executable.empty() ? fmt::format("'{}' is not in any folder of PATH", program)
                               : fmt::format("'{}' found but cannot run: {}", program, not_executable);
  return std::nullopt;
}

namespace {

std::string size_text(std::uint64_t n) {
  if (n < 10 * 1024) return fmt::format("{} bytes", n);
  if (n < 10 * 1024 * 1024) return fmt::format("{} KiB", n / 1024);
  return fmt::format("{} MiB", n / (1024 * 1024));
}

LogsProbe local_logs(const std::string& root, const std::string& install_dir) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) return {false, fmt::format("{} is not a folder (is the share mounted?)", root)};
  fs::directory_iterator it(root, ec);
  if (ec) return {false, fmt::format("cannot list {}: {}", root, ec.message())};
  std::string setup = "SMSSetup.log not there yet";
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!util::iequal(it->path().filename().string(), "SMSSetup.log")) continue;
    auto size = logs::LocalFile(it->path()).size();
    if (!size) return {false, fmt::format("{} is not a regular file", it->path().string())};
    if (*size > 0 && logs::LocalFile(it->path()).read(0, 1).empty())
      return {false, fmt::format("cannot read {}", it->path().string())};
    setup = fmt::format("SMSSetup.log present ({}, readable)", size_text(*size));
  }
  fs::path logs = logs::logs_folder(root, install_dir);
  if (!fs::is_directory(logs, ec))
    return {false, fmt::format("{}; no logs folder {} (install folder {})", setup, logs.string(), install_dir)};
  std::size_t files = 0;
  fs::directory_iterator lit(logs, ec);
  if (ec) return {false, fmt::format("{}; cannot list {}: {}", setup, logs.string(), ec.message())};
  for (; lit != fs::directory_iterator(); lit.increment(ec)) {
    if (ec) break;
    ++files;
  }
  return {true, fmt::format("{}; {} listed ({} entries)", setup, logs.string(), files)};
}

LogsProbe smb_logs(const std::string& root_text, const std::string& install_dir, smb::Session& session) {
  try {
    smb::Url root = smb::parse_url(root_text, "logs");
    smb::Client& client = session.client_for(root);
    auto entries = client.list(root);
    std::string setup = "SMSSetup.log not there yet";
    for (const auto& e : entries) {
      if (e.folder || !util::iequal(e.name, "SMSSetup.log")) continue;
      smb::Url file = root.child(e.name);
      if (e.size > 0) client.read(file, 0, 1);
      setup = fmt::format("SMSSetup.log present ({}, readable)", size_text(e.size));
    }
    smb::Url install = smb::install_folder(root, install_dir);
    auto in_install = client.list_if_exists(install);
    if (!in_install)
      return {false, fmt::format("{}; no install folder {} ({})", setup, install.display(), install_dir)};
    for (const auto& e : *in_install) {
      if (!e.folder || !util::iequal(e.name, "Logs")) continue;
      smb::Url logs = install.child(e.name);
      auto files = client.list(logs);
      return {true, fmt::format("{}; {} listed ({} entries)", setup, logs.display(), files.size())};
    }
    return {false, fmt::format("{}; no Logs folder in {}", setup, install.display())};
  } catch (const InputError& e) {
    return {false, e.message()};
  }
}

class SystemProbes : public PreflightProbes {
 public:
  explicit SystemProbes(smb::Access access) : session_(std::move(access)) {}

  LogsProbe logs(const std::string& root, const std::string& install_dir) override {
    if (smb::is_smb_url(root)) return smb_logs(root, install_dir, session_);
    return local_logs(root, install_dir);
  }

  std::optional<std::string> find_program(const std::string& program, std::string& why) override {
    const char* path = std::getenv("PATH");
    // execvp's default when PATH is unset (glibc): the current folder is not searched.
    return find_in_path(program, path ? path : "/bin:/usr/bin", why);
  }

  CheckRun run_check(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) override {
    CheckRun r;
    std::string templ = (fs::temp_directory_path() / "smsup-check-XXXXXX").string();
    int fd = ::mkstemp(templ.data());
    if (fd < 0) return r;
    ::close(fd);
    auto start = std::chrono::steady_clock::now();
    auto st = run_to_end(argv, templ, timeout);
    auto took = std::chrono::steady_clock::now() - start;
    r.output = tail_of(templ, 3);
    std::error_code ec;
    fs::remove(templ, ec);
    if (st) {
      r.started = true;
      r.status = *st;
    } else if (took >= timeout) {
      r.started = true;
      r.timed_out = true;
    }
    return r;
  }

 private:
  smb::Session session_;
};

// What one host needs checked, gathered from its steps.
struct HostNeeds {
  PreflightHost report;
  std::map<std::string, std::set<std::string>> programs;  // program -> kinds (in order of names)
  std::vector<std::string> program_order;
  std::map<std::pair<std::string, std::string>, std::string> logs;  // (root, install_dir) -> field
  std::vector<std::pair<std::string, std::string>> logs_order;
  std::vector<std::pair<std::string, std::vector<std::string>>> checks;  // kind, argv
  std::set<std::string> rows_seen;
  int filled = 0;

  void fail(const std::string& what, std::string detail, std::string fix) {
    if (!rows_seen.insert(what + "\n" + detail).second) return;
    report.rows.push_back({what, false, std::move(detail), std::move(fix)});
  }
  void program(const std::string& p, const std::string& kind) {
    if (!programs.count(p)) program_order.push_back(p);
    programs[p].insert(kind);
  }
};

std::string one_line(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

}  // namespace

std::unique_ptr<PreflightProbes> system_probes(smb::Access access) {
  return std::make_unique<SystemProbes>(std::move(access));
}

PreflightReport preflight(const plan::Plan& plan, const HostsConfig& hosts, const Hierarchy* inventory,
                          PreflightProbes& probes) {
  std::vector<std::unique_ptr<HostNeeds>> needs;
  std::map<std::string, HostNeeds*> by_host;
  for (const auto& s : plan.steps) {
    if (s.manual) continue;
    Values v = values_of(s, inventory);
    std::string host = v.count("host") ? v["host"] : "(no host)";
    HostNeeds*& n = by_host[host];
    if (!n) {
      n = needs.emplace_back(std::make_unique<HostNeeds>()).get();
      n->report.host = host;
    }
    if (!s.site.empty() && s.site != "*" &&
        std::find(n->report.sites.begin(), n->report.sites.end(), s.site) == n->report.sites.end())
      n->report.sites.push_back(s.site);

    const KindConfig* k = hosts.kind(s.kind);
    if (!k) {
      n->fail("kind " + s.kind, fmt::format("HOSTS.yaml has no entry for this step kind (step {})", s.id),
              fmt::format("add kinds.{}: with a command: [...], a wait:, or run the step by hand", s.kind));
      continue;
    }
    bool reads_logs = plan::is(s, plan::Kind::verify) && k->command.empty();
    if (k->command.empty() && !k->wait && !reads_logs) {
      n->fail("kind " + s.kind, fmt::format("no command and no wait (step {})", s.id),
              fmt::format("give kinds.{}.command (an argument list) or kinds.{}.wait", s.kind, s.kind));
      continue;
    }
    bool all_filled = true;
    auto fill = [&](const std::vector<std::string>& templ, const char* field) -> std::vector<std::string> {
      if (templ.empty()) return {};
      std::string where = fmt::format("kinds.{}.{}", s.kind, field);
      try {
        auto argv = expand(templ, v, where);
        n->program(argv[0], s.kind);
        return argv;
      } catch (const InputError& e) {
        all_filled = false;
        n->fail("placeholders " + where, fmt::format("step {}: {}", s.id, e.message()),
                "give the value in the inventory (--inventory), or take the placeholder out of the command");
        return {};
      }
    };
    fill(k->command, "command");
    fill(k->probe, "probe");
    auto check = fill(k->check, "check");
    if (!check.empty() &&
        std::none_of(n->checks.begin(), n->checks.end(), [&](const auto& c) { return c.second == check; }))
      n->checks.emplace_back(s.kind, check);
    if (reads_logs) {
      std::string field;
      const std::string& templ = hosts.logs_for(s.site, host, &field);
      if (templ.empty()) {
        all_filled = false;
        n->fail("logs", fmt::format("step {} reads the site's logs, and HOSTS.yaml does not say where they are", s.id),
                "add logs: (a folder or smb://USER@{host}/C$), or sites." + s.site + ".logs / hosts." + host + ".logs");
      } else {
        try {
          std::string root = expand({templ}, v, field)[0];
          std::string install = v.count("install_dir") ? v["install_dir"] : "C:\\SMS";
          auto key = std::make_pair(root, install);
          if (!n->logs.count(key)) {
            n->logs[key] = field;
            n->logs_order.push_back(key);
          }
        } catch (const InputError& e) {
          all_filled = false;
          n->fail("placeholders " + field, fmt::format("step {}: {}", s.id, e.message()),
                  "give the value in the inventory (--inventory), or take the placeholder out of logs:");
        }
      }
    }
    n->filled += all_filled;
  }

  PreflightReport report;
  for (auto& np : needs) {
    HostNeeds& n = *np;
    auto& rows = n.report.rows;
    if (n.filled > 0)
      rows.insert(rows.begin(),
                  {"placeholders", true, fmt::format("every command fills for {} step(s)", n.filled), ""});
    for (const auto& [root, install] : n.logs_order) {
      LogsProbe p = probes.logs(root, install);
      std::string shown = smb::is_smb_url(root) ? smb::parse_url(root, n.logs[{root, install}]).display() : root;
      rows.push_back({"logs " + shown, p.ok, p.detail,
                      p.ok ? ""
                      : smb::is_smb_url(root)
                          ? "check the server, share, user and password (--smb-auth), and "
                            "that the account may read the share"
                          : "mount the site server's system drive there, or give an smb:// URL in logs:"});
    }
    std::map<std::string, bool> runnable;
    for (const auto& p : n.program_order) {
      std::string why;
      auto found = probes.find_program(p, why);
      runnable[p] = found.has_value();
      std::string kinds = fmt::format("{}", fmt::join(n.programs[p], ", "));
      if (found)
        rows.push_back({"program " + p, true, fmt::format("{} (for {})", *found, kinds), ""});
      else
        rows.push_back({"program " + p, false, fmt::format("{} (for {})", why, kinds),
                        "install it (see docs/hosts.md for the Debian packages), or give its full path in HOSTS.yaml"});
    }
    for (const auto& [kind, argv] : n.checks) {
      std::string what = "check " + kind;
      if (!runnable[argv[0]]) {
        rows.push_back({what, false, "not run: its program cannot run here", "see the program's row"});
        continue;
      }
      auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(hosts.check_timeout);
      CheckRun r = probes.run_check(argv, timeout);
      std::string cmd = quoted(argv);
      if (!r.started)
        rows.push_back({what, false, fmt::format("{} could not be started", cmd), "see the program's row"});
      else if (r.timed_out)
        rows.push_back({what, false,
                        fmt::format("{} gave no answer within {:g}s; it was stopped", cmd, hosts.check_timeout.count()),
                        "is the host up and reachable from here? (check_timeout: sets the bound)"});
      else if (r.status != 0)
        rows.push_back(
            {what, false,
             fmt::format("{} ended with {} {}{}", cmd, r.status < 0 ? "signal" : "exit status",
                         r.status < 0 ? -r.status : r.status, r.output.empty() ? "" : ": " + one_line(r.output)),
             "run the command by hand to see why (user, password, firewall, service)"});
      else
        rows.push_back({what, true, cmd + " succeeded", ""});
    }
    report.hosts.push_back(std::move(n.report));
  }
  return report;
}

std::string preflight_text(const PreflightReport& r) {
  std::string out;
  for (const auto& h : r.hosts) {
    out += fmt::format("Host {}{}: {}\n", h.host,
                       h.sites.empty() ? "" : fmt::format(" (site {})", fmt::join(h.sites, ", ")),
                       h.ok() ? "ok" : "NOT ready");
    std::size_t width = 0;
    for (const auto& row : h.rows) width = std::max(width, row.what.size());
    for (const auto& row : h.rows) {
      out += fmt::format("  {:<4} {:<{}}  {}\n", row.ok ? "ok" : "FAIL", row.what, width, row.detail);
      if (!row.ok && !row.fix.empty()) out += fmt::format("       {:<{}}  fix: {}\n", "", width, row.fix);
    }
  }
  int n = r.failures();
  out += n == 0 ? fmt::format("Preflight: {} host(s) ready\n", r.hosts.size())
                : fmt::format("Preflight: {} problem(s) to fix before the run\n", n);
  return out;
}

std::string preflight_json(const PreflightReport& r) {
  nlohmann::json j;
  j["ok"] = r.ok();
  j["problems"] = r.failures();
  j["hosts"] = nlohmann::json::array();
  for (const auto& h : r.hosts) {
    nlohmann::json hj{{"host", h.host}, {"sites", h.sites}, {"ok", h.ok()}, {"rows", nlohmann::json::array()}};
    for (const auto& row : h.rows)
      hj["rows"].push_back({{"check", row.what}, {"ok", row.ok}, {"detail", row.detail}, {"fix", row.fix}});
    j["hosts"].push_back(hj);
  }
  return j.dump(2) + "\n";
}

}  // namespace smsup::drivers
