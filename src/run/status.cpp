#include "run/status.h"

#include <fmt/format.h>

#include "run/eta.h"
#include "run/progress.h"
#include "run/session.h"
#include "util/printable.h"

namespace smsup::run {

using nlohmann::json;

namespace {

json lock_json(const std::optional<LockHolder>& h) {
  if (!h) return nullptr;
  return {{"pid", h->pid},
          {"host", h->host},
          {"since", iso_time(h->since)},
          {"operator", h->who},
          {"lease_s", h->lease},
          {"renewed_s_ago", h->age},
          {"expired", h->lease > 0 && h->age > h->lease}};
}

std::string paint(const std::string& s, State st, bool color) {
  if (!color) return s;
  const char* c = st == State::succeeded ? "32"
                  : st == State::failed  ? "31"
                  : st == State::waiting ? "33"
                  : st == State::running ? "36"
                                         : "2";
  return fmt::format("\x1b[{}m{}\x1b[0m", c, s);
}

}  // namespace

StatusHead read_head_facts(const Journal& j) {
  StatusHead h;
  h.plan_path = j.meta("plan_path");
  h.plan_digest = j.meta("plan_digest");
  h.hierarchy = j.meta("hierarchy");
  h.target = j.meta("target");
  h.created = j.meta("created");
  return h;
}

StatusHead read_head(const Journal& j) {
  StatusHead h = read_head_facts(j);
  h.holder = j.holder();
  return h;
}

StatusRead read_status(const Journal& j) {
  StatusRead r;
  r.steps = j.steps();
  r.eta = journal_eta(j, r.steps, now_seconds());
  r.head = read_head(j);
  return r;
}

nlohmann::json status_json(const Journal& j, const std::vector<JournalStep>& steps, const std::optional<Eta>& eta) {
  return status_json(j, read_head(j), steps, eta);
}

std::string status_text(const Journal& j, const std::vector<JournalStep>& steps, const std::optional<Eta>& eta,
                        bool all, bool color) {
  return status_text(j, read_head(j), steps, eta, all, color);
}

nlohmann::json status_json(const Journal& j, const StatusHead& head, const std::vector<JournalStep>& steps,
                           const std::optional<Eta>& eta) {
  json list = json::array();
  json counts = json::object();
  for (auto s : {"pending", "running", "waiting", "succeeded", "failed", "skipped"}) counts[s] = 0;
  for (const auto& r : steps) {
    counts[std::string(to_string(r.state))] = counts[std::string(to_string(r.state))].get<int>() + 1;
    json s = {{"id", r.id},
              {"kind", r.kind},
              {"site", r.site},
              {"host", r.host.empty() ? json(nullptr) : json(r.host)},
              {"manual", r.manual},
              {"state", to_string(r.state)},
              {"attempts", r.attempts},
              {"started", r.started > 0 ? json(iso_time(r.started)) : json(nullptr)},
              {"finished", r.finished > 0 ? json(iso_time(r.finished)) : json(nullptr)},
              {"message", r.message},
              {"note", r.note},
              {"output_tail", r.output_tail}};
    if (r.state == State::succeeded || r.state == State::failed) s["exit_code"] = r.exit_code;
    list.push_back(std::move(s));
  }
  return {{"format", "smsup-status/1"},
          {"journal", j.shown()},
          {"plan", head.plan_path},
          {"plan_digest", head.plan_digest},
          {"hierarchy", head.hierarchy},
          {"target", head.target},
          {"created", head.created},
          {"lock", lock_json(head.holder)},
          {"counts", counts},
          {"eta", eta ? to_json(*eta) : json(nullptr)},
          {"steps", std::move(list)}};
}

std::string status_text(const Journal& j, const StatusHead& head, const std::vector<JournalStep>& steps,
                        const std::optional<Eta>& eta, bool all, bool color) {
  int counts[6] = {};
  for (const auto& r : steps) ++counts[static_cast<int>(r.state)];
  // Everything below comes from the journal, which other people and other
  // hosts' commands write: shown as text, never as terminal controls.
  std::string out =
      fmt::format("Journal {}  (plan {}, {} on the {}, digest {})\n", printable(j.shown()), printable(head.plan_path),
                  printable(head.hierarchy), printable(head.target), printable(head.plan_digest.substr(0, 12)));
  if (const auto& h = head.holder) {
    out += fmt::format("apply is running: pid {} on host {}{}, since {}", h->pid, printable(h->host),
                       h->who.empty() ? "" : " (operator " + printable(h->who) + ")", iso_time(h->since));
    if (h->lease > 0) {
      out += h->age > h->lease
                 ? fmt::format("; its lease ran out {:.0f} s ago: another apply may take over", h->age - h->lease)
                 : fmt::format("; lease renewed {:.0f} s ago, lasts {:.0f} s", h->age, h->lease);
    }
    out += "\n";
  } else {
    out += "no apply is running\n";
  }
  out += fmt::format("{} steps: {} succeeded, {} running, {} waiting, {} failed, {} skipped, {} pending\n",
                     steps.size(), counts[3], counts[1], counts[2], counts[4], counts[5], counts[0]);
  double now = now_seconds();
  if (eta) out += to_text(*eta);
  bool header = false;
  for (const auto& r : steps) {
    bool show = all || (r.state != State::pending && r.state != State::succeeded);
    if (!show) continue;
    if (!header) {
      out += fmt::format("\n{:<32} {:<9} {:>3} {:>8}  {}\n", "STEP", "STATE", "TRY", "TIME", "DETAIL");
      header = true;
    }
    std::string time = r.state == State::running         ? elapsed_text(now - r.started)
                       : r.finished > 0 && r.started > 0 ? elapsed_text(r.finished - r.started)
                                                         : "-";
    std::string detail = r.message;
    if (!r.note.empty()) detail += (detail.empty() ? "" : "; ") + std::string("note: ") + r.note;
    if (r.state == State::waiting) detail += fmt::format(" ({})", confirm_command(j, r.id));
    detail = printable(detail.substr(0, detail.find('\n')));
    out += fmt::format("{:<32} {} {:>3} {:>8}  {}\n", printable(r.id),
                       paint(fmt::format("{:<9}", to_string(r.state)), r.state, color), r.attempts, time, detail);
    if (r.state == State::failed && !r.output_tail.empty()) {
      std::string tail = r.output_tail;
      size_t keep = tail.size() > 300 ? tail.rfind('\n', tail.size() - 300) : 0;
      if (keep == std::string::npos) keep = 0;
      for (size_t p = keep, e; p < tail.size(); p = e + 1) {
        e = tail.find('\n', p);
        if (e == std::string::npos) e = tail.size();
        if (e > p) out += "    | " + printable_lines(tail.substr(p, e - p)) + "\n";
      }
    }
  }
  return out;
}

nlohmann::json events_json(const Journal& j) {
  json list = json::array();
  for (const auto& e : j.events()) {
    list.push_back({{"seq", e.seq},
                    {"at", iso_time(e.at)},
                    {"step", e.step.empty() ? json(nullptr) : json(e.step)},
                    {"state", e.state},
                    {"how", e.how},
                    {"who", e.who.empty() ? json(nullptr) : json(e.who)},
                    {"from", e.origin.empty() ? json(nullptr) : json(e.origin)},
                    {"detail", e.detail}});
  }
  return {{"format", "smsup-events/1"}, {"journal", j.shown()}, {"events", std::move(list)}};
}

std::string events_text(const Journal& j) {
  std::string out =
      fmt::format("{:<20} {:<32} {:<9} {:<9} {:<24} {}\n", "AT", "STEP", "STATE", "BY", "WHO (FROM)", "DETAIL");
  for (const auto& e : j.events()) {
    std::string who = e.who.empty() ? "-" : e.who;
    if (!e.origin.empty()) who += " (" + e.origin + ")";
    std::string detail = e.detail.substr(0, e.detail.find('\n'));
    out +=
        fmt::format("{:<20} {:<32} {:<9} {:<9} {:<24} {}\n", iso_time(e.at), e.step.empty() ? "-" : printable(e.step),
                    printable(e.state), printable(e.how), printable(who), printable(detail));
  }
  return out;
}

int status_code(const std::vector<JournalStep>& steps) {
  for (const auto& r : steps) {
    if (r.state != State::succeeded) return 1;
  }
  return 0;
}

}  // namespace smsup::run
