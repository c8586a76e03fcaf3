// smsup verify SITE --logs DIR: which completion milestones a site's logs show.
#include <cstdio>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/smb_cli.h"
#include "cli/verbs.h"
#include "logs/time.h"
#include "logs/verify.h"
#include "util/error.h"

namespace smsup::cli {
namespace {

using namespace smsup::logs;

struct VerifyOptions {
  SmbCliOptions smb;  // --logs smb://...
  std::string site, logs_dir, since, wait, install_dir = "C:\\SMS", format = "text";
  int poll_ms = static_cast<int>(kDefaultPollInterval.count());
};

std::string time_text(const MilestoneResult& m) {
  if (!m.local) return "(no time)";
  std::string s = format_local(*m.local);
  if (m.bias_minutes) s += fmt::format("{:+04}", *m.bias_minutes);
  return s;
}

nlohmann::json to_json(const std::string& site, const VerifyResult& r) {
  nlohmann::json j;
  j["site"] = site;
  j["verified"] = r.verified;
  j["setup_began"] = r.setup_began ? nlohmann::json(format_utc(*r.setup_began)) : nlohmann::json();
  j["setup_began_from"] = r.setup_began_from;
  j["settle_minutes"] = r.settle ? nlohmann::json(std::chrono::duration<double, std::ratio<60>>(*r.settle).count())
                                 : nlohmann::json();
  j["touch_after"] = r.touch_after ? nlohmann::json(format_utc(*r.touch_after)) : nlohmann::json();
  j["milestones"] = nlohmann::json::array();
  for (const auto& m : r.milestones) {
    nlohmann::json o{{"number", m.milestone->number}, {"log", m.milestone->log},
                     {"label", m.milestone->label}, {"text", m.milestone->text}, {"means", m.milestone->means},
                     {"state", to_string(m.state)}};
    if (m.state != MilestoneState::Missing) {
      o["file"] = m.file.string();
      o["line"] = m.line;
      o["message"] = m.message;
      o["local"] = m.local ? nlohmann::json(format_local(*m.local)) : nlohmann::json();
      o["bias"] = m.bias_minutes ? nlohmann::json(*m.bias_minutes) : nlohmann::json();
      o["utc"] = m.utc ? nlohmann::json(format_utc(*m.utc)) : nlohmann::json();
    }
    j["milestones"].push_back(o);
  }
  j["files_read"] = nlohmann::json::array();
  for (const auto& f : r.files_read) j["files_read"].push_back(f.string());
  j["files_missing"] = nlohmann::json::array();
  for (const auto& f : r.files_missing) j["files_missing"].push_back(f.string());
  j["notes"] = r.notes;
  return j;
}

void print_text(const std::string& site, const VerifyResult& r) {
  std::printf("Site %s: %s\n", site.c_str(), r.verified ? "upgrade complete (verified)" : "NOT verified");
  for (const auto& m : r.milestones) {
    const char* mark = m.state == MilestoneState::Found ? "ok" : m.state == MilestoneState::OutOfOrder ? "ORDER" : "MISSING";
    std::string where = m.state == MilestoneState::Missing
                            ? fmt::format("(missing in {})", m.milestone->log)
                            : fmt::format("{}  {}:{}", time_text(m), m.file.filename().string(), m.line);
    std::printf("  %-7s %d. %-28s %s\n", mark, m.milestone->number, std::string(m.milestone->label).c_str(),
                where.c_str());
  }
  if (r.setup_began)
    std::printf("Setup began: %s (%s)\n", format_utc(*r.setup_began).c_str(), r.setup_began_from.c_str());
  if (r.settle)
    std::printf("Milestones: the last came %lld min after setup began\n",
                static_cast<long long>(std::chrono::duration_cast<std::chrono::minutes>(*r.settle).count()));
  if (r.touch_after)
    std::printf("Do not open a console, reset the site or change its configuration before %s (%s)\n",
                format_utc(*r.touch_after).c_str(),
                *r.touch_after == *r.setup_began + logs::kSettleTime
                    ? "30 minutes after setup began"
                    : "the last milestone, which came after the 30 minutes");
  for (const auto& n : r.notes) std::printf("  note: %s\n", n.c_str());
}

}  // namespace

void register_verify(CLI::App& app, Status& status) {
  auto o = std::make_shared<VerifyOptions>();
  auto* sub = app.add_subcommand(
      "verify",
      "Which completion milestones a site's logs show (docs/logs.md), and when the site may be touched. Exit 0 verified, 1 not (yet).");
  sub->add_option("SITE", o->site, "Site code (for the report)")->required();
  sub->add_option("--logs", o->logs_dir, "System drive root of the site server (holds SMSSetup.log and SMS/Logs): a folder, or smb://[DOMAIN;]USER@SERVER[:PORT]/SHARE (see --smb-auth)")
      ->required();
  sub->add_option("--since", o->since, "When the upgrade started (UTC unless a zone is given), e.g. 2006-06-05T16:40:00Z");
  sub->add_option("--wait", o->wait, "Follow the logs as they grow until verified or this long has passed (30m, 90s)");
  sub->add_option("--poll-ms", o->poll_ms, "With --wait: look at the logs at least this often, in ms")
      ->check(CLI::Range(1, 3600000))
      ->capture_default_str();
  sub->add_option("--install-dir", o->install_dir, "The site's install folder as Windows names it")
      ->capture_default_str();
  sub->add_option("--format", o->format, "text or json")->check(CLI::IsMember({"text", "json"}))->capture_default_str();
  add_smb_options(sub, o->smb);
  sub->callback([o, &status] {
    std::optional<TimePoint> since;
    if (!o->since.empty()) {
      since = parse_user_time(o->since);
      if (!since) throw InputError({}, "--since", "expected a time such as 2006-06-05T16:40:00Z, got '" + o->since + "'");
    }
    std::optional<std::chrono::milliseconds> wait;
    if (!o->wait.empty()) {
      wait = parse_duration(o->wait);
      if (!wait) throw InputError({}, "--wait", "expected a duration such as 30m, 90s or 1h, got '" + o->wait + "'");
    }
    VerifyResult r;
    if (smb::is_smb_url(o->logs_dir)) {
      if (wait) throw InputError({}, "--wait", "following logs over SMB is not built yet: run verify again without --wait");
      smb::Session session(smb_access(o->smb));
      r = smb::verify_site(smb::parse_url(o->logs_dir, "--logs"), session, o->install_dir, since);
    } else if (wait) {
      bool text = o->format == "text";
      r = verify_site_waiting(o->logs_dir, o->install_dir, since, *wait, [&](const VerifyResult& now) {
        if (!text) return;
        int found = 0;
        for (const auto& m : now.milestones) found += m.state == MilestoneState::Found;
        std::fprintf(stderr, "smsup verify: %s: %d of 6 milestones so far\n", o->site.c_str(), found);
      }, WaitOptions{std::chrono::milliseconds(o->poll_ms)});
    } else {
      r = verify_site(o->logs_dir, o->install_dir, since);
    }
    if (o->format == "json")
      std::printf("%s\n", to_json(o->site, r).dump(2).c_str());
    else
      print_text(o->site, r);
    status.code = r.verified ? 0 : 1;
  });
}

}  // namespace smsup::cli
