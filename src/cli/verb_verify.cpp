// smsup verify SITE --logs DIR: which completion milestones a site's logs show.
#include <memory>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/logs.h"
#include "cli/smb_cli.h"
#include "cli/verify.h"
#include "logs/time.h"
#include "logs/verify.h"
#include "smb/follow.h"
#include "util/error.h"

namespace smsup::cli {
namespace {

using namespace smsup::logs;

nlohmann::json to_json(const std::string& site, const VerifyResult& r) {
  nlohmann::json j;
  j["site"] = site;
  j["verified"] = r.verified;
  j["setup_began"] = r.setup_began ? nlohmann::json(format_utc(*r.setup_began)) : nlohmann::json();
  j["setup_began_from"] = r.setup_began_from;
  j["settle_minutes"] =
      r.settle ? nlohmann::json(std::chrono::duration<double, std::ratio<60>>(*r.settle).count()) : nlohmann::json();
  j["touch_after"] = r.touch_after ? nlohmann::json(format_utc(*r.touch_after)) : nlohmann::json();
  j["milestones"] = nlohmann::json::array();
  for (const auto& m : r.milestones) {
    nlohmann::json o{{"number", m.milestone->number}, {"log", m.milestone->log},     {"label", m.milestone->label},
                     {"text", m.milestone->text},     {"means", m.milestone->means}, {"state", to_string(m.state)}};
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

void print_text(std::ostream& out, const std::string& site, const VerifyResult& r) {
  fmt::print(out, "Site {}: {}\n", site, r.verified ? "upgrade complete (verified)" : "NOT verified");
  for (const auto& m : r.milestones) {
    const char* mark = m.state == MilestoneState::Found        ? "ok"
                       : m.state == MilestoneState::OutOfOrder ? "ORDER"
                                                               : "MISSING";
    std::string where = m.state == MilestoneState::Missing
                            ? fmt::format("(missing in {})", m.milestone->log)
                            : fmt::format("{}  {}:{}", local_time_text(m.local, m.bias_minutes, "(no time)"),
                                          m.file.filename().string(), m.line);
    fmt::print(out, "  {:<7} {}. {:<28} {}\n", mark, m.milestone->number, m.milestone->label, where);
  }
  if (r.setup_began) fmt::print(out, "Setup began: {} ({})\n", format_utc(*r.setup_began), r.setup_began_from);
  if (r.settle)
    fmt::print(out, "Milestones: the last came {} min after setup began\n",
               std::chrono::duration_cast<std::chrono::minutes>(*r.settle).count());
  if (r.touch_after)
    fmt::print(out, "Do not open a console, reset the site or change its configuration before {} ({})\n",
               format_utc(*r.touch_after),
               *r.touch_after == *r.setup_began + logs::kSettleTime
                   ? "30 minutes after setup began"
                   : "the last milestone, which came after the 30 minutes");
  for (const auto& n : r.notes) fmt::print(out, "  note: {}\n", n);
}

}  // namespace

int run_verify(const VerifyOptions& o, Output& out) {
  require_one_of("--format", o.format, {"text", "json"});
  require_range("--poll-ms", o.poll_ms, 1, 3600000);
  std::optional<TimePoint> since;
  if (!o.since.empty()) {
    since = parse_user_time(o.since);
    if (!since) throw InputError({}, "--since", "expected a time such as 2006-06-05T16:40:00Z, got '" + o.since + "'");
  }
  std::optional<std::chrono::milliseconds> wait;
  if (!o.wait.empty()) wait = require_duration("--wait", o.wait);
  VerifyResult r;
  bool text = o.format == "text";
  auto progress = [&](const VerifyResult& now) {
    if (!text) return;
    int found = 0;
    for (const auto& m : now.milestones) found += m.state == MilestoneState::Found;
    fmt::print(out.err, "smsup verify: {}: {} of 6 milestones so far\n", o.site, found);
    out.err.flush();
  };
  if (smb::is_smb_url(o.logs_dir)) {
    smb::Session session(smb_access(o.smb));
    auto root = smb::parse_url(o.logs_dir, "--logs");
    if (wait)
      r = smb::verify_site_waiting(root, session, o.install_dir, since, *wait, progress,
                                   std::chrono::milliseconds(o.poll_ms));
    else
      r = smb::verify_site(root, session, o.install_dir, since);
  } else if (wait) {
    r = verify_site_waiting(o.logs_dir, o.install_dir, since, *wait, progress,
                            WaitOptions{std::chrono::milliseconds(o.poll_ms)});
  } else {
    r = verify_site(o.logs_dir, o.install_dir, since);
  }
  if (o.format == "json")
    out.out << to_json(o.site, r).dump(2) << "\n";
  else
    print_text(out.out, o.site, r);
  return r.verified ? 0 : 1;
}

void register_verify(CLI::App& app, Status& status) {
  auto [sub, o] = add_verb(app, status, "verify",
                           "Which completion milestones a site's logs show (docs/logs.md), and when the site may be "
                           "touched. Exit 0 verified, 1 not (yet).",
                           run_verify);
  sub->add_option("SITE", o->site, "Site code (for the report)")->required();
  sub->add_option("--logs", o->logs_dir,
                  "System drive root of the site server (holds SMSSetup.log and SMS/Logs): a folder, or "
                  "smb://[DOMAIN;]USER@SERVER[:PORT]/SHARE (see --smb-auth)")
      ->required();
  sub->add_option("--since", o->since,
                  "When the upgrade started (UTC unless a zone is given), e.g. 2006-06-05T16:40:00Z");
  sub->add_option("--wait", o->wait, "Follow the logs as they grow until verified or this long has passed (30m, 90s)");
  sub->add_option(
         "--poll-ms", o->poll_ms,
         "With --wait: look at the logs at least this often, in ms (1 to 3600000; over SMB, exactly this often)")
      ->capture_default_str();
  sub->add_option("--install-dir", o->install_dir, "The site's install folder as Windows names it")
      ->capture_default_str();
  sub->add_option("--format", o->format, "text or json")->capture_default_str();
  add_smb_options(sub, o->smb);
}

}  // namespace smsup::cli
