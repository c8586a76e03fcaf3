#include "drivers/hosts_file.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "drivers/placeholders.h"
#include "inventory/yaml_reader.h"
#include "util/closest.h"

namespace smsup::drivers {

using inventory::MapReader;

std::optional<Seconds> parse_duration(const std::string& s) {
  if (s.empty()) return std::nullopt;
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (v < 0) return std::nullopt;
  std::string unit = s.substr(used);
  if (unit.empty() || unit == "s") return Seconds(v);
  if (unit == "ms") return Seconds(v / 1000);
  if (unit == "m") return Seconds(v * 60);
  if (unit == "h") return Seconds(v * 3600);
  return std::nullopt;
}

namespace {

std::optional<Seconds> duration(MapReader& r, const std::string& key) {
  auto s = r.opt_str(key);
  if (!s) return std::nullopt;
  auto d = parse_duration(*s);
  if (!d) r.fail(key, fmt::format("'{}' is not a duration; expected e.g. 90s, 30m, 2h", *s));
  return d;
}

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
    r.fail(key, "expected a list of arguments, e.g. [/opt/sms/backup, --site, \"{site}\"] "
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
  k.timeout = duration(r, "timeout");
  k.wait = duration(r, "wait");
  if (auto p = duration(r, "poll")) k.poll = *p;
  k.rerun_safe = r.boolean("rerun_safe", false);
  if (!k.command.empty() && k.wait) r.fail("wait", "a kind has either a command or a wait, not both");
  r.finish();
  return k;
}

}  // namespace

HostsConfig parse_hosts(const std::string& text, const std::string& display_name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError({display_name, e.mark.line + 1, e.mark.column + 1}, "",
                     fmt::format("not valid YAML ({}); expected a hosts file", e.msg));
  }
  if (!root.IsMap()) throw InputError({display_name, 1, 1}, "", "expected a mapping (format: smsup-hosts/1, logs:, kinds:)");
  MapReader r(root, display_name, "");
  HostsConfig c;
  c.file = display_name;
  if (auto f = r.str("format"); f != "smsup-hosts/1") {
    r.fail("format", fmt::format("'{}' is not a known hosts format; expected smsup-hosts/1", f));
  }
  c.logs = r.opt_str("logs").value_or("");
  if (!c.logs.empty()) {
    for (const auto& n : placeholders_in(c.logs)) {
      if (!is_placeholder(n))
        r.fail("logs", fmt::format("unknown placeholder {{{}}}{}", n, near_placeholder(n)));
    }
  }
  if (auto t = duration(r, "timeout")) c.timeout = *t;
  if (auto t = duration(r, "probe_timeout")) c.probe_timeout = *t;
  auto kinds = r.child("kinds");
  if (!kinds || !kinds->IsMap()) r.fail("kinds", "expected a mapping of step kind to command");
  for (const auto& kv : *kinds) {
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
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "--hosts", "cannot open hosts file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_hosts(ss.str(), path);
}

}  // namespace smsup::drivers
