// Runs the catalog on a hierarchy: each rule on the objects of its scope, in
// table order, into one bucket per site, so that the report comes out in site
// file order and, within a site, in catalog order without sorting. Clients are
// walked once per client rule: O(rules x (sites + systems + clients)).
#include <array>

#include <fmt/format.h>

#include "model/db_growth.h"
#include "rules/rule.h"

namespace smsup::rules {

std::string_view to_string(Gravity s) {
  static constexpr std::array<std::string_view, 4> names{"blocker", "action", "warning", "info"};
  return names[static_cast<size_t>(s)];
}

std::optional<Gravity> parse_gravity(std::string_view s) {
  for (auto sev : {Gravity::blocker, Gravity::action, Gravity::warning, Gravity::info}) {
    if (to_string(sev) == s) return sev;
  }
  return std::nullopt;
}

std::string with_commas(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

Context::Context(const Hierarchy& hierarchy, const Options& options) : h(hierarchy), opts(options) {
  clients_assigned.assign(h.sites.size(), 0);
  for (const auto& c : h.clients) {
    if (c.site >= 0 && static_cast<size_t>(c.site) < h.sites.size()) ++clients_assigned[c.site];
  }
  // Inventory flows up the hierarchy: a site's database holds the data of
  // every client below it (the same count the planner and the twin use).
  clients_held = clients_held_by_site(h);
  for (const auto& s : h.sites) {
    for (const auto& sys : s.systems) any_os_sp1_host = any_os_sp1_host || os_sp1(sys);
  }
}

bool Context::os_sp1(const SiteSystem& s) const {
  if (s.os.family != WinFamily::w2003) return false;
  return s.os.sp >= 1 || opts.with_os_sp1;
}

void Emit::fire(std::string object, std::string message, std::string remedy) {
  fire(rule_.severity, std::move(object), std::move(message), std::move(remedy));
}

void Emit::fire(Gravity severity, std::string object, std::string message, std::string remedy) {
  out_.push_back(Finding{rule_.id,
                         severity,
                         site_,
                         client_,
                         std::move(object),
                         std::move(message),
                         std::move(remedy),
                         rule_.reference,
                         {}});
}

void Emit::unknown(std::string object, std::string_view fact, bool as_blocker) {
  bool blocker = rule_.severity == Gravity::blocker && as_blocker;
  std::string message = fmt::format("{}: {} is unknown, so rule {} cannot be judged{}", object, fact, rule_.id,
                                    blocker ? "; it is a blocker, so the hierarchy is not ready until it is" : "");
  std::string remedy = fmt::format(
      "Give {} for {} in the inventory or in FACTS.yaml (smsup inventory collect "
      "--facts){}.",
      fact, object, blocker ? fmt::format(", or waive {} (smsup plan --waive {})", rule_.id, rule_.id) : "");
  out_.push_back(Finding{kUnknownFact, blocker ? Gravity::warning : Gravity::info, site_, client_, std::move(object),
                         std::move(message), std::move(remedy), rule_.reference, rule_.id});
}

bool Report::ready() const {
  for (const auto& f : findings) {
    if (f.severity == Gravity::blocker || f.blocks()) return false;
  }
  return true;
}

namespace {

std::array<std::span<const Rule>, 4> tables() {
  return {site_rules(), hierarchy_rules(), client_rules(), os_sp1_rules()};
}

// Runs one rule on every object of its scope.
struct Runner {
  const Context& ctx;
  const Rule& rule;
  std::vector<std::vector<Finding>>& by_site;
  std::vector<Finding>& hierarchy_wide;

  void operator()(SiteCheck check) const {
    for (size_t i = 0; i < ctx.h.sites.size(); ++i) {
      Emit e(rule, by_site[i], static_cast<int>(i));
      check(ctx, ctx.h.sites[i], e);
    }
  }
  void operator()(SystemCheck check) const {
    for (size_t i = 0; i < ctx.h.sites.size(); ++i) {
      const Site& site = ctx.h.sites[i];
      Emit e(rule, by_site[i], static_cast<int>(i));
      for (const auto& sys : site.systems) {
        if (!rule.os_sp1 || ctx.os_sp1(sys)) check(ctx, site, sys, e);
      }
      if (rule.consoles) {
        for (const auto& c : site.consoles) rule.consoles(ctx, site, c, e);
      }
    }
    if (rule.clients) (*this)(rule.clients);
  }
  void operator()(ClientCheck check) const {
    const auto& clients = ctx.h.clients;
    for (size_t i = 0; i < clients.size(); ++i) {
      int site = clients[i].site;
      if (site < 0 || static_cast<size_t>(site) >= by_site.size()) continue;  // the loader refuses these
      Emit e(rule, by_site[site], site, static_cast<int>(i));
      check(ctx, clients[i], e);
    }
  }
  void operator()(HierarchyCheck check) const {
    Emit e(rule, hierarchy_wide, -1);
    check(ctx, e);
  }
};

Scope scope_of(const Rule& r) {
  static constexpr std::array<Scope, 4> scopes{Scope::site, Scope::site_system, Scope::client, Scope::hierarchy};
  return scopes[r.check.index()];
}

}  // namespace

int Report::count(Gravity s) const {
  int n = 0;
  for (const auto& f : findings) n += f.severity == s ? 1 : 0;
  return n;
}

Report evaluate(const Hierarchy& h, const Options& opts) {
  Context ctx(h, opts);
  std::vector<std::vector<Finding>> by_site(h.sites.size());
  std::vector<Finding> hierarchy_wide;
  for (auto table : tables()) {
    for (const Rule& rule : table) {
      std::visit(Runner{ctx, rule, by_site, hierarchy_wide}, rule.check);
    }
  }
  Report report;
  size_t total = hierarchy_wide.size();
  for (const auto& v : by_site) total += v.size();
  report.findings.reserve(total);
  for (auto& v : by_site) {
    for (auto& f : v) report.findings.push_back(std::move(f));
  }
  for (auto& f : hierarchy_wide) report.findings.push_back(std::move(f));
  return report;
}

std::vector<RuleInfo> rule_catalog() {
  std::vector<RuleInfo> out;
  for (auto table : tables()) {
    for (const Rule& r : table) {
      out.push_back(RuleInfo{r.id, r.severity, r.reference, scope_of(r), r.os_sp1, r.checks});
    }
  }
  return out;
}

}  // namespace smsup::rules
