#include "plan/estimates.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "plan/plan.h"
#include "plan/step_kinds.h"
#include "util/error.h"
#include "util/input_file.h"

namespace smsup::plan {

const std::vector<std::string_view>& step_kinds() {
  static const std::vector<std::string_view> kinds = [] {
    std::vector<std::string_view> v;
    for (const auto& r : kind_table()) {
      if (r.planned) v.push_back(r.name);
    }
    return v;
  }();
  return kinds;
}

// The defaults are the kind table's (step_kinds.cpp).
Estimates Estimates::defaults() {
  Estimates e;
  for (const auto& r : kind_table()) {
    if (r.planned) e.by_kind[std::string(r.name)] = r.estimate;
  }
  return e;
}

double Estimates::minutes(std::string_view kind, const Workload& w) const {
  auto it = by_kind.find(kind);
  if (it == by_kind.end()) return 1;
  const Cost& c = it->second;
  double m = c.base + c.per_db_gb * w.db_gb + c.per_1000_clients * static_cast<double>(w.clients) / 1000.0 +
             c.per_site_system * static_cast<double>(w.site_systems);
  return std::max(1.0, std::round(m));
}

namespace {

SourceLoc loc_of(const YAML::Node& n, const std::string& file) {
  const auto& m = n.Mark();
  if (m.is_null()) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

double number(const YAML::Node& v, const std::string& file, const std::string& field) {
  double d = -1;
  if (v.IsScalar()) {
    try {
      d = v.as<double>();
    } catch (const YAML::Exception&) {
      d = -1;
    }
  }
  // A step takes at most a year (a plan's own limit): a larger cost would
  // give a plan its reader refuses, and totals past what a clock counts.
  if (!v.IsScalar() || !(d >= 0) || !(d <= kMaxEstimateMin)) {
    throw InputError(loc_of(v, file), field,
                     fmt::format("expected minutes from 0 to {:.0f} (a year)", kMaxEstimateMin));
  }
  return d;
}

void apply_cost(Cost& c, const YAML::Node& map, const std::string& file, const std::string& kind) {
  if (!map.IsMap()) {
    throw InputError(loc_of(map, file), kind,
                     "expected a mapping of base, per_db_gb, per_1000_clients, per_site_system");
  }
  for (const auto& kv : map) {
    auto key = kv.first.Scalar();
    std::string field = kind + "." + key;
    double v = number(kv.second, file, field);
    if (key == "base") {
      c.base = v;
    } else if (key == "per_db_gb") {
      c.per_db_gb = v;
    } else if (key == "per_1000_clients") {
      c.per_1000_clients = v;
    } else if (key == "per_site_system") {
      c.per_site_system = v;
    } else {
      throw InputError(loc_of(kv.first, file), field,
                       "unknown key; expected base, per_db_gb, per_1000_clients or per_site_system");
    }
  }
}

}  // namespace

void apply_estimates(Estimates& into, std::string_view text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));  // JSON is read as YAML flow style
  } catch (const YAML::ParserException& e) {
    throw InputError({file, e.mark.line + 1, e.mark.column + 1}, "",
                     fmt::format("not valid JSON or YAML ({}); expected estimates by step kind", e.msg));
  }
  if (!root.IsMap()) {
    throw InputError(loc_of(root, file), "", "expected a mapping of step kind to costs");
  }
  const auto& kinds = step_kinds();
  for (const auto& kv : root) {
    auto kind = kv.first.Scalar();
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
      throw InputError(loc_of(kv.first, file), kind,
                       fmt::format("unknown step kind; expected one of: {}", fmt::join(kinds, ", ")));
    }
    Cost& c = into.by_kind[kind];
    apply_cost(c, kv.second, file, kind);
    if (kind == name(Kind::settle) && c.base < 30) {
      throw InputError(loc_of(kv.second, file), fmt::format("{}.base", kind),
                       "the checklist asks to wait at least 30 minutes after setup; expected 30 or more");
    }
  }
}

Estimates load_estimates(const std::string& path) {
  Estimates e = Estimates::defaults();
  e.source = path;
  apply_estimates(e, read_input_file(path, "an estimates file (YAML)", limits::kSmallText), path);
  return e;
}

}  // namespace smsup::plan
