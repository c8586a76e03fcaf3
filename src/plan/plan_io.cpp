#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>
#include <yaml-cpp/yaml.h>

#include "model/names.h"
#include "plan/plan.h"
#include "plan/plan_inventory.h"
#include "plan/step_kinds.h"
#include "util/closest.h"
#include "util/input_file.h"
#include "util/json_input.h"
#include "util/error.h"
#include "util/output_file.h"
#include "util/printable.h"

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

bool same_server_dbtest(const Options& o, std::string_view site) {
  for (const auto& x : o.dbtest_same_server) {
    if (x == "all" || x == site) return true;
  }
  return false;
}

bool same_server_dbtest(const Step& s) {
  if (!is(s, Kind::dbtest)) return false;
  auto it = s.params.find("mode");
  return it != s.params.end() && it->is_string() && it->get_ref<const std::string&>() == kDbtestSameServer;
}

int64_t same_server_short_mb(const Step& s) {
  if (!same_server_dbtest(s)) return 0;
  auto room = s.params.find("room_mb"), free = s.params.find("free_disk_mb");
  if (room == s.params.end() || free == s.params.end() || !room->is_number() || !free->is_number()) return 0;
  return std::max<int64_t>(0, room->get<int64_t>() - free->get<int64_t>());
}

std::vector<std::string> same_server_sequence() {
  return {"stop-services", "backup", "detach", "create", "restore", "test", "drop", "reattach", "start-services"};
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
            {"dbtest_same_server", p.options.dbtest_same_server},
            {"max_parallel", p.options.max_parallel},
            {"waived", p.options.waived},
            {"as_of", p.options.as_of}}}};
}

}  // namespace

json to_json(const Plan& p) {
  json steps = json::array();
  for (const auto& s : p.steps) {
    json js = {{"id", s.id},       {"kind", s.kind},     {"site", s.site},     {"host", s.host},
               {"after", s.after}, {"manual", s.manual}, {"params", s.params}, {"estimate_min", s.estimate_min},
               {"why", s.why},     {"title", s.title}};
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
  const json& get(const json& obj, const char* key, const std::string& path, json::value_t type,
                  const char* expected) const {
    auto it = obj.find(key);
    std::string field = path.empty() ? key : path + "." + key;
    if (it == obj.end()) fail(field, fmt::format("required key is missing; expected {}", expected));
    bool ok = it->type() == type || (type == json::value_t::number_float && it->is_number()) ||
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

// The params a step's runner reads as a given type (the twin's steps, the
// runbook): one of another type in a hand-edited plan would end the run
// mid-way in nlohmann's words, so it is refused on load. Every other param
// is free-form, and read only where it has the type expected.
struct TypedParam {
  const char* key;
  json::value_t type;
  const char* expected;
};
constexpr TypedParam kTypedParams[] = {
    {"on_original", json::value_t::boolean, "true or false"},
    {"with_move", json::value_t::boolean, "true or false"},
    {"enable_autogrow", json::value_t::boolean, "true or false"},
    {"kb906570", json::value_t::boolean, "true or false"},
    {"server", json::value_t::string, "a server's name (a string)"},
    {"database", json::value_t::string, "a database's name (a string)"},
    {"fix", json::value_t::string, "a fix's name, e.g. KB906570 (a string)"},
    {"group", json::value_t::string, "a group's step id (a string)"},
    {"method", json::value_t::string, "a method's name (a string)"},
};

void check_params(const Reader& r, const json& params, const std::string& path) {
  if (auto p = params_problem(params)) r.fail(p->key.empty() ? path : path + "." + p->key, p->problem);
}

}  // namespace

std::optional<ParamsProblem> params_problem(const json& params) {
  if (!params.is_object())
    return ParamsProblem{"", fmt::format("wrong type ({}); expected an object", params.type_name())};
  for (const auto& t : kTypedParams) {
    auto it = params.find(t.key);
    if (it != params.end() && it->type() != t.type)
      return ParamsProblem{t.key, fmt::format("wrong type ({}); expected {}", it->type_name(), t.expected)};
  }
  return std::nullopt;
}

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
  // Absent from plans made before the option: every dbtest on a copy.
  if (o.contains("dbtest_same_server")) p.options.dbtest_same_server = r.strs(o, "dbtest_same_server", "options");
  if (o.contains("max_parallel")) {
    const auto& m = o["max_parallel"];
    if (!m.is_number_integer() || m.get<int64_t>() < 1 || m.get<int64_t>() > kMaxParallelLimit) {
      r.fail("options.max_parallel", fmt::format("'{}' is not a number of lanes; expected a whole number from 1 to {}",
                                                 m.dump(), kMaxParallelLimit));
    }
    p.options.max_parallel = m.get<int>();
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
    if (js.contains("params")) {
      check_params(r, js["params"], path + ".params");
      s.params = js["params"];
    }
    s.estimate_min = r.get(js, "estimate_min", path, json::value_t::number_float, "a number").get<double>();
    if (!(s.estimate_min >= 0) || !(s.estimate_min <= kMaxEstimateMin)) {
      r.fail(path + ".estimate_min", fmt::format("'{}' is not an estimate; expected minutes from 0 to {} (a year)",
                                                 js["estimate_min"].dump(), kMaxEstimateMin));
    }
    if (find_kind(s.kind) == nullptr) {
      std::vector<std::string> names;
      for (const auto& k : kind_table()) names.emplace_back(name(k.kind));
      r.fail(path + ".kind", fmt::format("unknown step kind '{}'; expected a kind of docs/plan.md{}", s.kind,
                                         did_you_mean(s.kind, names)));
    }
    if (s.site.size() != 3 || !std::all_of(s.site.begin(), s.site.end(),
                                           [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); })) {
      if (s.site != "*")
        r.fail(path + ".site", fmt::format("'{}' is not a site code; expected 3 characters A-Z or 0-9", s.site));
    }
    if (js.contains("why")) s.why = r.strs(js, "why", path);
    s.title = r.str(js, "title", path);
    for (size_t k = 0; k < s.after.size(); ++k) {
      if (!seen.contains(s.after[k])) {
        r.fail(fmt::format("{}.after[{}]", path, k),
               fmt::format("'{}' is not an earlier step; expected ids of steps listed before", s.after[k]));
      }
    }
    if (!seen.insert(s.id).second) r.fail(path + ".id", fmt::format("step id '{}' is used twice", s.id));
    // Ids and hosts are shown on terminals and pasted in commands: text, never terminal controls.
    if (has_control(s.id))
      r.fail(path + ".id", fmt::format("'{}' holds a control character; expected one line of text", s.id));
    // A host reaches HOSTS.yaml commands as {host}: one the inventory could have given, or none.
    if (!s.host.empty()) {
      if (auto why = sql_server_problem(s.host); !why.empty())
        r.fail(path + ".host", fmt::format("'{}' {}", s.host, why));
    }
    p.steps.push_back(std::move(s));
  }
  return p;
}

