#include "fixture.h"

#include <fmt/format.h>

#include "inventory/inventory.h"
#include "twin/log_format.h"

namespace smsup::twin::test {

Hierarchy small_hierarchy() {
  static const char* yaml = R"(format: smsup-inventory/1
hierarchy: Testco
method: update-quiet
sites:
  - code: CEN
    type: primary
    version: sp1
    last_backup: 2006-06-10
    database: {server: CEN01, sql: 2000-sp4, data_mb: 4000, log_mb: 800, free_disk_mb: 30000}
    systems:
      - {host: CEN01, os: w2003, os_sp: 1, roles: [site_server, provider, database_server, management_point], dcom_fixed: [sms-admins-remote]}
    consoles:
      - {host: ADM01, version: sp1}
  - code: PR1
    type: primary
    parent: CEN
    version: sp1
    database: {server: PR101, sql: 2000-sp4, data_mb: 2000, log_mb: 400, free_disk_mb: 20000}
    systems:
      - {host: PR101, os: w2003, roles: [site_server, provider, database_server]}
      - {host: PR1MP, os: w2003, roles: [management_point], service_account: false}
  - code: SEC
    type: secondary
    parent: PR1
    version: sp1
    systems:
      - {host: SEC01, os: w2000, os_sp: 4, roles: [site_server, distribution_point]}
)";
  return inventory::load_text(yaml, "testco.yaml", ".");
}

Site& site(Hierarchy& h, std::string_view code) { return h.sites[static_cast<size_t>(h.find_site(code))]; }

SiteSystem& system(Hierarchy& h, std::string_view host) {
  for (auto& s : h.sites) {
    for (auto& y : s.systems) {
      if (y.host == host) return y;
    }
  }
  throw std::runtime_error("no host");
}

void add_clients(Hierarchy& h, std::string_view s, int n, ClientKind kind, WinFamily os, int os_sp, SmsLevel version,
                 const std::string& prefix, bool autoupgrade_disabled) {
  for (int i = 0; i < n; ++i) {
    Client c;
    c.name = fmt::format("{}{:05}", prefix, i);
    c.site = h.find_site(s);
    c.kind = kind;
    c.os = {os, os_sp};
    c.version = version;
    c.ie_tenths = 60;
    c.autoupgrade_disabled = autoupgrade_disabled;
    h.clients.push_back(c);
  }
}

plan::Step step(const std::string& site, const std::string& kind, std::vector<std::string> after,
                const std::string& object) {
  plan::Step s;
  s.id = site + "/" + kind + (object.empty() ? "" : "/" + object);
  s.kind = kind;
  s.site = site;
  s.host = object;
  s.after = std::move(after);
  s.estimate_min = 10;
  s.title = s.id;
  return s;
}

plan::Plan straight_plan(const Hierarchy& h) {
  plan::Plan p;
  p.hierarchy = h.name;
  p.options.max_parallel = 4;
  std::vector<std::string> all_done;
  for (int si : h.top_down) {
    const Site& s = h.sites[static_cast<size_t>(si)];
    std::string c = s.code;
    std::string parent_verify = s.is_central() ? "" : h.sites[static_cast<size_t>(s.parent_index)].code + "/verify";
    std::vector<std::string> pv =
        parent_verify.empty() ? std::vector<std::string>{} : std::vector<std::string>{parent_verify};
    std::vector<std::string> before_upgrade;
    if (s.is_primary()) {
      p.steps.push_back(step(c, "backup"));
      auto t = step(c, "dbtest", {c + "/backup"});
      t.params = {{"database", s.database->name + "_TEST"}, {"server", "TEST01"}};
      p.steps.push_back(t);
      p.steps.push_back(step(c, "disk-check", {c + "/dbtest"}));
      before_upgrade.push_back(c + "/disk-check");
    }
    if (!s.is_primary() || (s.version.level == SmsLevel::rtm && !s.drw_passed)) {
      p.steps.push_back(step(c, "drw", pv));
      before_upgrade.push_back(c + "/drw");
    }
    for (const auto& x : pv) before_upgrade.push_back(x);
    p.steps.push_back(step(c, "upgrade", before_upgrade));
    p.steps.push_back(step(c, "settle", {c + "/upgrade"}));
    p.steps.push_back(step(c, "verify", {c + "/settle"}));
    all_done.push_back(c + "/verify");
    for (const auto& con : s.consoles) {
      p.steps.push_back(step(c, "console-upgrade", {c + "/verify"}, con.host));
    }
    p.steps.push_back(step(c, "legacy-autoupgrade", {c + "/verify"}));
    p.steps.push_back(step(c, "advanced-push", {c + "/verify"}));
    all_done.push_back(c + "/legacy-autoupgrade");
    all_done.push_back(c + "/advanced-push");
  }
  p.steps.push_back(step("*", "itmu", all_done));
  p.steps.back().id = "*/itmu";
  return p;
}

std::vector<StepResult> run_all(Twin& t, const std::vector<plan::Step>& steps) {
  std::vector<StepResult> out;
  for (const auto& s : steps) out.push_back(t.run_step(s));
  return out;
}

std::string log_path(const Hierarchy& h, std::string_view code, std::string_view log) {
  const Site& s = h.sites[static_cast<size_t>(h.find_site(code))];
  return site_log_path(s.site_server().host, s.install_dir, log);
}

std::string setup_path(std::string_view host) { return setup_log_path(host); }

bool any_line(const MemoryLogSink& s, const std::string& path, std::string_view needle) {
  return s.contains(path, needle);
}

}  // namespace smsup::twin::test
