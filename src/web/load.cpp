#include "web/load.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "inventory/inventory.h"
#include "plan/plan_inventory.h"
#include "twin/campaign_report.h"
#include "twin/rehearsal.h"
#include "util/error.h"
#include "util/input_file.h"
#include "util/json_input.h"

namespace smsup::web {

namespace fs = std::filesystem;

namespace {

// A rehearsal, read as every input is (a FIFO or a device refused, the size
// bounded), and checked as one before anything reads its fields: a refusal
// names the field and where it stands in the file.
nlohmann::json read_rehearsal(const std::string& path, const char* option) {
  std::string text = read_input_file(path, "a rehearsal (JSON)", limits::kRehearsal);
  nlohmann::json r = parse_json_input(text, path, option, "what smsup rehearse --format json writes");
  auto format = r.is_object() ? r.find("format") : r.end();
  if (!r.is_object() || format == r.end() || !format->is_string() || *format != "smsup-rehearsal/1") {
    throw InputError({path, 1, 0}, option,
                     "not a rehearsal (expected \"format\": \"smsup-rehearsal/1\", as "
                     "smsup rehearse PLAN --format json writes)");
  }
  try {
    twin::check_rehearsal_json(r);
  } catch (const InputError& e) {
    throw InputError(locate_json_field(text, path, e.field()), e.field(),
                     e.message() + ", as smsup rehearse PLAN --format json writes");
  }
  return r;
}

}  // namespace

void load(const Sources& s, Loaded& d) {
  auto say = [&](const char* what) {
    if (s.progress) *s.progress << "  " << what << "\n" << std::flush;
  };
  auto& in = d.inputs;
  in.now = run::now_seconds();
  std::string plan_path = s.plan;
  std::optional<run::Journal> journal;
  if (!s.journal.empty()) {
    // An SQLite journal is a file; a PostgreSQL one (postgresql://...) is a
    // campaign the Journal itself finds or refuses.
    bool file = run::store::parse_spec(s.journal).engine == run::store::Engine::sqlite;
    if (file && !fs::is_regular_file(s.journal))
      throw InputError({s.journal, 0, 0}, "--journal", "no such journal file");
    journal.emplace(s.journal, false);
    if (plan_path.empty()) {
      std::string bound = journal->meta("plan_path");
      if (!bound.empty() && fs::is_regular_file(bound)) plan_path = bound;
    }
  }
  if (!plan_path.empty()) {
    say("reading the plan");
    d.plan = plan::load(plan_path);
    in.plan = &*d.plan;
    in.sources.push_back(plan_path);
    in.title = "SMS 2003 SP2 upgrade of " + d.plan->hierarchy;
  }
  std::string inventory = s.inventory;
  if (inventory.empty() && d.plan) {
    // Kept relative to the plan's folder (plan/plan_inventory.h).
    std::string named = plan::inventory_path(*d.plan, plan_path);
    if (!named.empty() && fs::is_regular_file(named)) inventory = named;
  }
  if (!inventory.empty()) {
    say("reading the inventory and checking its readiness");
    d.hierarchy = inventory::load(inventory);
    in.hierarchy = &*d.hierarchy;
    in.sources.push_back(inventory);
    rules::Options ro;
    ro.as_of = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    if (!s.as_of.empty()) {
      auto date = parse_date(s.as_of);
      if (!date) throw InputError({}, "--as-of", "'" + s.as_of + "' is not a date; expected YYYY-MM-DD");
      ro.as_of = *date;
    } else if (d.plan && !d.plan->options.as_of.empty()) {
      if (auto date = parse_date(d.plan->options.as_of)) ro.as_of = *date;
    }
    ro.with_os_sp1 = d.plan && d.plan->options.with_os_sp1;
    in.as_of = to_string(ro.as_of);
    d.readiness = rules::evaluate(*d.hierarchy, ro);
    in.readiness = &*d.readiness;
    in.title = "SMS 2003 SP2 upgrade of " + d.hierarchy->name;
  }
  if (!s.rehearsal.empty()) {
    say("reading the rehearsal");
    d.rehearsal = read_rehearsal(s.rehearsal, "--rehearsal");
    d.rehearsal_min = run::rehearsal_durations(*d.rehearsal);
    in.rehearsal = &*d.rehearsal;
    in.sources.push_back(s.rehearsal);
  } else if (d.hierarchy && !d.hierarchy->clients.empty()) {
    say("forecasting the client campaign");
    d.client_days = twin::plan_campaign(*d.hierarchy, 1, s.days, {}, false).days;
    in.client_days = &*d.client_days;
  }
  if (journal) {
    say("reading the journal");
    d.journal = journal->steps();
    in.journal = &*d.journal;
    in.journal_path = s.journal;
    in.sources.push_back(journal->shown());  // without a password
    if (d.plan) {
      d.eta = run::estimate(*d.plan, *d.journal, in.now, d.rehearsal_min);
      in.eta = &*d.eta;
    }
  }
  d.logs = s.logs;
  std::error_code ec;
  if (d.logs.empty() && !s.journal.empty() && d.hierarchy && fs::is_directory(s.journal + ".twin", ec)) {
    d.logs = s.journal + ".twin";
  }
  if (!d.logs.empty()) {
    if (!fs::is_directory(d.logs, ec)) throw InputError({d.logs, 0, 0}, "--logs", "not a folder");
    if (!d.hierarchy) {
      throw InputError({d.logs, 0, 0}, "--logs",
                       "needs the inventory (--inventory, or a plan naming a readable one) to know each site's server");
    }
    say("reading the sites' logs");
    d.evidence = collect_evidence(*d.hierarchy, d.logs);
    in.evidence = &*d.evidence;
  }
  if (!in.hierarchy && !in.plan && !in.rehearsal && !in.journal) {
    throw InputError({}, "--inventory",
                     "nothing to show: give at least one of --inventory, --plan, --rehearsal, --journal");
  }
}

}  // namespace smsup::web
