// The rule ids behind each step, from the readiness report: every finding
// names the step that answers it (site rules, host rules by their object,
// client rules by their site), and waived blockers go to the readiness step.
#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "plan/planner_build.h"

namespace smsup::plan::detail {
namespace {

struct Target {
  std::string_view rule;
  const char* kind;
  bool by_object;  // the step's object is the finding's object (a host or console)
};

// Rules whose findings a step answers; a rule may name several steps.
constexpr Target kTargets[] = {
    {"sql-replication", "replication-disable", false},
    {"sql-replication", "replication-enable", false},
    {"drw-required", "drw", false},
    {"drw-prompt", "drw", false},
    {"drw-prompt", "upgrade", false},
    {"db-upgrade-untested", "dbtest", false},
    {"db-disk-space", "disk-check", false},
    {"db-autogrow-off", "disk-check", false},
    {"foreign-files", "upgrade", false},
    {"backup-stale", "backup", false},
    {"secondary-manual", "upgrade", false},
    {"secondary-manual", "drw", false},
    {"advanced-security-offer", "upgrade", false},
    {"console-version", "console-upgrade", true},
    {"legacy-on-nt5", "legacy-to-advanced", false},
    {"sms20-client-nt5", "legacy-to-advanced", false},
    {"legacy-win98-ie", "legacy-autoupgrade", false},
    {"legacy-autoupgrade-disabled", "legacy-autoupgrade", false},
    {"advclient-os", "advanced-push", false},
    {"vista-limited", "advanced-push", false},
    {"dcom-slp", "dcom-slp", true},
    {"dcom-rp", "dcom-rp", true},
    {"dcom-sms-admins", "dcom-sms-admins", true},
    {"remote-mp-997", "os-sp1", true},
    {"mp-client-first", "mp-reinstall", true},
    {"scw-remote-wmi", "scw-remote-wmi", true},
    {"scw-sql-monitor", "scw-sql-monitor", true},
    {"scw-bits-dp", "scw-bits-dp", true},
    {"scw-cap-misdetect", "scw-cap-misdetect", true},
    {"scw-rerun", "scw-rerun", true},
    {"firewall-exceptions", "firewall-exceptions", true},
};

void add_why(Step& s, std::string_view rule) {
  if (std::find(s.why.begin(), s.why.end(), rule) == s.why.end()) s.why.emplace_back(rule);
}

}  // namespace

void attach_why(Builder& b, const rules::Report& report) {
  // Client rules fire once per client: look each (site, rule) up once.
  std::set<std::pair<int, std::string_view>> seen;
  for (const auto& f : report.findings) {
    if (f.severity == rules::Gravity::blocker && b.has("*/readiness")) {
      add_why(b.at("*/readiness"), f.rule);  // only waived ones get this far
    }
    if (f.rule == "itmu-after-upgrade" && b.has("*/itmu")) add_why(b.at("*/itmu"), f.rule);
    if (f.site < 0 || static_cast<size_t>(f.site) >= b.h.sites.size()) continue;
    if (f.client >= 0 && !seen.insert({f.site, f.rule}).second) continue;
    const std::string& code = b.h.sites[f.site].code;
    for (const auto& t : kTargets) {
      if (t.rule != f.rule) continue;
      std::string id = t.by_object ? fmt::format("{}/{}/{}", code, t.kind, f.object)
                                   : fmt::format("{}/{}", code, t.kind);
      if (b.has(id)) add_why(b.at(id), f.rule);
    }
  }
  for (auto& s : b.steps) std::sort(s.why.begin(), s.why.end());
}

}  // namespace smsup::plan::detail
