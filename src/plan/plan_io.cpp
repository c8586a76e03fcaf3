#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>

#include "plan/plan.h"
#include "util/error.h"

namespace smsup::plan {

using nlohmann::json;

const Step* Plan::find(std::string_view id) const {
  for (const auto& s : steps) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

bool is_lane_edge(const Step& s, std::string_view pred) {
  auto it = s.params.find("lane_after");
  return it != s.params.end() && it->is_string() && it->get_ref<const std::string&>() == pred;
}

namespace {

// Everything of a plan file but its steps, in the spec's key order; one
// definition for the JSON value (show --format json) and the streamed file.
template <class J>
J head_of(const Plan& p) {
  return {{"format", p.format},
          {"hierarchy", p.hierarchy},
          {"inventory", p.inventory},
          {"inventory_sha256", p.inventory_sha256},
          {"created", p.created},
          {"options",
           {{"method", p.options.method},
            {"with_os_sp1", p.options.with_os_sp1},
            {"clients_first", p.options.clients_first},
            {"max_parallel", p.options.max_parallel},
            {"waived", p.options.waived},
            {"as_of", p.options.as_of}}}};
}

}  // namespace

json to_json(const Plan& p) {
  json steps = json::array();
  for (const auto& s : p.steps) {
    json js = {{"id", s.id},         {"kind", s.kind},     {"site", s.site},
               {"host", s.host},     {"after", s.after},   {"manual", s.manual},
               {"params", s.params}, {"estimate_min", s.estimate_min},
               {"why", s.why},       {"title", s.title}};
    if (s.host.empty()) js["host"] = nullptr;
    steps.push_back(std::move(js));
  }
  auto j = head_of<json>(p);
  j["steps"] = std::move(steps);
  return j;
}

namespace {

struct Reader {
  const std::string& file;
  [[noreturn]] void fail(const std::string& field, const std::string& msg) const {
    throw InputError({file, 0, 0}, field, msg);
  }
  const json& get(const json& obj, const char* key, const std::string& path,
                  json::value_t type, const char* expected) const {
    auto it = obj.find(key);
    std::string field = path.empty() ? key : path + "." + key;
    if (it == obj.end()) fail(field, fmt::format("required key is missing; expected {}", expected));
    bool ok = it->type() == type ||
              (type == json::value_t::number_float && it->is_number()) ||
              (type == json::value_t::number_integer && it->is_number_integer());
    if (!ok) fail(field, fmt::format("wrong type ({}); expected {}", it->type_name(), expected));
    return *it;
  }
  std::string str(const json& o, const char* k, const std::string& path) const {
    return get(o, k, path, json::value_t::string, "a string").get<std::string>();
  }
  std::vector<std::string> strs(const json& o, const char* k, const std::string& path) const {
    const auto& a = get(o, k, path, json::value_t::array, "a list of strings");
    std::vector<std::string> out;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_string()) fail(fmt::format("{}.{}[{}]", path, k, i), "expected a string");
      out.push_back(a[i].get<std::string>());
    }
    return out;
  }
};

}  // namespace

