// A rehearsal as JSON (for programs) and as text (for people).
#include <fmt/format.h>
#include <iterator>
#include <map>

#include "twin/rehearsal.h"
#include "util/error.h"

namespace smsup::twin {
namespace {

using nlohmann::json;

double mins(VTime t) { return static_cast<double>(t) / static_cast<double>(kMinute); }

// Clients not at SP2 at the end, by why.
std::map<std::string, int64_t> not_sp2(const Twin& twin) {
  std::map<std::string, int64_t> out;
  for (const auto& c : twin.cohorts()) {
    int64_t left = c.count - c.upgraded;
    if (left <= 0 || c.fate == ClientFate::already_sp2) continue;
    std::string why(to_string(c.fate));
    if (c.cut_off)
      why = "cut-off-http-port";
    else if (c.push_blocked && (c.fate == ClientFate::push || c.fate == ClientFate::to_advanced))
      why = "push-blocked-firewall";
    else if (c.fate == ClientFate::push)
      why = "push-not-done";
    else if (c.fate == ClientFate::ccim)
      why = "ccim-not-yet";
    out[why] += left;
  }
  return out;
}

template <class... A>
void out(std::string& o, fmt::format_string<A...> f, A&&... a) {
  fmt::format_to(std::back_inserter(o), f, std::forward<A>(a)...);
}

int64_t rejected_total(const Rehearsal& r) {
  int64_t n = 0;
  for (const auto& d : r.clients) n += d.rejected_heartbeats;
  return n;
}

int64_t rejected_inventory_total(const Rehearsal& r) {
  int64_t n = 0;
  for (const auto& d : r.clients) n += d.rejected_inventory;
  return n;
}

}  // namespace

json to_json(const Rehearsal& r, const Twin& twin, const plan::Plan& plan) {
  json steps = json::array();
  for (const auto& s : r.steps) {
    json js = {{"id", s.id},         {"kind", s.kind},       {"site", s.site},        {"manual", s.manual},
               {"status", s.status}, {"message", s.message}, {"attempts", s.attempts}};
    if (s.status != "skipped") {
      js["start_min"] = mins(s.start);
      js["end_min"] = mins(s.end);
      js["start"] = iso_time(twin.epoch_s(), s.start);
      js["end"] = iso_time(twin.epoch_s(), s.end);
    }
    if (!s.recovery.empty()) js["recovery"] = s.recovery;
    steps.push_back(std::move(js));
  }
  json sites = json::array();
  json lost = json::array();
  json restored = json::array();
  for (const auto& s : twin.sites()) {
    json js = {{"code", s.code},
               {"version", to_string(s.version)},
               {"state", to_string(s.state)},
               {"verified", s.verified},
               {"reinstall_restarts", s.reinstall_restarts},
               {"lost_files", s.lost_files},
               {"restored_files", s.restored_files}};
    if (!s.failure.empty()) js["failure"] = s.failure;
    if (s.db) {
      js["database"] = {{"data_mb", s.db->data_mb},
                        {"log_mb", s.db->log_mb},
                        {"free_disk_mb", s.db->free_disk_mb},
                        {"growth_mb", s.db->growth_data_mb + s.db->growth_log_mb},
                        {"growth_from", s.db->growth_from},
                        {"estimate_mb", s.db->estimate_mb},
                        {"file", s.db->file.empty() ? json(nullptr) : json(s.db->file)}};
    }
    sites.push_back(std::move(js));
    for (const auto& f : s.lost_files) lost.push_back({{"site", s.code}, {"file", f}});
    for (const auto& f : s.restored_files) restored.push_back({{"site", s.code}, {"file", f}});
  }
  json problems = json::array();
  for (const auto& h : twin.hosts()) {
    for (const auto& p : describe_problems(h.problems)) problems.push_back({{"host", h.host}, {"problem", p}});
  }
  json consoles = json::array();
  for (const auto& c : twin.consoles()) consoles.push_back({{"host", c.host}, {"version", to_string(c.version)}});
  json days = json::array();
  for (const auto& d : r.clients) {
    days.push_back({{"day", d.day},
                    {"sms20", d.by_version[0]},
                    {"rtm", d.by_version[1]},
                    {"sp1", d.by_version[2]},
                    {"sp2", d.by_version[3]},
                    {"rejected_heartbeats", d.rejected_heartbeats},
                    {"rejected_inventory", d.rejected_inventory}});
  }
  json never = json::object();
  for (const auto& [k, v] : not_sp2(twin)) never[k] = v;
  return {{"format", "smsup-rehearsal/1"},
          {"hierarchy", twin.hierarchy()},
          {"plan_created", plan.created},
          {"seed", twin.seed()},
          {"ok", r.ok()},
          {"fully_upgraded", r.fully_upgraded},
          {"nothing_lost", r.nothing_lost},
          {"open_problems", r.open_problems},
          {"failed_steps", r.failed},
          {"skipped_steps", r.skipped},
          {"start", iso_time(twin.epoch_s(), 0)},
          {"total_virtual_min", mins(r.plan_end)},
          {"total_virtual", format_duration(r.plan_end)},
          {"steps", steps},
          {"sites", sites},
          {"lost_files", lost},
          {"restored_files", restored},
          {"host_problems", problems},
          {"stale_backups", r.end.stale_backups},
          {"consoles", consoles},
          {"clients",
           {{"days", days},
            {"not_sp2", never},
            {"rejected_heartbeats", rejected_total(r)},
            {"rejected_inventory", rejected_inventory_total(r)}}},
          {"events", twin.events_processed()},
          {"log_lines", twin.lines_written()}};
}

namespace {

// The checks of check_rehearsal_json: each refuses a present field of the
// wrong kind, naming its path; an absent one is left to the reader's default.
struct Shape {
  [[noreturn]] static void refuse(const std::string& field, const std::string& expected) {
    throw InputError({}, field, "expected " + expected);
  }
  static const json* at(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
  }
  static void boolean(const json& obj, const char* key, const std::string& path) {
    if (const json* v = at(obj, key); v && !v->is_boolean()) refuse(path + key, "true or false");
  }
  static void text(const json& obj, const char* key, const std::string& path) {
    if (const json* v = at(obj, key); v && !v->is_string() && !v->is_null()) refuse(path + key, "a string");
  }
  // A count: a whole number from 0 to `max`.
  static void count(const json& obj, const char* key, const std::string& path, double max) {
    const json* v = at(obj, key);
    if (!v) return;
    bool whole = v->is_number_unsigned() || (v->is_number_integer() && v->get<std::int64_t>() >= 0);
    if (!whole || v->get<double>() > max) refuse(path + key, fmt::format("a whole number from 0 to {:.0f}", max));
  }
  // Minutes of virtual time: from 0 to a century.
  static void minutes(const json& obj, const char* key, const std::string& path) {
    const json* v = at(obj, key);
    if (!v) return;
    double m = v->is_number() ? v->get<double>() : -1;
    if (!(m >= 0 && m <= 100 * 525600.0)) refuse(path + key, "minutes of virtual time, 0 to 52560000 (a century)");
  }
  // An array of objects, each checked by `each` with its path ("steps[3].").
  template <class Each>
  static void objects(const json& obj, const char* key, const std::string& prefix, Each each) {
    const json* v = at(obj, key);
    if (!v) return;
    if (!v->is_array()) refuse(prefix + key, "a list");
    for (std::size_t i = 0; i < v->size(); ++i) {
      std::string path = fmt::format("{}{}[{}]", prefix, key, i);
      if (!(*v)[i].is_object()) refuse(path, "an object");
      each((*v)[i], path + ".");
    }
  }
};

}  // namespace

void check_rehearsal_json(const json& r) {
  using S = Shape;
  if (!r.is_object()) S::refuse("", "an object");
  for (const char* b : {"ok", "fully_upgraded", "nothing_lost"}) S::boolean(r, b, "");
  for (const char* c : {"failed_steps", "skipped_steps", "open_problems"}) S::count(r, c, "", 1e9);
  for (const char* t : {"hierarchy", "total_virtual", "start"}) S::text(r, t, "");
  S::objects(r, "steps", "", [](const json& s, const std::string& p) {
    if (!S::at(s, "id") || !s["id"].is_string()) S::refuse(p + "id", "the step's id (a string)");
    for (const char* t : {"status", "message", "recovery"}) S::text(s, t, p);
    S::minutes(s, "start_min", p);
    S::minutes(s, "end_min", p);
    if (S::at(s, "start_min") && S::at(s, "end_min") && s["end_min"].get<double>() < s["start_min"].get<double>())
      S::refuse(p + "end_min", "an end no earlier than start_min");
  });
  S::objects(r, "sites", "", [](const json& s, const std::string& p) {
    for (const char* t : {"code", "version", "state", "failure"}) S::text(s, t, p);
    S::boolean(s, "verified", p);
    if (const json* d = S::at(s, "database"); d && !d->is_object() && !d->is_null())
      S::refuse(p + "database", "an object (data_mb, log_mb, growth_mb, ...)");
  });
  S::objects(r, "host_problems", "", [](const json& h, const std::string& p) {
    S::text(h, "host", p);
    S::text(h, "problem", p);
  });
  if (const json* c = S::at(r, "clients")) {
    if (!c->is_object()) S::refuse("clients", "an object (days, not_sp2, ...)");
    S::objects(*c, "days", "clients.", [](const json& d, const std::string& p) {
      for (const char* v : {"sms20", "rtm", "sp1", "sp2"}) S::count(d, v, p, 1e12);
    });
  }
}

std::string to_text(const Rehearsal& r, const Twin& twin, const plan::Plan& plan) {
  std::string o;
  out(o, "Rehearsal of {} on a fresh twin (seed {}), {} steps, starting {}\n\n", twin.hierarchy(), twin.seed(),
      plan.steps.size(), iso_time(twin.epoch_s(), 0));
  out(o, "  {:>9}  {:>9}  {:<44} {}\n", "start", "end", "step", "result");
  for (const auto& s : r.steps) {
    std::string when = s.status == "skipped" ? fmt::format("  {:>9}  {:>9}", "-", "-")
                                             : fmt::format("  {:>9}  {:>9}", "+" + format_duration(s.start),
                                                           "+" + format_duration(s.end));
    std::string result = s.status == "ok"        ? "ok"
                         : s.status == "skipped" ? "skipped"
                                                 : (s.status == "hung" ? "HUNG" : "FAILED");
    out(o, "{}  {:<44} {}{}{}\n", when, s.id + (s.manual ? " (manual)" : ""), result, s.message.empty() ? "" : ": ",
        s.message);
    if (!s.recovery.empty()) out(o, "  {:>9}  {:>9}  {:<44} recovered: {}\n", "", "", "", s.recovery);
  }
  out(o, "\nSites\n");
  for (const auto& s : twin.sites()) {
    out(o, "  {:<4} {:<5} {:<9}{}{}\n", s.code, to_string(s.version), to_string(s.state),
        s.reinstall_restarts ? fmt::format(" (reinstallation restarted {}x)", s.reinstall_restarts) : "",
        s.failure.empty() ? "" : "  " + s.failure);
    if (s.db) {
      int64_t growth = s.db->growth_data_mb + s.db->growth_log_mb;
      std::string from = s.db->growth_from;
      if (from == "site database" && s.db->estimate_mb != growth) {
        from += fmt::format("; the disk rule estimated {} MB", s.db->estimate_mb);
      }
      out(o, "       database {} MB data, {} MB log, {} MB free; upgrade growth {} MB ({}){}\n", s.db->data_mb,
          s.db->log_mb, s.db->free_disk_mb, growth, from, s.db->file.empty() ? "" : "; " + s.db->file);
    }
  }
  bool any_lost = false;
  for (const auto& s : twin.sites()) {
    for (const auto& f : s.lost_files) {
      if (!any_lost) out(o, "\nLost files (deleted by setup from the SMS folder tree)\n");
      any_lost = true;
      out(o, "  {}: {}\n", s.code, f);
    }
  }
  bool any_restored = false;
  for (const auto& s : twin.sites()) {
    for (const auto& f : s.restored_files) {
      if (!any_restored) out(o, "\nRestored files (deleted by setup, copied back from the backup's SMS folder tree)\n");
      any_restored = true;
      out(o, "  {}: {}\n", s.code, f);
    }
  }
  bool any_problem = false;
  for (const auto& h : twin.hosts()) {
    for (const auto& p : describe_problems(h.problems)) {
      if (!any_problem) out(o, "\nOpen problems on site systems\n");
      any_problem = true;
      out(o, "  {}: {}\n", h.host, p);
    }
  }
  for (const auto& c : twin.consoles()) {
    if (c.version != SmsLevel::sp2)
      out(o, "\nConsole on {} is still SMS 2003 {}: it cannot open SP2 sites\n", c.host, to_string(c.version));
  }
  if (!r.end.stale_backups.empty()) out(o, "\nStale backups (warning)\n");
  for (const auto& w : r.end.stale_backups) out(o, "  {}\n", w);
  if (!r.clients.empty() && !twin.cohorts().empty()) {
    out(o, "\nClients by version at the end of each day\n  {:>4} {:>9} {:>9} {:>9} {:>9} {:>11} {:>12}\n", "day",
        "sms20", "rtm", "sp1", "sp2", "rejected-hb", "rejected-inv");
    for (const auto& d : r.clients) {
      out(o, "  {:>4} {:>9} {:>9} {:>9} {:>9} {:>11} {:>12}\n", d.day, d.by_version[0], d.by_version[1],
          d.by_version[2], d.by_version[3], d.rejected_heartbeats, d.rejected_inventory);
    }
    auto never = not_sp2(twin);
    if (!never.empty()) {
      out(o, "  not at SP2 at the end:");
      for (const auto& [k, v] : never) out(o, " {} {}", k, v);
      out(o, "\n");
    }
    out(o, "  rejected heartbeats: {}, rejected inventory reports (hardware and software): {}\n", rejected_total(r),
        rejected_inventory_total(r));
  }
  out(o, "\nTotal virtual duration of the plan: {} (clients followed for {} days)\n", format_duration(r.plan_end),
      r.days);
  out(o, "Result: {}{}{}{}\n", r.fully_upgraded ? "fully upgraded" : "NOT fully upgraded",
      !r.nothing_lost ? ", files LOST"
      : r.end.restored_files.empty()
          ? ", nothing lost"
          : fmt::format(", nothing lost ({} file(s) restored from backups)", r.end.restored_files.size()),
      r.open_problems > 0 ? fmt::format(", {} problem(s) still open on site systems", r.open_problems) : "",
      r.failed + r.skipped > 0 ? fmt::format(", {} step(s) failed, {} skipped", r.failed, r.skipped) : "");
  return o;
}

}  // namespace smsup::twin
