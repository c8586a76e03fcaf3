// Saving and loading the whole twin as JSON, so that the state survives a
// crash of the process that drives it. Written atomically (temp, fsync, rename).
#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include "twin/world.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/json_input.h"
#include "util/output_file.h"

namespace smsup::twin {

using nlohmann::json;

namespace {

json step_json(const plan::Step& s) {
  return {{"id", s.id},       {"kind", s.kind},     {"site", s.site},     {"host", s.host},
          {"after", s.after}, {"manual", s.manual}, {"params", s.params}, {"estimate_min", s.estimate_min},
          {"why", s.why},     {"title", s.title}};
}

plan::Step step_from(const json& j) {
  plan::Step s;
  s.id = j.at("id");
  s.kind = j.at("kind");
  s.site = j.at("site");
  s.host = j.at("host");
  s.after = j.at("after").get<std::vector<std::string>>();
  s.manual = j.at("manual");
  s.params = j.at("params");
  s.estimate_min = j.at("estimate_min");
  s.why = j.at("why").get<std::vector<std::string>>();
  s.title = j.at("title");
  return s;
}

json db_json(const SiteDb& d) {
  return {{"server", d.server},
          {"name", d.name},
          {"sql", d.sql.text},
          {"sql_major", d.sql.major},
          {"sql_sp", d.sql.sp_rank},
          {"replication", d.replication},
          {"data_mb", d.data_mb},
          {"log_mb", d.log_mb},
          {"free_disk_mb", d.free_disk_mb},
          {"autogrow", d.autogrow},
          {"growth_data_mb", d.growth_data_mb},
          {"growth_log_mb", d.growth_log_mb},
          {"growth_measured", d.growth_measured},
          {"estimate_mb", d.estimate_mb},
          {"growth_from", d.growth_from},
          {"clients_held", d.clients_held},
          {"file", d.file},
          {"sp1_compatible", d.sp1_compatible},
          {"copies", d.copies}};
}

SiteDb db_from(const json& j) {
  SiteDb d;
  d.server = j.at("server");
  d.name = j.at("name");
  d.sql.text = j.at("sql");
  d.sql.major = j.at("sql_major");
  d.sql.sp_rank = j.at("sql_sp");
  d.replication = j.at("replication");
  d.data_mb = j.at("data_mb");
  d.log_mb = j.at("log_mb");
  d.free_disk_mb = j.at("free_disk_mb");
  d.autogrow = j.at("autogrow");
  d.growth_data_mb = j.at("growth_data_mb");
  d.growth_log_mb = j.at("growth_log_mb");
  d.growth_measured = j.at("growth_measured");
  d.estimate_mb = j.at("estimate_mb");
  d.growth_from = j.at("growth_from");
  d.clients_held = j.at("clients_held");
  d.file = j.at("file");
  d.sp1_compatible = j.at("sp1_compatible");
  d.copies = j.at("copies").get<std::vector<std::string>>();
  return d;
}

json opt_db(const std::optional<SiteDb>& d) { return d ? db_json(*d) : json(nullptr); }
std::optional<SiteDb> opt_db_from(const json& j) {
  if (j.is_null()) return std::nullopt;
  return db_from(j);
}

json site_json(const TwinSite& s) {
  json backups = json::array();
  for (const auto& b : s.backups) backups.push_back({b.time, b.with_replication, b.has_site_files, b.foreign_files});
  return {{"code", s.code},
          {"parent", s.parent},
          {"primary", s.primary},
          {"version", static_cast<int>(s.version)},
          {"state", to_string(s.state)},
          {"method", static_cast<int>(s.method)},
          {"drw_passed", s.drw_passed},
          {"http_port", s.http_port},
          {"client_auth", s.client_auth},
          {"install_dir", s.install_dir},
          {"server", s.server},
          {"db", opt_db(s.db)},
          {"backups", backups},
          {"foreign_files", s.foreign_files},
          {"lost_files", s.lost_files},
          {"restored_files", s.restored_files},
          {"backup_age_at_upgrade", s.backup_age_at_upgrade},
          {"systems", s.systems},
          {"clients", s.clients},
          {"setup_start", s.setup_start},
          {"setup_end", s.setup_end},
          {"reinstall_start", s.reinstall_start},
          {"gen", s.gen},
          {"reinstall_restarts", s.reinstall_restarts},
          {"milestones", s.milestones},
          {"verified", s.verified},
          {"itmu", s.itmu},
          {"failure", s.failure},
          {"expected_done", s.expected_done},
          {"ccim_ready_at", s.ccim_ready_at},
          {"version_before", static_cast<int>(s.version_before)},
          {"db_before", opt_db(s.db_before)},
          {"services_down_until", s.services_down_until}};
}

TwinSite site_from(const json& j) {
  TwinSite s;
  s.code = j.at("code");
  s.parent = j.at("parent");
  s.primary = j.at("primary");
  s.version = static_cast<SmsLevel>(j.at("version").get<int>());
  auto state = parse_site_state(j.at("state").get<std::string>());
  if (!state) throw StateDamage{"state", "unknown site state '" + j.at("state").get<std::string>() + "'"};
  s.state = *state;
  s.method = static_cast<Method>(j.at("method").get<int>());
  s.drw_passed = j.at("drw_passed");
  s.http_port = j.at("http_port");
  s.client_auth = j.at("client_auth");
  s.install_dir = j.at("install_dir");
  s.server = j.at("server");
  s.db = opt_db_from(j.at("db"));
  for (const auto& b : j.at("backups")) {
    // The copied files are absent from twins saved before they were kept.
    s.backups.push_back({b.at(0), b.at(1), b.at(2),
                         b.size() > 3 ? b.at(3).get<std::vector<std::string>>() : std::vector<std::string>{}});
  }
  s.foreign_files = j.at("foreign_files").get<std::vector<std::string>>();
  s.lost_files = j.at("lost_files").get<std::vector<std::string>>();
  s.restored_files = j.value("restored_files", std::vector<std::string>{});
  s.backup_age_at_upgrade = j.value("backup_age_at_upgrade", VTime{-1});  // twins saved before it was kept
  s.systems = j.at("systems");
  s.clients = j.at("clients");
  s.setup_start = j.at("setup_start");
  s.setup_end = j.at("setup_end");
  s.reinstall_start = j.at("reinstall_start");
  s.gen = j.at("gen");
  s.reinstall_restarts = j.at("reinstall_restarts");
  s.milestones = j.at("milestones").get<std::array<VTime, kMilestones>>();
  s.verified = j.at("verified");
  s.itmu = j.at("itmu");
  s.failure = j.at("failure");
  s.expected_done = j.at("expected_done");
  s.ccim_ready_at = j.at("ccim_ready_at");
  s.version_before = static_cast<SmsLevel>(j.at("version_before").get<int>());
  s.db_before = opt_db_from(j.at("db_before"));
  s.services_down_until = j.value("services_down_until", VTime{0});  // twins saved before it was kept
  return s;
}

// Refuses a number that no integer field can take: nlohmann converts a
// float to an int with a cast, which is undefined past the int's range
// (found by fuzz_twin_state: 2.4e90 read as a time). Every number a saved
// twin holds is a whole number but for the durations and a step's params
// and estimate, which are read as doubles (and checked where they are read).
// Walked with a stack of iterators, not recursion: a deep nesting cannot
// overflow the stack, and the path is formatted only for a refusal.
void check_numbers(const json& root) {
  constexpr double kIntRange = 2147483648.0;  // 2^31: the narrowest integer a field has
  std::vector<std::pair<const json*, json::const_iterator>> stack;
  auto path = [&] {
    std::string out;
    for (const auto& [node, it] : stack) {
      auto at = std::prev(it);
      if (node->is_object()) {
        out += (out.empty() ? "" : ".") + at.key();
      } else {
        out += fmt::format("[{}]", std::distance(node->cbegin(), at));
      }
    }
    return out;
  };
  if (root.is_structured()) stack.emplace_back(&root, root.cbegin());
  while (!stack.empty()) {
    auto& [node, it] = stack.back();
    if (it == node->cend()) {
      stack.pop_back();
      continue;
    }
    const json& v = *it;
    bool free_form =
        node->is_object() && (it.key() == "params" || it.key() == "durations" || it.key() == "estimate_min");
    ++it;
    if (free_form) continue;
    if (v.is_structured()) {
      stack.emplace_back(&v, v.cbegin());
    } else if (v.is_number_float()) {
      double d = v.get<double>();
      if (!(d > -kIntRange && d < kIntRange)) {
        throw StateDamage{path(), fmt::format("{} is not a whole number in range", v.dump())};
      }
    }
  }
}

}  // namespace

json Twin::to_json() const {
  const World& w = *w_;
  json j;
  j["format"] = "smsup-twin/3";
  j["hierarchy"] = w.hierarchy;
  j["options"] = {{"seed", w.opt.seed},
                  {"faults", twin::to_string(w.opt.faults)},
                  {"durations", twin::to_json(w.opt.durations)},
                  {"epoch_s", w.opt.epoch_s},
                  {"naive_clients", w.opt.naive_clients},
                  {"horizon", w.opt.horizon}};
  j["now"] = w.now;
  j["events"] = w.events;
  j["lines"] = w.lines;
  json& sites = j["sites"] = json::array();
  for (const auto& s : w.sites) sites.push_back(site_json(s));
  json& hosts = j["hosts"] = json::array();
  for (const auto& h : w.hosts) {
    hosts.push_back({h.host, h.site, static_cast<int>(h.os.family), h.os.sp, h.roles, h.dcom_fixed,
                     h.firewall_exceptions, h.firewall, h.scw, h.service_account, h.sms_client_installed, h.kb906570,
                     h.fixes, h.problems, h.sp1_grouped});
  }
  json& consoles = j["consoles"] = json::array();
  for (const auto& c : w.consoles) {
    consoles.push_back({c.host, c.site, static_cast<int>(c.version), static_cast<int>(c.os.family), c.os.sp, c.firewall,
                        c.firewall_exceptions});
  }
  json& cohorts = j["cohorts"] = json::array();
  for (const auto& c : w.cohorts) {
    cohorts.push_back({c.site, static_cast<int>(c.kind), static_cast<int>(c.fate), static_cast<int>(c.version),
                       c.cycle_h, c.phase_h, c.http_port, c.from_site, c.cut_off, c.rejected, c.count, c.upgraded,
                       c.scheduled, c.push_blocked});
  }
  json& batches = j["batches"] = json::array();
  for (const auto& b : w.batches) batches.push_back({b.cohort, b.count, b.time, b.applied});
  json& steps = j["steps"] = json::array();
  for (const auto& r : w.steps) {
    steps.push_back({{"step", step_json(r.step)},
                     {"site", r.site},
                     {"attempt", r.attempt},
                     {"ok", r.ok},
                     {"hung", r.hung},
                     {"finished", r.finished},
                     {"message", r.message},
                     {"start", r.start},
                     {"end", r.end}});
  }
  json& pending = j["pending_lines"] = json::object();
  json& queue = j["queue"] = json::array();
  for (const auto& e : w.queue.raw()) {
    queue.push_back({e.time, e.seq, static_cast<int>(e.kind), e.site, e.a, e.gen});
    if (e.kind == EventKind::line) {
      const auto& l = w.pending[static_cast<size_t>(e.a)];
      pending[std::to_string(e.a)] = {l.site, l.path, l.component, l.message, l.thread};
    }
  }
  j["next_seq"] = w.queue.next_seq();
  j["pending_size"] = w.pending.size();
  j["client_cohort"] = w.client_cohort;
  j["client_done"] = w.client_done;
  j["naive_rejected"] = w.naive_rejected;
  j["naive_rejected_inventory"] = w.naive_rejected_inventory;
  return j;
}

Twin Twin::from_json(const json& j, const std::string& file) {
  if (!j.is_object() || !j.contains("format") || j["format"] != "smsup-twin/3") {
    throw InputError({file, 0, 0}, "format", "not a saved twin; expected format smsup-twin/3");
  }
  try {
    check_numbers(j);
    auto w = std::make_unique<World>();
    const json& o = j.at("options");
    w->opt.seed = o.at("seed");
    w->opt.faults = parse_faults(o.at("faults").get<std::string>());
    w->opt.durations = durations_from_json(o.at("durations"), file);
    w->opt.epoch_s = o.at("epoch_s");
    w->opt.naive_clients = o.at("naive_clients");
    w->opt.horizon = o.at("horizon");
    w->hierarchy = j.at("hierarchy");
    w->now = j.at("now");
    w->events = j.at("events");
    w->lines = j.at("lines");
    for (const auto& s : j.at("sites")) {
      try {
        w->sites.push_back(site_from(s));
      } catch (StateDamage& d) {
        d.field = fmt::format("sites[{}].{}", w->sites.size(), d.field);
        throw;
      }
    }
    for (const auto& h : j.at("hosts")) {
      TwinHost t;
      t.host = h.at(0);
      t.site = h.at(1);
      t.os = {static_cast<WinFamily>(h.at(2).get<int>()), h.at(3).get<int>()};
      t.roles = h.at(4);
      t.dcom_fixed = h.at(5);
      t.firewall_exceptions = h.at(6);
      t.firewall = h.at(7);
      t.scw = h.at(8);
      t.service_account = h.at(9);
      t.sms_client_installed = h.at(10);
      t.kb906570 = h.at(11);
      t.fixes = h.at(12).get<std::vector<std::string>>();
      t.problems = h.at(13);
      t.sp1_grouped = h.at(14);
      w->hosts.push_back(std::move(t));
    }
    for (const auto& c : j.at("consoles")) {
      TwinConsole tc{c.at(0), c.at(1), static_cast<SmsLevel>(c.at(2).get<int>())};
      tc.os = {static_cast<WinFamily>(c.at(3).get<int>()), c.at(4).get<int>()};
      tc.firewall = c.at(5);
      tc.firewall_exceptions = c.at(6);
      w->consoles.push_back(std::move(tc));
    }
    for (const auto& c : j.at("cohorts")) {
      Cohort k;
      k.site = c.at(0);
      k.kind = static_cast<ClientKind>(c.at(1).get<int>());
      k.fate = static_cast<ClientFate>(c.at(2).get<int>());
      k.version = static_cast<SmsLevel>(c.at(3).get<int>());
      k.cycle_h = c.at(4);
      k.phase_h = c.at(5);
      k.http_port = c.at(6);
      k.from_site = c.at(7);
      k.cut_off = c.at(8);
      k.rejected = c.at(9);
      k.count = c.at(10);
      k.upgraded = c.at(11);
      k.scheduled = c.at(12);
      k.push_blocked = c.at(13);
      w->cohorts.push_back(k);
    }
    for (const auto& b : j.at("batches")) w->batches.push_back({b.at(0), b.at(1), b.at(2), b.at(3)});
    for (const auto& r : j.at("steps")) {
      StepRun rec;
      rec.step = step_from(r.at("step"));
      rec.site = r.at("site");
      rec.attempt = r.at("attempt");
      rec.ok = r.at("ok");
      rec.hung = r.at("hung");
      rec.finished = r.at("finished");
      rec.message = r.at("message");
      rec.start = r.at("start");
      rec.end = r.at("end");
      w->last_attempt[rec.step.id] = static_cast<int>(w->steps.size());
      w->steps.push_back(std::move(rec));
    }
    // Every pending line is written, and counted in `lines`, or still due
    // (a line event in the queue): no more slots than that, so a damaged
    // size cannot take the memory.
    auto pending_size = j.at("pending_size").get<uint64_t>();
    if (pending_size > w->lines && pending_size - w->lines > j.at("queue").size()) {
      throw StateDamage{"pending_size", fmt::format("{} is more than the lines written and due ({})", pending_size,
                                                    w->lines + j.at("queue").size())};
    }
    w->pending.resize(pending_size);
    for (const auto& [k, l] : j.at("pending_lines").items()) {
      size_t at = 0;
      auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), at);
      if (ec != std::errc() || end != k.data() + k.size() || at >= w->pending.size()) {
        throw StateDamage{"pending_lines." + k,
                          pending_size == 0
                              ? fmt::format("'{}' is not a pending line; there are none", k)
                              : fmt::format("'{}' is not a pending line; expected 0 to {}", k, pending_size - 1)};
      }
      w->pending[at] = {l.at(0), l.at(1), l.at(2), l.at(3), l.at(4)};
    }
    std::vector<Event> events;
    for (const auto& e : j.at("queue")) {
      events.push_back({e.at(0), e.at(1), static_cast<EventKind>(e.at(2).get<int>()), e.at(3), e.at(4), e.at(5)});
    }
    w->queue.restore(std::move(events), j.at("next_seq"));
    w->client_cohort = j.at("client_cohort").get<std::vector<int32_t>>();
    w->client_done = j.at("client_done").get<std::vector<uint8_t>>();
    w->naive_rejected = j.at("naive_rejected").get<std::vector<int64_t>>();
    // Absent from twins saved before inventory reports were counted.
    w->naive_rejected_inventory = j.value("naive_rejected_inventory", std::vector<int64_t>{});
    check_state(*w);
    w->index_cohorts();
    return Twin(std::move(w));
  } catch (const json::exception& e) {
    throw InputError({file, 0, 0}, "", fmt::format("damaged twin state: {}", e.what()));
  } catch (const StateDamage& d) {
    throw InputError({file, 0, 0}, d.field, "damaged twin state: " + d.what);
  }
}

void Twin::save(const std::string& path) const {
  write_output_file(path, "twin state", to_json().dump(), WriteOptions{.sync = true});
}

Twin Twin::load(const std::string& path) {
  std::string text = read_input_file(path, "a saved twin (JSON)", limits::kRehearsal);
  try {
    return from_json(parse_json_input(text, path, "", "a saved twin (smsup-twin/3)"), path);
  } catch (const InputError& e) {
    if (e.field().empty() || e.loc().line != 0) throw;
    throw InputError(locate_json_field(text, path, e.field()), e.field(), e.message());
  }
}

}  // namespace smsup::twin
