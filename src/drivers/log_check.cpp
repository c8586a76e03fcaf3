// The LogChecks of the shell driver: the log reader of shared/spec/logs.md
// (src/logs/verify.h) on a site's system drive.
#include "drivers/shell_driver.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <memory>
#include <tuple>

#include "logs/verify.h"
#include "smb/follow.h"
#include "smb/url.h"
#include "util/error.h"

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

logs::TimePoint time_of(double unix_seconds) {
  return logs::TimePoint(std::chrono::milliseconds(static_cast<int64_t>(unix_seconds * 1000)));
}

bool is_folder(const std::string& root) {
  std::error_code ec;
  return std::filesystem::is_directory(root, ec);
}

LogCheckResult not_a_folder(const std::string& root) {
  return {false, fmt::format("cannot read the logs: {} is not a folder (is the share mounted?)", root)};
}

// True when the setup run the logs show began at or after the step started
// (`since`, seconds since the epoch): only then are its milestones this
// step's. A site is never verified on the logs of an earlier setup.
bool began_after(const logs::VerifyResult& r, double since) {
  return r.setup_began && *r.setup_began >= time_of(since);
}

// The logs of one site followed from one check to the next; a second
// follower counts from the journal's start when SMSSetup.log has no times.
struct Followed {
  std::unique_ptr<logs::SiteFollower> plain, from_since;
};

}  // namespace

LogCheckResult check_site_logs(const std::string& root, const std::string& install_dir, std::optional<double> since) {
  if (smb::is_smb_url(root)) {
    try {
      smb::Session session{smb::Access{}};
      smb::Url url = smb::parse_url(root, "logs");
      auto r = smb::verify_site(url, session, install_dir);
      if (since && !began_after(r, *since)) r = smb::verify_site(url, session, install_dir, time_of(*since));
      return {r.verified, summary_of(r)};
    } catch (const InputError& e) {
      return {false, "cannot read the logs: " + e.message()};
    }
  }
  if (!is_folder(root)) return not_a_folder(root);
  auto r = logs::verify_site(root, install_dir);
  if (since && !began_after(r, *since)) {
    // SMSSetup.log carries no times, or the setup it shows ran before this
    // step began (logs of an earlier setup): count from the step's start.
    r = logs::verify_site(root, install_dir, time_of(*since));
  }
  return {r.verified, summary_of(r)};
}

namespace {

// The logs of one site over SMB, followed from one check to the next.
struct RemoteFollowed {
  std::unique_ptr<smb::RemoteSiteFollower> plain, from_since;
};

struct Remote {
  explicit Remote(smb::Access access) : session(std::move(access)) {}
  smb::Session session;
  std::map<std::tuple<std::string, std::string, std::optional<double>>, RemoteFollowed> sites;
};

LogCheckResult check_remote(Remote& remote, const std::string& root, const std::string& install_dir,
                            std::optional<double> since) {
  auto key = std::make_tuple(root, install_dir, since);
  try {
    smb::Url url = smb::parse_url(root, "logs");
    RemoteFollowed& f = remote.sites[key];
    if (!f.plain) f.plain = std::make_unique<smb::RemoteSiteFollower>(url, remote.session, install_dir, std::nullopt);
    f.plain->poll();
    const logs::VerifyResult* r = &f.plain->result();
    if (since && !began_after(*r, *since)) {
      if (!f.from_since)
        f.from_since = std::make_unique<smb::RemoteSiteFollower>(url, remote.session, install_dir, time_of(*since));
      f.from_since->poll();
      r = &f.from_since->result();
    }
    return {r->verified, summary_of(*r)};
  } catch (const InputError& e) {
    // An unreachable server or a refused logon: not verified this time,
    // followed from scratch once it answers again.
    remote.sites.erase(key);
    return {false, "cannot read the logs: " + e.message()};
  }
}

}  // namespace

LogCheck follow_site_logs(smb::Access access) {
  using Key = std::tuple<std::string, std::string, std::optional<double>>;
  auto sites = std::make_shared<std::map<Key, Followed>>();
  auto remote = std::make_shared<Remote>(std::move(access));
  return [sites, remote](const std::string& root, const std::string& install_dir, std::optional<double> since) {
    if (smb::is_smb_url(root)) return check_remote(*remote, root, install_dir, since);
    // A share not mounted (yet) is checked again next time, from scratch.
    if (!is_folder(root)) {
      sites->erase({root, install_dir, since});
      return not_a_folder(root);
    }
    Followed& f = (*sites)[{root, install_dir, since}];
    if (!f.plain) f.plain = std::make_unique<logs::SiteFollower>(root, install_dir, std::nullopt);
    f.plain->poll();
    const logs::VerifyResult* r = &f.plain->result();
    if (since && !began_after(*r, *since)) {
      // No times in SMSSetup.log, or an earlier setup's: count from the step's start.
      if (!f.from_since) f.from_since = std::make_unique<logs::SiteFollower>(root, install_dir, time_of(*since));
      f.from_since->poll();
      r = &f.from_since->result();
    }
    return LogCheckResult{r->verified, summary_of(*r)};
  };
}

}  // namespace smsup::drivers
