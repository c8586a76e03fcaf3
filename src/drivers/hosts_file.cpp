#include "drivers/hosts_file.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "drivers/placeholders.h"
#include "inventory/yaml_reader.h"
#include "util/duration.h"
#include "util/closest.h"
#include "util/input_file.h"

namespace smsup::drivers {

using inventory::MapReader;

std::optional<Seconds> parse_duration(const std::string& s) {
  auto d = smsup::parse_duration(s);
  if (!d) return std::nullopt;
  return Seconds(static_cast<double>(d->count()) / 1000.0);
}

namespace {

// A duration of HOSTS.yaml, in its range: a timeout of 0 or inf would kill
// every step at once or never, a wait of inf would skip past the settle.
std::optional<Seconds> duration(MapReader& r, const std::string& key, std::chrono::milliseconds min,
                                std::chrono::milliseconds max) {
  auto s = r.opt_str(key);
  if (!s) return std::nullopt;
  auto d = checked_duration(*s, r.value_loc(key), r.field(key), min, max);
  return Seconds(static_cast<double>(d.count()) / 1000.0);
}

using namespace std::chrono_literals;
constexpr auto kDays30 = std::chrono::milliseconds(std::chrono::hours(24 * 30));

// " (did you mean {host}?)" for a placeholder with a typo, or "".
std::string near_placeholder(const std::string& name) {
  auto near = closest(name, placeholder_names());
  return near ? fmt::format(" (did you mean {{{}}}?)", *near) : std::string();
}

// A template argument list: every placeholder must be one of ours.
std::vector<std::string> argv(MapReader& r, const std::string& key) {
  // child() marks the key as one this mapping knows, present or not, so that
  // a typo of it ("comand") is told as near it.
  auto child = r.child(key);
  if (!child) return {};
  auto node = *child;
  if (!node.IsSequence()) {
    r.fail(key,
           "expected a list of arguments, e.g. [/opt/sms/backup, --site, \"{site}\"] "
           "(a command is never one string for a shell)");
  }
  auto args = r.str_list(key);
  if (args.empty()) r.fail(key, "expected at least the program to run");
  for (size_t i = 0; i < args.size(); ++i) {
    std::vector<std::string> names;
    try {
      names = placeholders_in(args[i]);
    } catch (const std::invalid_argument& e) {
      r.fail_at(node[i], r.field(key) + fmt::format("[{}]", i), e.what());
    }
    for (const auto& n : names) {
      if (!is_placeholder(n)) {
        r.fail_at(node[i], r.field(key) + fmt::format("[{}]", i),
                  fmt::format("unknown placeholder {{{}}}{}; expected {{host}}, {{site}}, {{db}}, "
                              "{{method}}, {{install_dir}}, {{step}} or {{kind}}",
                              n, near_placeholder(n)));
      }
    }
  }
  return args;
}

KindConfig read_kind(MapReader& r) {
  KindConfig k;
  k.loc = r.loc();
  k.command = argv(r, "command");
  k.probe = argv(r, "probe");
  k.check = argv(r, "check");
  k.timeout = duration(r, "timeout", 10ms, kDays30);
  k.wait = duration(r, "wait", 1ms, kDays30);
  if (auto p = duration(r, "poll", 1ms, 1h)) k.poll = *p;
  k.rerun_safe = r.boolean("rerun_safe", false);
  if (!k.command.empty() && k.wait) r.fail("wait", "a kind has either a command or a wait, not both");
  r.finish();
  return k;
}

// A `logs:` template: a folder or an smb:// URL, with placeholders of ours only.
std::string logs_template(MapReader& r) {
  std::string logs = r.opt_str("logs").value_or("");
  std::vector<std::string> names;
  try {
    names = placeholders_in(logs);
  } catch (const std::invalid_argument& e) {
    r.fail("logs", e.what());
  }
  for (const auto& n : names) {
    if (!is_placeholder(n)) r.fail("logs", fmt::format("unknown placeholder {{{}}}{}", n, near_placeholder(n)));
  }
  return logs;
}

}  // namespace

const std::string& HostsConfig::logs_for(const std::string& site, const std::string& host, std::string* field) const {
  if (auto it = host_logs.find(host); !host.empty() && it != host_logs.end() && !it->second.empty()) {
    if (field) *field = "hosts." + host + ".logs";
    return it->second;
  }
  if (auto it = site_logs.find(site); !site.empty() && it != site_logs.end() && !it->second.empty()) {
    if (field) *field = "sites." + site + ".logs";
    return it->second;
  }
  if (field) *field = "logs";
  return logs;
}

HostsConfig parse_hosts(const std::string& text, const std::string& display_name) {
  YAML::Node root = inventory::load_one_document(text, display_name, "a hosts file");
  if (!root.IsMap())
    throw InputError({display_name, 1, 1}, "", "expected a mapping (format: smsup-hosts/1, logs:, kinds:)");
  MapReader r(root, display_name, "");
  HostsConfig c;
  c.file = display_name;
  if (auto f = r.str("format"); f != "smsup-hosts/1") {
    r.fail("format", fmt::format("'{}' is not a known hosts format; expected smsup-hosts/1", f));
  }
  c.logs = logs_template(r);
  for (const char* section : {"sites", "hosts"}) {
    auto node = r.child(section);
    if (!node) continue;
    if (!node->IsMap()) {
      r.fail(section, fmt::format("expected a mapping of {} to {{logs: ...}}",
                                  std::string(section) == "sites" ? "site code" : "host name"));
    }
    auto& into = std::string(section) == "sites" ? c.site_logs : c.host_logs;
    for (const auto& kv : *node) {
      if (!kv.first.IsScalar()) r.fail_at(kv.first, section, "expected a name as the key, not a list or mapping");
      std::string name = kv.first.as<std::string>();
      std::string field = fmt::format("{}.{}", section, name);
      if (!kv.second.IsMap()) r.fail_at(kv.second, field, "expected a mapping (logs: ...)");
      MapReader er(kv.second, display_name, field);
      into[name] = logs_template(er);
      er.finish();
    }
  }
  if (auto t = duration(r, "timeout", 10ms, kDays30)) c.timeout = *t;
  if (auto t = duration(r, "probe_timeout", 10ms, kDays30)) c.probe_timeout = *t;
  if (auto t = duration(r, "check_timeout", 10ms, 24h)) c.check_timeout = *t;
  auto kinds = r.child("kinds");
  if (!kinds || !kinds->IsMap()) r.fail("kinds", "expected a mapping of step kind to command");
  for (const auto& kv : *kinds) {
    // A complex key (`? [a, b]:`) ended in yaml-cpp's "bad conversion" (found by fuzz_hosts_yaml).
    if (!kv.first.IsScalar()) r.fail_at(kv.first, "kinds", "expected a step kind as the key, not a list or mapping");
    std::string name = kv.first.as<std::string>();
    if (!kv.second.IsMap()) {
      r.fail_at(kv.second, "kinds." + name, "expected a mapping (command:, timeout:, probe:, ...)");
    }
    MapReader kr(kv.second, display_name, "kinds." + name);
    c.kinds[name] = read_kind(kr);
  }
  r.finish();
  return c;
}

HostsConfig load_hosts(const std::string& path) {
  return parse_hosts(read_input_file(path, "a hosts file (YAML)", limits::kHosts), path);
}

}  // namespace smsup::drivers