Plan load(const std::string& path) {
  std::string text = read_input_file(path, "an smsup plan (JSON)", limits::kPlan);
  json j = parse_json_input(text, path, "", "an smsup plan");
  try {
    return from_json(j, path);
  } catch (const InputError& e) {
    if (e.loc().line > 0 || e.field().empty()) throw;
    throw InputError(locate_json_field(text, path, e.field()), e.field(), e.message());
  }
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
    ojson js = {{"id", s.id},
                {"kind", s.kind},
                {"site", s.site},
                {"host", nullptr},
                {"after", s.after},
                {"manual", s.manual},
                {"estimate_min", s.estimate_min},
                {"why", s.why},
                {"title", s.title}};
    if (!s.host.empty()) js["host"] = s.host;
    std::string line = js.dump();
    line.pop_back();
    out << (i == 0 ? "\n  " : ",\n  ") << line << ",\"params\":" << s.params.dump() << "}";
  }
  out << "\n ]\n}\n";
}

}  // namespace

std::string inventory_ref(const std::string& inventory, const std::string& plan_path) {
  namespace fs = std::filesystem;
  if (inventory.empty()) return inventory;
  std::error_code ec;
  fs::path inv = fs::absolute(inventory, ec).lexically_normal();
  if (ec) return inventory;
  if (plan_path.empty() || plan_path == "-") return inv.string();
  fs::path dir = fs::absolute(plan_path, ec).lexically_normal().parent_path();
  if (ec) return inv.string();
  fs::path rel = inv.lexically_relative(dir);
  return rel.empty() ? inv.string() : rel.string();
}

std::string inventory_path(const Plan& p, const std::string& plan_path) {
  namespace fs = std::filesystem;
  if (p.inventory.empty()) return "";
  fs::path inv(p.inventory);
  if (inv.is_absolute()) return inv.string();
  fs::path beside = (fs::path(plan_path).parent_path() / inv).lexically_normal();
  std::error_code ec;
  if (!fs::exists(beside, ec) && fs::exists(inv, ec)) return inv.string();
  return beside.string();
}

void save(const Plan& p, const std::string& path) {
  std::ostringstream out;
  write_plan(out, p);
  write_output_file(path, "-o", out.str());
}

}  // namespace smsup::plan
