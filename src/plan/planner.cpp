// make_plan: refusal, then the steps of every site top-down, the lanes of
// rule 8, the rule ids behind each step, and a runbook-friendly order.
#include "plan/planner.h"

#include <algorithm>
#include <fmt/format.h>
#include <queue>
#include <set>
#include <tuple>

#include "model/db_growth.h"
#include "plan/planner_build.h"
#include "plan/step_graph.h"
#include "util/closest.h"
#include "util/error.h"
#include "util/error.h"

namespace smsup::plan {

Refused::Refused(std::vector<rules::Finding> blockers)
    : std::runtime_error(fmt::format("{} blocker(s) remain", blockers.size())), blockers_(std::move(blockers)) {}

const std::vector<std::string_view>& rule_ids() {
  static const std::vector<std::string_view> ids = [] {
    std::vector<std::string_view> out;
    for (const auto& r : rules::rule_catalog()) out.push_back(r.id);
    return out;
  }();
  return ids;
}

bool is_rule_id(std::string_view id) {
  const auto& ids = rule_ids();
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void require_rule_ids(const std::vector<std::string>& waived) {
  for (const auto& w : waived) {
    if (is_rule_id(w)) continue;
    std::vector<std::string> ids(rule_ids().begin(), rule_ids().end());
    if (auto near = closest(w, ids))
      throw InputError({}, "--waive", fmt::format("'{}' is not a rule id; did you mean '{}'?", w, *near));
    throw InputError({}, "--waive", fmt::format("'{}' is not a rule id; expected one of: {}", w, fmt::join(ids, ", ")));
  }
}

std::vector<rules::Finding> unwaived_blockers(const rules::Report& report, const std::vector<std::string>& waived) {
  std::vector<rules::Finding> out;
  for (const auto& f : report.findings) {
    // A blocker rule left unjudged for lack of a fact (unknown-fact) blocks
    // like the blocker itself, and is waived with that rule's id.
    if (f.severity != rules::Gravity::blocker && !f.blocks()) continue;
    std::string_view id = f.blocks() ? f.judges : f.rule;
    if (std::find(waived.begin(), waived.end(), id) != waived.end()) continue;
    out.push_back(f);
  }
  return out;
}

std::vector<std::string> parse_same_server_sites(std::string_view text) {
  const char* expected = "expected SITE[,SITE...] (site codes of 3 characters A-Z, 0-9) or all";
  auto bad = [&](std::string_view part, std::string why) {
    throw InputError({}, "--dbtest-same-server", fmt::format("'{}' {}; {}", part, why, expected));
  };
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t comma = std::min(text.find(',', pos), text.size());
    std::string_view part = text.substr(pos, comma - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty()) bad(text, "has an empty site between commas");
    bool code = part.size() == 3 && std::all_of(part.begin(), part.end(), [](char c) {
                  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                });
    if (part == "all") {
      if (text.find(',') != std::string_view::npos) bad(text, "mixes all with site codes");
    } else if (!code) {
      std::string upper(part);
      for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
      bool fixes = upper.size() == 3 && std::all_of(upper.begin(), upper.end(), [](char c) {
                     return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                   });
      bad(part, fixes ? fmt::format("is not a site code (did you mean '{}'?)", upper) : "is not a site code");
    }
    if (std::find(out.begin(), out.end(), part) == out.end()) out.emplace_back(part);
    if (comma == text.size()) break;
    pos = comma + 1;
  }
  return out;
}

namespace detail {

std::string Builder::add(const std::string& scope, Kind kind, const std::string& object, std::string host,
                         std::string title, const Workload& work) {
  const KindRow& r = row(kind);
  Step s;
  s.id = object.empty() ? fmt::format("{}/{}", scope, r.name) : fmt::format("{}/{}/{}", scope, r.name, object);
  s.kind = std::string(r.name);
  s.site = scope;
  s.host = std::move(host);
  s.manual = r.manual == Manual::always;
  s.title = std::move(title);
  s.estimate_min = opts.estimates.minutes(r.name, work);
  // Each cost is at most a year, their sum for a big site may not be: a plan
  // holds no step longer than a year (its reader refuses one).
  if (!(s.estimate_min <= kMaxEstimateMin)) {
    throw InputError({opts.estimates.source, 0, 0}, s.kind,
                     fmt::format("gives {} {:.0f} minutes ({:.1f} GB of database, {} clients, {} site systems), "
                                 "more than a year ({:.0f}); expected estimates a step can take",
                                 s.id, s.estimate_min, work.db_gb, work.clients, work.site_systems, kMaxEstimateMin));
  }
  index.emplace(s.id, steps.size());
  std::string id = s.id;
  steps.push_back(std::move(s));
  return id;
}

void Builder::wait(const std::string& step, const std::string& dep) {
  if (dep.empty() || dep == step) return;
  auto& after = at(step).after;
  if (std::find(after.begin(), after.end(), dep) == after.end()) after.push_back(dep);
}

void Builder::wait_all(const std::string& step, const std::vector<std::string>& deps) {
  for (const auto& d : deps) wait(step, d);
}

Workload Builder::work_of(int site) const {
  const Site& s = h.sites[site];
  Workload w;
  if (s.database) w.db_gb = static_cast<double>(s.database->data_mb + s.database->log_mb) / 1024.0;
  w.clients = clients[site].total;
  w.site_systems = static_cast<int64_t>(s.systems.size());
  return w;
}

namespace {

// Sites already at SP2 get no steps; their children wait for the nearest
// ancestor that is upgraded (rule 9).
void mark_sites(Builder& b) {
  b.sites.assign(b.h.sites.size(), {});
  for (int i : b.h.top_down) {
    const Site& s = b.h.sites[i];
    auto& sp = b.sites[i];
    sp.planned = s.version.level < SmsLevel::sp2;
    if (s.parent_index >= 0) {
      const auto& parent = b.sites[s.parent_index];
      sp.nearest = parent.planned ? s.parent_index : parent.nearest;
      sp.wave = sp.nearest >= 0 ? b.sites[sp.nearest].wave + 1 : 0;
    }
  }
}

// Plan order: a topological order that keeps each wave, and within it each
// site, together as far as the edges allow, so the runbook reads site by site.
void order_steps(std::vector<Step>& steps, const Builder& b) {
  const size_t n = steps.size();
  std::vector<int> site_pos(b.h.sites.size(), 0);
  for (size_t k = 0; k < b.h.top_down.size(); ++k) site_pos[b.h.top_down[k]] = static_cast<int>(k);
  std::unordered_map<std::string, int> site_of;
  for (size_t i = 0; i < b.h.sites.size(); ++i) site_of[b.h.sites[i].code] = static_cast<int>(i);
  using Key = std::tuple<int, int, size_t>;
  std::vector<Key> key(n);
  int last_wave = 0;
  for (const auto& sp : b.sites) last_wave = std::max(last_wave, sp.wave);
  for (size_t i = 0; i < n; ++i) {
    const auto& s = steps[i];
    if (s.site == "*") {
      key[i] = {is(s, Kind::readiness) ? -1 : last_wave + 1, 0, i};
    } else {
      int site = site_of.at(s.site);
      key[i] = {b.sites[site].wave, site_pos[site], i};
    }
  }
  StepGraph g = step_graph(steps);
  const auto& succs = g.succs;
  auto& missing = g.missing;
  std::priority_queue<Key, std::vector<Key>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i) {
    if (missing[i] == 0) ready.push(key[i]);
  }
  std::vector<Step> out;
  out.reserve(n);
  while (!ready.empty()) {
    size_t i = std::get<2>(ready.top());
    ready.pop();
    for (size_t q : succs[i]) {
      if (--missing[q] == 0) ready.push(key[q]);
    }
    out.push_back(std::move(steps[i]));
  }
  if (out.size() != n) throw std::logic_error("planner: the steps wait for each other in a cycle");
  steps = std::move(out);
}

// A same-server dbtest stops the site's SMS services and detaches its
// database: nothing else of the site may run meanwhile. Every step of the
// site that the graph leaves unordered with it comes before it. Only edges
// into the dbtest are added, so no cycle can appear: a path out of it existed
// before, and then the step was ordered already.
void keep_services_down_window(Builder& b) {
  const size_t n = b.steps.size();
  std::unordered_map<std::string, size_t> at;
  for (size_t k = 0; k < n; ++k) at.emplace(b.steps[k].id, k);
  // Successors, built once and kept current as edges are added below (a
  // rebuild per dbtest made `--dbtest-same-server all` on 2,000 sites cost
  // seconds).
  std::vector<std::vector<size_t>> down(n);
  for (size_t k = 0; k < n; ++k) {
    for (const auto& a : b.steps[k].after) down[at.at(a)].push_back(k);
  }
  auto reach = [&](size_t from, bool up) {
    std::vector<char> seen(n, 0);
    std::vector<size_t> todo{from};
    auto visit = [&](size_t q) {
      if (!seen[q]) {
        seen[q] = 1;
        todo.push_back(q);
      }
    };
    while (!todo.empty()) {
      size_t k = todo.back();
      todo.pop_back();
      if (up) {
        for (const auto& a : b.steps[k].after) visit(at.at(a));
      } else {
        for (size_t q : down[k]) visit(q);
      }
    }
    return seen;
  };
  for (size_t d = 0; d < n; ++d) {
    const Step& t = b.steps[d];
    if (!same_server_dbtest(t)) continue;
    auto before = reach(d, true);
    auto after = reach(d, false);
    std::vector<size_t> unordered;
    for (size_t k = 0; k < n; ++k) {
      if (k != d && b.steps[k].site == t.site && !before[k] && !after[k]) unordered.push_back(k);
    }
    std::string id = t.id;
    for (size_t u : unordered) {
      b.wait(id, b.steps[u].id);
      down[u].push_back(d);
    }
  }
}

// --dbtest-same-server names sites of the inventory that have a database.
void require_same_server_sites(const Hierarchy& h, const std::vector<std::string>& sites) {
  std::vector<std::string> primaries;
  for (const auto& s : h.sites) {
    if (s.database) primaries.push_back(s.code);
  }
  for (const auto& code : sites) {
    if (code == "all") continue;
    int i = h.find_site(code);
    if (i < 0) {
      throw InputError({}, "--dbtest-same-server",
                       fmt::format("'{}' is not a site of {}; expected one of: {}{}", code, h.name,
                                   fmt::join(primaries, ", "), did_you_mean(code, primaries)));
    }
    if (!h.sites[static_cast<size_t>(i)].database) {
      throw InputError({}, "--dbtest-same-server",
                       fmt::format("'{}' is a secondary site: it has no site database to test; expected a primary "
                                   "site: {}",
                                   code, fmt::join(primaries, ", ")));
    }
  }
}

}  // namespace
}  // namespace detail

