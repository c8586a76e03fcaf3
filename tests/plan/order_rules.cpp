#include "order_rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "plan/schedule.h"

namespace smsup::testing {
namespace {

// Ancestor sets as bit rows, computed in plan order (which must be topological).
class Graph {
 public:
  Graph(const plan::Plan& p, std::vector<std::string>& out) : p_(p) {
    const size_t n = p.steps.size();
    words_ = (n + 63) / 64;
    anc_.assign(n * words_, 0);
    for (size_t i = 0; i < n; ++i) {
      if (!index_.emplace(p.steps[i].id, i).second) out.push_back("duplicate id " + p.steps[i].id);
      for (const auto& a : p.steps[i].after) {
        auto it = index_.find(a);
        if (it == index_.end()) {
          out.push_back(fmt::format("{} waits for {}, which is not an earlier step", p.steps[i].id, a));
          continue;
        }
        size_t j = it->second;
        for (size_t w = 0; w < words_; ++w) anc_[i * words_ + w] |= anc_[j * words_ + w];
        anc_[i * words_ + j / 64] |= uint64_t{1} << (j % 64);
      }
    }
  }
  bool has(const std::string& id) const { return index_.contains(id); }
  // a comes before b: a path of after-edges leads from a to b.
  bool before(const std::string& a, const std::string& b) const {
    auto ia = index_.find(a), ib = index_.find(b);
    if (ia == index_.end() || ib == index_.end()) return false;
    return (anc_[ib->second * words_ + ia->second / 64] >> (ia->second % 64)) & 1u;
  }

 private:
  const plan::Plan& p_;
  size_t words_ = 0;
  std::vector<uint64_t> anc_;
  std::unordered_map<std::string, size_t> index_;
};

bool is_os_work(const std::string& kind) {
  return kind == "os-sp1" || kind.starts_with("dcom-") || kind.starts_with("scw-") || kind == "firewall-exceptions" ||
         kind == "mp-reinstall" || kind == "kb906570";
}

}  // namespace

std::vector<std::string> order_violations(const Hierarchy& h, const plan::Plan& p) {
  std::vector<std::string> out;
  Graph g(p, out);
  auto need = [&](const std::string& a, const std::string& b, const char* rule) {
    if (g.has(a) && g.has(b) && !g.before(a, b)) out.push_back(fmt::format("{}: {} is not before {}", rule, a, b));
  };
  auto exists = [&](const std::string& id, const char* why) {
    if (!g.has(id)) out.push_back(fmt::format("missing {} ({})", id, why));
  };
  for (const auto& s : p.steps) {
    std::string want = s.site + "/" + s.kind;
    if (s.id != want && !s.id.starts_with(want + "/")) out.push_back("id does not match scope/kind: " + s.id);
    if (s.id != "*/readiness") need("*/readiness", s.id, "readiness first");
    if (!(s.estimate_min > 0)) out.push_back("no estimate: " + s.id);
  }
  const std::string central = h.sites[h.central].code;
  for (const auto& site : h.sites) {
    const std::string c = site.code + "/";
    bool planned = site.version.level < SmsLevel::sp2;
    if (!planned) {  // rule 9
      for (const auto& s : p.steps) {
        if (s.site == site.code) out.push_back("rule 9: SP2 site has step " + s.id);
        for (const auto& a : s.after) {
          if (a.starts_with(c)) out.push_back(fmt::format("rule 9: {} waits for {}", s.id, a));
        }
      }
      continue;
    }
    exists(c + "upgrade", "planned site");
    exists(c + "settle", "planned site");
    exists(c + "verify", "planned site");
    if (site.parent_index >= 0) {
      const auto& parent = h.sites[site.parent_index];
      need(parent.code + "/verify", c + "upgrade", "rule 1");
      if (!site.is_primary()) need(parent.code + "/verify", c + "drw", "rule 2");
    }
    need(c + "drw", c + "upgrade", "rule 2/3");
    if (site.database) {
      exists(c + "backup", "primary");
      exists(c + "disk-check", "primary");
      if (site.database->replication) {
        exists(c + "replication-disable", "replication");
        exists(c + "replication-enable", "replication");
      }
      if (!site.database->dbtest) exists(c + "dbtest", "untested database");
    }
    const char* chain[] = {"replication-disable", "backup", "dbtest", "disk-check", "upgrade", "settle", "verify",
                           "replication-enable"};
    for (size_t a = 0; a < std::size(chain); ++a) {
      for (size_t b = a + 1; b < std::size(chain); ++b) need(c + chain[a], c + chain[b], "rule 3");
    }
    need(c + "legacy-to-advanced", c + "upgrade", "rule 4");
    // A same-server dbtest stops the site's services and detaches its
    // database: every other step of the site comes before or after it.
    for (const auto& t : p.steps) {
      if (t.site != site.code || !plan::same_server_dbtest(t)) continue;
      for (const auto& s : p.steps) {
        if (s.site == site.code && s.id != t.id && !g.before(s.id, t.id) && !g.before(t.id, s.id)) {
          out.push_back(fmt::format("same-server dbtest: {} may run while {} holds the site down", s.id, t.id));
        }
      }
    }
    for (const auto& s : p.steps) {
      if (s.site != site.code) continue;
      if (s.kind == "advanced-push" && p.options.clients_first) {
        need(s.id, c + "upgrade", "rule 5 (--clients-first)");
      } else if (s.kind == "console-upgrade" || s.kind == "legacy-autoupgrade" || s.kind == "advanced-push") {
        need(c + "verify", s.id, "rule 5");
      }
      if (is_os_work(s.kind)) {  // rule 7
        need(s.id, c + "backup", "rule 7 (OS work before backup)");
        if (s.kind != "os-sp1") need(c + "os-sp1/" + s.host, s.id, "fix after the host's os-sp1");
      }
      if (s.kind == "os-sp1" && site.code != central) {
        for (const auto& t : p.steps) {
          if (t.kind == "os-sp1" && t.site == central) need(t.id, s.id, "rule 7 (central first)");
        }
      }
      if (s.kind == "os-sp1" && s.params.contains("group")) {
        std::string lead = s.params["group"];
        if (!g.has(lead)) {
          out.push_back("rule 7: group leader missing for " + s.id);
        } else {
          auto a1 = s.after, a2 = p.find(lead)->after;
          std::sort(a1.begin(), a1.end());
          std::sort(a2.begin(), a2.end());
          if (a1 != a2) out.push_back("rule 7: " + s.id + " does not start with " + lead);
        }
      }
    }
  }
  for (const auto& s : p.steps) {  // rule 6
    if (s.kind == "verify" || s.kind == "legacy-autoupgrade" || s.kind == "advanced-push") {
      need(s.id, "*/itmu", "rule 6");
    }
  }
  return out;
}

std::vector<std::string> parallel_violations(const plan::Plan& p, const std::vector<double>& d) {
  auto sched = plan::schedule(p.steps, d);
  std::vector<std::pair<double, int>> events;
  for (size_t i = 0; i < p.steps.size(); ++i) {
    if (p.steps[i].kind != "upgrade") continue;
    events.push_back({sched.start[i], +1});
    events.push_back({sched.finish[i], -1});
  }
  std::sort(events.begin(), events.end());  // a finish sorts before a start at the same time
  int running = 0, most = 0;
  for (auto [t, delta] : events) {
    running += delta;
    most = std::max(most, running);
  }
  if (most > p.options.max_parallel) {
    return {fmt::format("rule 8: {} upgrades at once, max-parallel {}", most, p.options.max_parallel)};
  }
  return {};
}

}  // namespace smsup::testing
