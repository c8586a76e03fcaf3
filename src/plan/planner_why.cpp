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
  Kind kind;
  bool by_object;  // the step's object is the finding's object (a host or console)
};

// Rules whose findings a step answers; a rule may name several steps.
constexpr Target kTargets[] = {
    {"sql-replication", Kind::replication_disable, false},
    {"sql-replication", Kind::replication_enable, false},
    {"drw-required", Kind::drw, false},
    {"drw-prompt", Kind::drw, false},
    {"drw-prompt", Kind::upgrade, false},
    {"db-upgrade-untested", Kind::dbtest, false},
    {"db-disk-space", Kind::disk_check, false},
    {"db-autogrow-off", Kind::disk_check, false},
    {"foreign-files", Kind::upgrade, false},
    {"backup-stale", Kind::backup, false},
    {"secondary-manual", Kind::upgrade, false},
    {"secondary-manual", Kind::drw, false},
    {"advanced-security-offer", Kind::upgrade, false},
    {"console-version", Kind::console_upgrade, true},
    {"legacy-on-nt5", Kind::legacy_to_advanced, false},
    {"sms20-client-nt5", Kind::legacy_to_advanced, false},
    {"legacy-win98-ie", Kind::legacy_autoupgrade, false},
    {"legacy-autoupgrade-disabled", Kind::legacy_autoupgrade, false},
    {"advclient-os", Kind::advanced_push, false},
    {"vista-limited", Kind::advanced_push, false},
    {"dcom-slp", Kind::dcom_slp, true},
    {"dcom-rp", Kind::dcom_rp, true},
    {"dcom-sms-admins", Kind::dcom_sms_admins, true},
    {"remote-mp-997", Kind::os_sp1, true},
    {"mp-client-first", Kind::mp_reinstall, true},
    {"scw-remote-wmi", Kind::scw_remote_wmi, true},
    {"scw-sql-monitor", Kind::scw_sql_monitor, true},
    {"scw-bits-dp", Kind::scw_bits_dp, true},
    {"scw-cap-misdetect", Kind::scw_cap_misdetect, true},
    {"scw-rerun", Kind::scw_rerun, true},
    {"firewall-exceptions", Kind::firewall_exceptions, true},
};

void add_why(Step& s, std::string_view rule) {
  if (std::find(s.why.begin(), s.why.end(), rule) == s.why.end()) s.why.emplace_back(rule);
}

}  // namespace

void attach_why(Builder& b, const rules::Report& report) {
  // Client rules fire once per client: look each (site, rule) up once.
  std::set<std::pair<int, std::string_view>> seen;
  const std::string readiness = fmt::format("*/{}", name(Kind::readiness));
  const std::string itmu = fmt::format("*/{}", name(Kind::itmu));
  for (const auto& f : report.findings) {
    if (f.severity == rules::Gravity::blocker && b.has(readiness)) {
      add_why(b.at(readiness), f.rule);  // only waived ones get this far
    }
    if (f.rule == "itmu-after-upgrade" && b.has(itmu)) add_why(b.at(itmu), f.rule);
    if (f.site < 0 || static_cast<size_t>(f.site) >= b.h.sites.size()) continue;
    if (f.client >= 0 && !seen.insert({f.site, f.rule}).second) continue;
    const std::string& code = b.h.sites[f.site].code;
    for (const auto& t : kTargets) {
      if (t.rule != f.rule) continue;
      std::string id = t.by_object ? fmt::format("{}/{}/{}", code, name(t.kind), f.object)
                                   : fmt::format("{}/{}", code, name(t.kind));
      if (b.has(id)) add_why(b.at(id), f.rule);
    }
  }
  for (auto& s : b.steps) std::sort(s.why.begin(), s.why.end());
}

}  // namespace smsup::plan::detail
