// The default LogCheck of the shell driver: the log reader of
// shared/spec/logs.md (src/logs/verify.h) on a site's system drive.
#include "drivers/shell_driver.h"

#include <fmt/format.h>

#include <filesystem>

#include "logs/verify.h"

namespace smsup::drivers {

namespace {

std::string summary_of(const logs::VerifyResult& r) {
  int found = 0;
  std::vector<std::string> missing;
  for (const auto& m : r.milestones) {
    if (m.state == logs::MilestoneState::Found) {
      ++found;
    } else {
      missing.push_back(fmt::format("{} ({}{})", m.milestone->text, m.milestone->log,
                                    m.state == logs::MilestoneState::OutOfOrder ? ", out of order" : ""));
    }
  }
  std::string s = fmt::format("{} of 6 milestones", found);
  if (r.settle) s += fmt::format(", {} min after setup began", r.settle->count() / 60000);
  if (r.verified) return s + ": verified";
  if (!missing.empty()) s += "; missing: " + fmt::format("{}", fmt::join(missing, "; "));
  return s;
}

}  // namespace

LogCheckResult check_site_logs(const std::string& root, const std::string& install_dir,
                               std::optional<double> since) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root, ec)) {
    return {false, fmt::format("cannot read the logs: {} is not a folder (is the share mounted?)", root)};
  }
  auto r = logs::verify_site(root, install_dir);
  if (!r.setup_began && since) {
    // SMSSetup.log carries no times: count from the start the journal recorded.
    auto t = logs::TimePoint(std::chrono::milliseconds(static_cast<int64_t>(*since * 1000)));
    r = logs::verify_site(root, install_dir, t);
  }
  return {r.verified, summary_of(r)};
}

}  // namespace smsup::drivers
