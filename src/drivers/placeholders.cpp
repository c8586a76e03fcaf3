#include "drivers/placeholders.h"

#include <fmt/format.h>

#include <array>
#include <stdexcept>

#include "plan/step_kinds.h"
#include "util/error.h"

namespace smsup::drivers {

namespace {

constexpr std::array<std::string_view, 8> kNames = {"host",        "site", "db",   "method",
                                                    "install_dir", "step", "kind", "mode"};

// Walks `arg`, calling lit(text) for literal text and ph(name) for each
// placeholder. "{{" and "}}" are literal braces.
template <class Lit, class Ph>
void walk(std::string_view arg, Lit lit, Ph ph) {
  size_t i = 0;
  while (i < arg.size()) {
    char c = arg[i];
    if ((c == '{' || c == '}') && i + 1 < arg.size() && arg[i + 1] == c) {
      lit(arg.substr(i, 1));
      i += 2;
    } else if (c == '{') {
      size_t close = arg.find('}', i);
      if (close == std::string_view::npos) {
        throw std::invalid_argument(fmt::format("unclosed '{{' in '{}'; write {{{{ for a literal brace", arg));
      }
      ph(arg.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      size_t next = arg.find_first_of("{}", i + 1);
      if (c == '}') next = i + 1;
      if (next == std::string_view::npos) next = arg.size();
      lit(arg.substr(i, next - i));
      i = next;
    }
  }
}

}  // namespace

const std::vector<std::string>& placeholder_names() {
  static const std::vector<std::string> names(kNames.begin(), kNames.end());
  return names;
}

bool is_placeholder(std::string_view name) {
  for (auto n : kNames) {
    if (n == name) return true;
  }
  return false;
}

std::vector<std::string> placeholders_in(std::string_view arg) {
  std::vector<std::string> out;
  walk(
      arg, [](std::string_view) {}, [&](std::string_view n) { out.emplace_back(n); });
  return out;
}

Values values_of(const plan::Step& step, const Hierarchy* inventory) {
  Values v;
  v["step"] = step.id;
  v["kind"] = step.kind;
  if (!step.site.empty() && step.site != "*") v["site"] = step.site;
  if (!step.host.empty()) v["host"] = step.host;
  auto param = [&](const char* key, const char* name) {
    auto it = step.params.find(key);
    if (it != step.params.end() && it->is_string() && !v.count(name)) v[name] = it->get<std::string>();
  };
  param("db", "db");
  param("database", "db");
  param("install_dir", "install_dir");
  param("method", "method");
  // A dbtest's mode: same-server, or copy (also for plans made before the
  // mode was written), so that a command can branch on it.
  param("mode", "mode");
  if (plan::is(step, plan::Kind::dbtest) && !v.count("mode")) v["mode"] = plan::kDbtestCopy;
  if (inventory && v.count("site")) {
    int i = inventory->find_site(step.site);
    if (i >= 0) {
      const Site& s = inventory->sites[static_cast<size_t>(i)];
      if (!v.count("db") && s.database) v["db"] = s.database->name;
      if (!v.count("install_dir")) v["install_dir"] = s.install_dir;
      if (!v.count("method")) v["method"] = std::string(to_string(inventory->method_of(s)));
      if (!v.count("host")) v["host"] = s.site_server().host;
    }
  }
  return v;
}

std::vector<std::string> expand(const std::vector<std::string>& templ, const Values& values, const std::string& where) {
  std::vector<std::string> out;
  out.reserve(templ.size());
  for (const auto& arg : templ) {
    std::string s;
    walk(
        arg, [&](std::string_view lit) { s.append(lit); },
        [&](std::string_view name) {
          auto it = values.find(name);
          if (it == values.end()) {
            throw InputError({}, where,
                             fmt::format("no value for {{{}}} (the plan and the inventory do not "
                                         "give one for this step)",
                                         name));
          }
          s.append(it->second);
        });
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace smsup::drivers
