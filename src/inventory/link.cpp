// Structural checks of a hierarchy (inventory.md "Errors") and the derived
// fields: parent indices, children, depth, top-down order.
#include <deque>
#include <fmt/format.h>
#include <unordered_map>

#include "inventory/inventory.h"

namespace smsup::inventory {
namespace {

[[noreturn]] void refuse(const SourceLoc& loc, const std::string& field, const std::string& msg) {
  throw InputError(loc, field, msg);
}

void check_site_shape(const Site& s) {
  if (s.is_primary() && !s.database) {
    refuse(s.loc, s.path + ".database",
           fmt::format("primary site {} has no database; expected its site database "
                       "(server, sql, sizes)",
                       s.code));
  }
  if (!s.is_primary() && s.database) {
    refuse(s.loc, s.path + ".database",
           fmt::format("secondary site {} has a database; a secondary site has none", s.code));
  }
  int servers = 0;
  for (const auto& sys : s.systems) servers += sys.has(Role::site_server) ? 1 : 0;
  if (servers == 0) {
    refuse(s.loc, s.path + ".systems",
           fmt::format("site {} has no system with role site_server; expected exactly one", s.code));
  }
  if (servers > 1) {
    refuse(s.loc, s.path + ".systems",
           fmt::format("site {} has {} systems with role site_server; expected exactly one", s.code, servers));
  }
}

}  // namespace

void link(Hierarchy& h) {
  std::unordered_map<std::string, int> by_code;
  std::unordered_map<std::string, const SiteSystem*> by_host;
  for (size_t i = 0; i < h.sites.size(); ++i) {
    auto& s = h.sites[i];
    if (!by_code.emplace(s.code, static_cast<int>(i)).second) {
      refuse(s.code_loc, s.path + ".code",
             fmt::format("site code '{}' is used twice (first at {}); expected unique codes", s.code,
                         h.sites[by_code[s.code]].path));
    }
    for (const auto& sys : s.systems) {
      auto [it, fresh] = by_host.emplace(sys.host, &sys);
      if (!fresh) {
        refuse(sys.host_loc, sys.path + ".host",
               fmt::format("host '{}' appears twice (first at {}); expected unique hosts", sys.host, it->second->path));
      }
    }
    check_site_shape(s);
  }

  h.central = -1;
  for (size_t i = 0; i < h.sites.size(); ++i) {
    auto& s = h.sites[i];
    s.children.clear();
    if (s.parent.empty()) {
      if (h.central >= 0) {
        refuse(s.parent_loc, s.path + ".parent",
               fmt::format("site {} has no parent, but {} is already the central site; expected "
                           "exactly one site without a parent",
                           s.code, h.sites[h.central].code));
      }
      h.central = static_cast<int>(i);
      s.parent_index = -1;
      continue;
    }
    auto it = by_code.find(s.parent);
    if (it == by_code.end()) {
      refuse(s.parent_loc, s.path + ".parent", fmt::format("no site with code '{}'", s.parent));
    }
    if (it->second == static_cast<int>(i)) {
      refuse(s.parent_loc, s.path + ".parent", fmt::format("site {} is its own parent", s.code));
    }
    s.parent_index = it->second;
  }
  if (h.central < 0) {
    refuse(h.sites.front().loc, "sites", "no central site; expected exactly one site without a parent (parent: ~)");
  }
  if (!h.sites[h.central].is_primary()) {
    const auto& c = h.sites[h.central];
    refuse(c.loc, c.path + ".type", fmt::format("the central site {} is secondary; expected primary", c.code));
  }
  for (auto& s : h.sites) {
    if (s.parent_index < 0) continue;
    const auto& p = h.sites[s.parent_index];
    if (!s.is_primary() && !p.is_primary()) {
      refuse(s.parent_loc, s.path + ".parent",
             fmt::format("secondary site {} reports to secondary site {}; a secondary site's "
                         "parent must be a primary site",
                         s.code, p.code));
    }
  }
  // Parent cycles: walk up from each site; more steps than sites means a loop.
  for (auto& s : h.sites) {
    int cur = s.parent_index;
    size_t steps = 0;
    while (cur >= 0) {
      if (++steps > h.sites.size()) {
        refuse(s.parent_loc, s.path + ".parent",
               fmt::format("site {} is in a parent cycle; every site must lead up to the central "
                           "site",
                           s.code));
      }
      cur = h.sites[cur].parent_index;
    }
    s.depth = static_cast<int>(steps);
  }
  for (size_t i = 0; i < h.sites.size(); ++i) {
    if (h.sites[i].parent_index >= 0) {
      h.sites[h.sites[i].parent_index].children.push_back(static_cast<int>(i));
    }
  }
  h.top_down.clear();
  std::deque<int> queue{h.central};
  while (!queue.empty()) {
    int cur = queue.front();
    queue.pop_front();
    h.top_down.push_back(cur);
    for (int c : h.sites[cur].children) queue.push_back(c);
  }
}

}  // namespace smsup::inventory