Plan from_json(const json& j, const std::string& file) {
  Reader r{file};
  if (!j.is_object()) r.fail("", "not an smsup plan (expected a JSON object)");
  Plan p;
  p.format = r.str(j, "format", "");
  if (p.format != "smsup-plan/1") {
    r.fail("format", fmt::format("'{}' is not a known plan format; expected smsup-plan/1", p.format));
  }
  p.hierarchy = r.str(j, "hierarchy", "");
  if (j.contains("inventory") && j["inventory"].is_string()) p.inventory = j["inventory"];
  p.inventory_sha256 = r.str(j, "inventory_sha256", "");
  p.created = r.str(j, "created", "");
  const auto& o = r.get(j, "options", "", json::value_t::object, "an object");
  if (o.contains("method") && o["method"].is_string()) p.options.method = o["method"];
  if (o.contains("with_os_sp1") && o["with_os_sp1"].is_boolean()) p.options.with_os_sp1 = o["with_os_sp1"];
  if (o.contains("clients_first") && o["clients_first"].is_boolean()) p.options.clients_first = o["clients_first"];
  if (o.contains("max_parallel") && o["max_parallel"].is_number_integer()) {
    p.options.max_parallel = o["max_parallel"];
    if (p.options.max_parallel < 1) r.fail("options.max_parallel", "expected 1 or more");
  }
  if (o.contains("waived") && o["waived"].is_array()) p.options.waived = r.strs(o, "waived", "options");
  if (o.contains("as_of") && o["as_of"].is_string()) p.options.as_of = o["as_of"];
  const auto& steps = r.get(j, "steps", "", json::value_t::array, "a list of steps");
  std::set<std::string> seen;
  for (size_t i = 0; i < steps.size(); ++i) {
    std::string path = fmt::format("steps[{}]", i);
    const auto& js = steps[i];
    if (!js.is_object()) r.fail(path, "expected a step object");
    Step s;
    s.id = r.str(js, "id", path);
    s.kind = r.str(js, "kind", path);
    s.site = r.str(js, "site", path);
    if (js.contains("host") && js["host"].is_string()) s.host = js["host"];
    s.after = r.strs(js, "after", path);
    s.manual = r.get(js, "manual", path, json::value_t::boolean, "true or false").get<bool>();
    if (js.contains("params")) s.params = js["params"];
    s.estimate_min = r.get(js, "estimate_min", path, json::value_t::number_float, "a number").get<double>();
    if (!(s.estimate_min >= 0) || !std::isfinite(s.estimate_min)) {
      r.fail(path + ".estimate_min", "expected a number of minutes, 0 or more");
    }
    if (js.contains("why")) s.why = r.strs(js, "why", path);
    s.title = r.str(js, "title", path);
    for (size_t k = 0; k < s.after.size(); ++k) {
      if (!seen.contains(s.after[k])) {
        r.fail(fmt::format("{}.after[{}]", path, k),
               fmt::format("'{}' is not an earlier step; expected ids of steps listed before",
                           s.after[k]));
      }
    }
    if (!seen.insert(s.id).second) r.fail(path + ".id", fmt::format("step id '{}' is used twice", s.id));
    p.steps.push_back(std::move(s));
  }
  return p;
}

Plan load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "", "cannot open plan file");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::parse_error& e) {
    // nlohmann reports a byte offset; turn it into line:column.
    std::ifstream again(path, std::ios::binary);
    std::ostringstream ss;
    ss << again.rdbuf();
    auto text = ss.str();
    int line = 1, col = 1;
    for (size_t i = 0; i < text.size() && i + 1 < e.byte; ++i) {
      if (text[i] == '\n') { ++line; col = 1; } else { ++col; }
    }
    throw InputError({path, line, col}, "", "not valid JSON; expected an smsup plan");
  }
  return from_json(j, path);
}

namespace {

// Keys in the spec's order, one step per line, each step's params written
// without a copy (they can list a million client names).
void write_plan(std::ostream& out, const Plan& p) {
  using ojson = nlohmann::ordered_json;
  ojson head = head_of<ojson>(p);
  std::string h = head.dump(1);
  h.resize(h.size() - 2);  // "\n}"
  out << h << ",\n \"steps\": [";
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const Step& s = p.steps[i];
    ojson js = {{"id", s.id},       {"kind", s.kind},         {"site", s.site},
                {"host", nullptr},  {"after", s.after},       {"manual", s.manual},
                {"estimate_min", s.estimate_min},             {"why", s.why},
                {"title", s.title}};
    if (!s.host.empty()) js["host"] = s.host;
    std::string line = js.dump();
    line.pop_back();
    out << (i == 0 ? "\n  " : ",\n  ") << line << ",\"params\":" << s.params.dump() << "}";
  }
  out << "\n ]\n}\n";
}

}  // namespace

void save(const Plan& p, const std::string& path) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError({path, 0, 0}, "", "cannot write plan file");
    write_plan(out, p);
    if (!out) throw InputError({path, 0, 0}, "", "cannot write plan file");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    throw InputError({path, 0, 0}, "", "cannot write plan file");
  }
}

}  // namespace smsup::plan
