// Hierarchy-wide rules (rules.md "Hierarchy-wide"): relations between sites
// and clients that no single site shows.
#include <fmt/format.h>

#include <algorithm>

#include "rules/rule.h"

namespace smsup::rules {
namespace {

// Who uses one HTTP port.
struct PortUse {
  int port = 0;
  std::vector<std::string_view> sites;
  int64_t advanced_clients = 0;
};

PortUse& use_of(std::vector<PortUse>& uses, int port) {
  for (auto& u : uses) {
    if (u.port == port) return u;
  }
  uses.push_back(PortUse{port, {}, 0});
  return uses.back();
}

std::string describe_use(const PortUse& u) {
  constexpr size_t kShown = 5;
  std::vector<std::string> parts;
  if (!u.sites.empty()) {
    size_t shown = std::min(kShown, u.sites.size());
    std::string list = fmt::format("{}", fmt::join(u.sites.begin(), u.sites.begin() + static_cast<long>(shown), ", "));
    if (u.sites.size() > shown) list += fmt::format(" and {} more", u.sites.size() - shown);
    parts.push_back(fmt::format("site{} {}", u.sites.size() == 1 ? "" : "s", list));
  }
  if (u.advanced_clients > 0) {
    parts.push_back(
        fmt::format("{} advanced client{}", with_commas(u.advanced_clients), u.advanced_clients == 1 ? "" : "s"));
  }
  return fmt::format("{} ({})", u.port, fmt::join(parts, ", "));
}

void http_port_mismatch(const Context& c, Emit& e) {
  std::vector<PortUse> uses;
  bool any_below_sp1 = false;
  int64_t unknown_sites = 0, unknown_clients = 0;
  for (const auto& s : c.h.sites) {
    any_below_sp1 = any_below_sp1 || s.version.level < SmsLevel::sp1;
    if (s.unknown_fact(SiteFact::http_port)) {
      ++unknown_sites;
      continue;
    }
    use_of(uses, s.http_port).sites.push_back(s.code);
  }
  if (uses.empty()) use_of(uses, 80);
  PortUse* last = &uses.front();  // clients mostly share one port: skip the search
  int64_t clients_below_sp1 = 0;
  for (const auto& cl : c.h.clients) {
    if (cl.kind != ClientKind::advanced) continue;
    clients_below_sp1 += cl.version < SmsLevel::sp1;
    if (cl.unknown_fact(ClientFact::http_port)) {
      ++unknown_clients;
      continue;
    }
    if (last->port != cl.http_port) last = &use_of(uses, cl.http_port);
    ++last->advanced_clients;
  }
  // The checklist asks every site and Advanced Client to share the port until
  // all run SP1 at least: a client below SP1 holds the blocker as a site does.
  bool sites_below_sp1 = any_below_sp1;
  any_below_sp1 = any_below_sp1 || clients_below_sp1 > 0;
  uses.erase(std::remove_if(uses.begin(), uses.end(),
                            [](const PortUse& u) { return u.sites.empty() && u.advanced_clients == 0; }),
             uses.end());
  if (uses.size() < 2) {
    // The known ones agree; the unknown ones may not. One finding for the
    // hierarchy, however many clients: the fact is usually one setting.
    if (unknown_sites + unknown_clients == 0) return;
    std::vector<std::string> parts;
    if (unknown_sites > 0) parts.push_back(fmt::format("http_port of {} site(s)", with_commas(unknown_sites)));
    if (unknown_clients > 0) {
      parts.push_back(fmt::format("http_port of {} advanced client(s)", with_commas(unknown_clients)));
    }
    // Every site at SP1 or later: a mismatch would be a warning, so not
    // knowing does not block.
    return e.unknown(c.h.name, fmt::format("{}", fmt::join(parts, " and ")), any_below_sp1);
  }
  // The port to keep: the one most sites use, then most clients.
  auto keep = std::max_element(uses.begin(), uses.end(), [](const PortUse& a, const PortUse& b) {
    if (a.sites.size() != b.sites.size()) return a.sites.size() < b.sites.size();
    return a.advanced_clients < b.advanced_clients;
  });
  std::vector<std::string> described;
  for (const auto& u : uses) described.push_back(describe_use(u));
  std::string message = fmt::format("{} uses {} HTTP ports: {}", c.h.name, uses.size(), fmt::join(described, "; "));
  if (any_below_sp1) {
    std::string below = sites_below_sp1 ? "some sites are" : "";
    if (clients_below_sp1 > 0)
      below += fmt::format("{}{} advanced client{} {}", below.empty() ? "" : " and ", with_commas(clients_below_sp1),
                           clients_below_sp1 == 1 ? "" : "s", clients_below_sp1 == 1 ? "is" : "are");
    e.fire(Gravity::blocker, c.h.name, message + "; " + below + " below SMS 2003 SP1",
           fmt::format("Set every site and advanced client back to port {} before the upgrade; "
                       "change the port only after every site and client runs SP2.",
                       keep->port));
  } else {
    e.fire(Gravity::warning, c.h.name, message + "; every site and advanced client runs SP1 or later",
           fmt::format("Align every site and advanced client on one port (e.g. {}) only after "
                       "every site and client runs SP2.",
                       keep->port));
  }
}

void auth_reassign(const Context& c, const Client& cl, Emit& e) {
  // The checklist names Advanced Clients (authenticated heartbeat and inventory).
  if (cl.kind != ClientKind::advanced) return;
  if (cl.reassign_to < 0 || static_cast<size_t>(cl.reassign_to) >= c.h.sites.size()) return;
  const Site& from = c.h.sites[cl.site];
  const Site& to = c.h.sites[cl.reassign_to];
  if (from.unknown_fact(SiteFact::client_auth_encryption)) return e.unknown(from.code, "client_auth_encryption");
  if (to.unknown_fact(SiteFact::client_auth_encryption)) return e.unknown(to.code, "client_auth_encryption");
  if (!from.client_auth_encryption || to.client_auth_encryption) return;
  e.fire(cl.name,
         fmt::format("{} is to move from {}, which requires client authentication and data "
                     "encryption, to {}, which does not: its heartbeat discovery and inventory "
                     "would be rejected",
                     cl.name, from.code, to.code),
         fmt::format("Do not reassign {} to {}: pick a site with client authentication and data "
                     "encryption, or leave it on {}.",
                     cl.name, to.code, from.code));
}

using namespace section;
const Rule kHierarchyRules[] = {
    {"http-port-mismatch", Gravity::blocker, kPreparing, "sites and Advanced Clients do not all use one HTTP port",
     http_port_mismatch},
    {"auth-reassign", Gravity::blocker, kPreparing,
     "an Advanced Client moves to a site without client authentication and encryption", auth_reassign},
};

}  // namespace

std::span<const Rule> hierarchy_rules() { return kHierarchyRules; }

}  // namespace smsup::rules
