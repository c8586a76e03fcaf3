#include "twin/end_state.h"

#include <fmt/format.h>

namespace smsup::twin {

std::vector<std::string> describe_problems(uint32_t problems) {
  std::vector<std::string> out;
  for (uint32_t bit = 1; bit <= static_cast<uint32_t>(HostProblem::mp_1603); bit <<= 1) {
    if (problems & bit) out.emplace_back(describe(static_cast<HostProblem>(bit)));
  }
  return out;
}

EndState end_state(const Twin& twin) {
  EndState e;
  for (const auto& s : twin.sites()) {
    if (s.version != SmsLevel::sp2 || s.state != SiteState::upgraded || !s.verified) {
      e.not_upgraded.push_back(fmt::format("{} is SMS 2003 {}, {}{}", s.code, to_string(s.version), to_string(s.state),
                                           s.verified ? "" : ", not verified"));
    }
    for (const auto& f : s.lost_files) e.lost_files.push_back(fmt::format("{}: {}", s.code, f));
    for (const auto& f : s.restored_files) e.restored_files.push_back(fmt::format("{}: {}", s.code, f));
    if (s.backup_age_at_upgrade > static_cast<VTime>(kBackupMaxAgeDays) * kDay) {
      e.stale_backups.push_back(fmt::format(
          "{}: the last backup was {:.1f} days old when its upgrade began (more than {}): a restore would lose "
          "what changed since",
          s.code, static_cast<double>(s.backup_age_at_upgrade) / static_cast<double>(kDay), kBackupMaxAgeDays));
    }
  }
  for (const auto& c : twin.consoles()) {
    if (c.version != SmsLevel::sp2) {
      e.not_upgraded.push_back(
          fmt::format("the console on {} is SMS 2003 {}: it cannot open SP2 sites", c.host, to_string(c.version)));
    }
  }
  for (const auto& h : twin.hosts()) {
    for (const auto& p : describe_problems(h.problems)) e.open_problems.push_back(fmt::format("{}: {}", h.host, p));
  }
  return e;
}

}  // namespace smsup::twin
