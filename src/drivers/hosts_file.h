// HOSTS.yaml: how the shell driver carries out each step kind on real hosts
// (shared/spec/apply.md). Commands are argument vectors with placeholders;
// they are never handed to a shell.
//
//   format: smsup-hosts/1
//   logs: /mnt/{host}/C$          # each host's system drive: a folder, or
//                                 # smb://[DOMAIN;]USER@{host}/C$ (read over SMB)
//   sites: {CEN: {logs: smb://CORP;adm@CEN-SMS01/C$}}   # one site's, before logs:
//   hosts: {PR1-SMS: {logs: /mnt/pr1/C$}}                # one host's, before sites:
//   check_timeout: 30s            # each kind's check: command (preflight)
//   timeout: 2h                   # default step timeout
//   kinds:
//     backup:
//       command: [/opt/sms/backup, --site, "{site}", --db, "{db}"]
//       timeout: 90m
//       probe: [/opt/sms/backup, --check, "{site}"]   # exit 0 done, 1 not done
//     settle: {wait: 30m}         # a timer, no process
//     verify: {timeout: 3h, poll: 10s}   # reads the logs (no command)
//     readiness: {command: [smsup, check, /srv/inv.yaml], rerun_safe: true}
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/error.h"

namespace smsup::drivers {

using Seconds = std::chrono::duration<double>;

struct KindConfig {
  std::vector<std::string> command;  // empty: no process (verify reads logs; wait)
  std::vector<std::string> probe;    // empty: cannot tell after a crash
  std::vector<std::string> check;    // preflight: a harmless command, exit 0 when the host is reachable
  std::optional<Seconds> timeout;    // falls back to HostsConfig::timeout
  std::optional<Seconds> wait;       // a timer step (settle)
  Seconds poll{5};                   // how often verify re-reads the logs
  bool rerun_safe = false;           // found running after a crash: just run again
  SourceLoc loc;
};

struct HostsConfig {
  std::string file;
  std::string logs;                              // path template of a host's system drive (a folder or an smb:// URL)
  std::map<std::string, std::string> site_logs;  // sites.<CODE>.logs, before `logs`
  std::map<std::string, std::string> host_logs;  // hosts.<HOST>.logs, before site_logs
  Seconds timeout{2 * 3600};
  Seconds probe_timeout{300};
  Seconds check_timeout{30};
  std::map<std::string, KindConfig> kinds;

  // The logs template for a site server: hosts.<host>.logs, else
  // sites.<site>.logs, else logs (empty when none is given); the field that
  // gave it, for messages, in `field` when not null.
  const std::string& logs_for(const std::string& site, const std::string& host, std::string* field = nullptr) const;

  const KindConfig* kind(const std::string& k) const {
    auto it = kinds.find(k);
    return it == kinds.end() ? nullptr : &it->second;
  }
  Seconds timeout_of(const KindConfig& k) const { return k.timeout.value_or(timeout); }
};

// Reads HOSTS.yaml; InputError (file, line, column, key) on anything wrong,
// including a placeholder that does not exist.
HostsConfig load_hosts(const std::string& path);
HostsConfig parse_hosts(const std::string& text, const std::string& display_name);

// "90", "90s", "30m", "2h", "1.5h" -> seconds; nullopt when not a duration.
std::optional<Seconds> parse_duration(const std::string& s);

}  // namespace smsup::drivers
