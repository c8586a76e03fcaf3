// Operator actions outside the plan: what a person does at a console, and
// what the real system answers.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "twin/world.h"

namespace smsup::twin {
namespace {

int site_or_throw(const World& w, std::string_view code, std::string& what) {
  int s = w.find_site(code);
  if (s < 0) what = fmt::format("no site '{}' in the twin of {}", code, w.hierarchy);
  return s;
}

}  // namespace

bool Twin::connect_console(std::string_view console_host, std::string_view site, std::string& what) {
  World& w = *w_;
  int s = site_or_throw(w, site, what);
  if (s < 0) return false;
  const TwinSite& ts = w.sites[static_cast<size_t>(s)];
  SmsLevel level = SmsLevel::sp2;  // a console on the site server is upgraded by setup
  const TwinConsole* con = nullptr;
  for (const auto& c : w.consoles) {
    if (c.host == console_host) {
      level = c.version;
      con = &c;
    }
  }
  // "If you run the SMS Administrator console on a Windows Server 2003 SP1
  // computer, you must permit unsecapp.exe and TCP port 135 to pass through
  // the Windows Firewall": without them the console gets no results back.
  if (con && (!con->allows(FirewallException::unsecapp) || !con->allows(FirewallException::tcp_135))) {
    std::vector<std::string_view> lacking;
    if (!con->allows(FirewallException::unsecapp)) lacking.push_back("unsecapp.exe");
    if (!con->allows(FirewallException::tcp_135)) lacking.push_back("TCP 135");
    what = fmt::format(
        "the console on {} cannot work with {}: Windows Firewall on {} blocks {} (the console receives no "
        "asynchronous results; KB875605)",
        console_host, ts.code, console_host, fmt::join(lacking, " and "));
    w.site_log(s, "smsprov.log", "SMS Provider", w.now,
               fmt::format("~Cannot deliver asynchronous results to the SMS Administrator console on {} (unsecapp, "
                           "DCOM TCP 135): the call back was refused.",
                           console_host));
    return false;
  }
  if (ts.version == SmsLevel::sp2 && level < SmsLevel::sp2) {
    what = fmt::format("the SMS 2003 {} console on {} cannot connect to {}, an SMS 2003 SP2 site", to_string(level),
                       console_host, ts.code);
    w.site_log(s, "smsprov.log", "SMS Provider", w.now,
               fmt::format("~Connection from the SMS Administrator console on {} refused: console version SMS 2003 {} "
                           "is older than the site (SP2).",
                           console_host, to_string(level)));
    return false;
  }
  if (ts.state == SiteState::down || ts.state == SiteState::failed) {
    what = fmt::format("{} is {}: the SMS Provider does not answer", ts.code, to_string(ts.state));
    return false;
  }
  what = fmt::format("console on {} connected to {}", console_host, ts.code);
  w.activity(s, w.now, fmt::format("An Administrator console connection from {}", console_host));
  return true;
}

bool Twin::run_query(std::string_view console_host, std::string_view site, std::string& what) {
  World& w = *w_;
  int s = site_or_throw(w, site, what);
  if (s < 0) return false;
  std::string connected;
  if (!connect_console(console_host, site, connected)) {
    what = connected;
    return false;
  }
  for (const auto& c : w.consoles) {
    if (c.host != console_host || c.allows(FirewallException::statview)) continue;
    // "... or the queries will fail the first time they run. After failing
    // to run the first time, the Windows Firewall displays a dialog box
    // asking if you want to unblock statview.exe."
    what = fmt::format(
        "the query from the console on {} failed: Windows Firewall on {} blocks statview.exe (it asks whether to "
        "unblock it; add the exception)",
        console_host, console_host);
    return false;
  }
  what = fmt::format("query from the console on {} ran against {}", console_host, w.sites[static_cast<size_t>(s)].code);
  return true;
}

bool Twin::site_reset(std::string_view site, std::string& what) {
  World& w = *w_;
  int s = site_or_throw(w, site, what);
  if (s < 0) return false;
  what = fmt::format("site reset of {}", site);
  w.activity(s, w.now, "A site reset");
  return true;
}

bool Twin::change_http_port(std::string_view site, int port, std::string& what) {
  World& w = *w_;
  int s = site_or_throw(w, site, what);
  if (s < 0) return false;
  TwinSite& ts = w.sites[static_cast<size_t>(s)];
  int old = ts.http_port;
  bool below_sp1 = false;
  for (const auto& x : w.sites) below_sp1 = below_sp1 || x.version < SmsLevel::sp1;
  for (const auto& c : w.cohorts) {
    below_sp1 = below_sp1 || (c.version < SmsLevel::sp1 && c.upgraded < c.count);
  }
  ts.http_port = port;
  w.activity(s, w.now, "A configuration change (HTTP port)");
  int64_t cut = 0;
  for (int32_t ci : w.site_cohorts[static_cast<size_t>(s)]) {
    Cohort& c = w.cohorts[static_cast<size_t>(ci)];
    if (c.kind != ClientKind::advanced || c.http_port != old) continue;
    if (below_sp1) {
      c.cut_off = true;
      cut += c.count;
    } else {
      c.http_port = port;  // SP1 and later clients follow the site's new port
      c.cut_off = false;
    }
  }
  if (cut > 0) {
    what = fmt::format(
        "{}'s HTTP port changed {} -> {} while a site or client is below SP1: {} client(s) on port {} are cut off",
        ts.code, old, port, cut, old);
    w.site_log(s, "mpcontrol.log", "SMS_MP_CONTROL_MANAGER", w.now,
               fmt::format("~HTTP port changed from {} to {}: {} client(s) still use port {} and can no longer reach "
                           "the management point.",
                           old, port, cut, old));
    return false;
  }
  what = fmt::format("{}'s HTTP port changed {} -> {}; every client follows", ts.code, old, port);
  return true;
}

bool Twin::restore_backup(std::string_view site, std::string& what) {
  World& w = *w_;
  int s = site_or_throw(w, site, what);
  if (s < 0) return false;
  return w.restore(s, w.now, what);
}

bool Twin::restore_lost_files(std::string_view site, VTime at, std::string& what) {
  World& w = *w_;
  int si = site_or_throw(w, site, what);
  if (si < 0) return false;
  TwinSite& s = w.sites[static_cast<size_t>(si)];
  if (s.lost_files.empty()) {
    what = fmt::format("{}: setup deleted no file from the SMS folder tree", s.code);
    return false;
  }
  // Backup SMS Site Server copies the SMS folder tree: the newest backup
  // whose copy holds a lost file gives it back.
  std::vector<std::string> kept;
  std::vector<std::string> from;
  for (const auto& f : s.lost_files) {
    const Backup* b = nullptr;
    for (auto it = s.backups.rbegin(); it != s.backups.rend() && b == nullptr; ++it) {
      if (it->has_site_files &&
          std::find(it->foreign_files.begin(), it->foreign_files.end(), f) != it->foreign_files.end()) {
        b = &*it;
      }
    }
    if (b == nullptr) {
      kept.push_back(f);
      continue;
    }
    s.restored_files.push_back(f);
    std::string when = iso_time(w.opt.epoch_s, b->time);
    if (std::find(from.begin(), from.end(), when) == from.end()) from.push_back(when);
    w.later_site_log(si, "smsbkup.log", "SMS_SITE_BACKUP", std::max(at, w.now),
                     fmt::format("Restored {} from the site backup of {} (SMS folder tree).", f, when));
  }
  size_t restored = s.lost_files.size() - kept.size();
  s.lost_files = std::move(kept);
  if (restored == 0) {
    what =
        fmt::format("{}: no backup of the SMS folder tree holds the {} deleted file(s)", s.code, s.lost_files.size());
    return false;
  }
  what = fmt::format("restored {} file(s) setup deleted from the backup of {}", restored, fmt::join(from, ", "));
  if (!s.lost_files.empty()) what += fmt::format("; {} no backup holds", s.lost_files.size());
  return true;
}

bool Twin::force_legacy_update(std::string_view site, std::string& what) {
  World& w = *w_;
  int s = site_or_throw(w, site, what);
  if (s < 0) return false;
  if (w.sites[static_cast<size_t>(s)].ccim_ready_at == kNever) {
    what = fmt::format("{} is not SMS 2003 SP2 yet: its Legacy Clients find nothing to upgrade to", site);
    return false;
  }
  if (w.opt.naive_clients) {
    what = "forcing is not modelled in the naive client mode";
    return false;
  }
  int64_t n = 0;
  for (int32_t ci : w.site_cohorts[static_cast<size_t>(s)]) {
    Cohort& c = w.cohorts[static_cast<size_t>(ci)];
    if (c.fate != ClientFate::ccim) continue;
    // Upgrades already scheduled for a later cycle happen now instead.
    for (auto& b : w.batches) {
      if (b.cohort == ci && !b.applied && b.time > w.now) b.time = w.now;
    }
    int64_t left = c.count - c.upgraded;
    n += left;
  }
  // Re-queue the moved batches at now (the old events find them applied).
  for (size_t i = 0; i < w.batches.size(); ++i) {
    if (!w.batches[i].applied && w.batches[i].time == w.now)
      w.schedule(w.now, EventKind::cohort_upgrade, -1, static_cast<int>(i));
  }
  w.advance_to(w.now);
  what = fmt::format("{} Legacy Client(s) of {} upgraded at once (Update Configuration)", n, site);
  return true;
}

}  // namespace smsup::twin