Plan make_plan(const Hierarchy& h, const rules::Report& report, const Options& opts) {
  if (opts.max_parallel < 1) {
    throw InputError({}, "--max-parallel", fmt::format("{} is not allowed; expected 1 or more", opts.max_parallel));
  }
  require_rule_ids(opts.waived);
  detail::require_same_server_sites(h, opts.dbtest_same_server);
  detail::Builder b{h, opts, h.method, {}, {}, {}, {}, {}};
  if (!opts.method.empty()) {
    auto m = parse_method(opts.method);
    if (!m) {
      throw InputError({}, "--method",
                       fmt::format("'{}' is not a method; expected interactive, "
                                   "update-quiet or update-passive",
                                   opts.method));
    }
    b.default_method = *m;
  }
  if (auto blockers = unwaived_blockers(report, opts.waived); !blockers.empty()) {
    throw Refused(std::move(blockers));
  }
  detail::mark_sites(b);
  b.clients = detail::tally_clients(h);
  b.clients_held = clients_held_by_site(h);
  std::string readiness = b.add("*", Kind::readiness, "", "", "Readiness: smsup check finds no blocker", {});
  bool any = false;
  for (int i : h.top_down) {
    if (!b.sites[i].planned) continue;
    any = true;
    detail::add_site_steps(b, i);
  }
  if (any) {
    const auto& central = h.sites[h.central];
    std::string itmu =
        b.add("*", Kind::itmu, "", central.site_server().host, "Install the Inventory Tool for Microsoft Updates", {});
    for (const auto& s : b.steps) {
      if (is(s, Kind::verify) || is(s, Kind::legacy_autoupgrade) || is(s, Kind::advanced_push)) {
        b.at(itmu).after.push_back(s.id);
      }
    }
  }
  detail::keep_services_down_window(b);
  for (auto& s : b.steps) {
    if (s.after.empty() && s.id != readiness) s.after.push_back(readiness);
  }
  detail::chain_upgrades(b.steps, opts.max_parallel);
  detail::attach_why(b, report);
  detail::order_steps(b.steps, b);
  Plan p;
  p.hierarchy = h.name;
  p.inventory = h.source;
  p.inventory_sha256 = h.sha256;
  p.options = opts;
  p.options.method = std::string(to_string(b.default_method));
  p.steps = std::move(b.steps);
  return p;
}

}  // namespace smsup::plan
