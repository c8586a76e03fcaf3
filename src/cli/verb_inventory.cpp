// `smsup inventory collect` (docs/collect.md): the inventory read from
// the hierarchy's own SMS 2003 site databases instead of typed by a person.
// `smsup inventory schema`: every key an inventory may hold, from the
// reader's own table (inventory/schema.h; docs/inventory.md explains them).
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/inventory.h"
#include "collect/collect.h"
#include "collect/odbc_source.h"
#include "inventory/schema.h"
#include "model/hierarchy.h"
#include "util/error.h"

namespace smsup::cli {

int run_inventory_collect(const CollectOptions& o, Output& out) {
  require_one_of("--format", o.format, {"text", "json"});
  collect::Options c;
  c.central = o.central;
  for (const auto& d : o.site_dbs) {
    auto eq = d.find('=');
    if (eq != 3) {
      throw InputError({}, "--site-db",
                       fmt::format("'{}' is not CODE=CONN (a 3-character site code, '=', a "
                                   "connection)",
                                   d.substr(0, 3) + (d.size() > 3 ? "..." : "")));
    }
    c.site_dbs.push_back({d.substr(0, 3), d.substr(4)});
  }
  if (!o.as_of.empty()) require_date("--as-of", o.as_of);
  c.facts = o.facts;
  c.as_of = o.as_of;
  c.out = o.out;
  c.tool_version = SMSUP_VERSION;
  if (out.err_terminal) {
    c.progress = [&out](int64_t n) {
      out.err << fmt::format("\rsmsup inventory collect: {} client rows read", n) << std::flush;
    };
  }
  // This process uses SQLite through the ODBC driver only, one connection
  // per thread (collect.cpp): no lock per value read.
  collect::sqlite_one_connection_per_thread();
  collect::Summary s = collect::collect(c);
  if (out.err_terminal) out.err << "\n";
  if (o.format == "json") {
    nlohmann::ordered_json j{{"format", "smsup-collect/1"},
                             {"hierarchy", s.hierarchy},
                             {"inventory", s.inventory.string()},
                             {"clients_csv", s.clients_csv.string()},
                             {"sites", s.sites},
                             {"primary_sites", s.primaries},
                             {"secondary_sites", s.secondaries},
                             {"site_systems", s.systems},
                             {"clients", s.clients},
                             {"obsolete_client_rows", s.obsolete},
                             {"duplicate_client_rows", s.duplicates},
                             {"clients_left_out", s.left_out},
                             {"site_databases_read", s.site_databases},
                             {"unknown_facts", s.unknown_facts},
                             {"notes", s.notes},
                             {"seconds", s.seconds}};
    out.out << j.dump(2) << "\n";
  } else {
    out.out << fmt::format(
        "Collected {}: {} sites ({} primary, {} secondary), {} site systems, {} clients in {:.1f} s\n", s.hierarchy,
        s.sites, s.primaries, s.secondaries, s.systems, s.clients, s.seconds);
    out.out << fmt::format("Wrote {} and {}\n", s.inventory.string(), s.clients_csv.string());
    out.out << fmt::format("Database facts read for: {}\n",
                           s.site_databases.empty() ? std::string("none (give --site-db CODE=CONN per primary)")
                                                    : fmt::format("{}", fmt::join(s.site_databases, ", ")));
    if (s.obsolete > 0) out.out << fmt::format("Obsolete client records not read: {}\n", s.obsolete);
    auto list = [&out](const char* title, const std::vector<std::string>& v) {
      if (v.empty()) return;
      out.out << title << "\n";
      for (const auto& line : v) out.out << "  " << line << "\n";
    };
    list("Duplicate client rows (the first row of each name kept):", s.duplicates);
    list("Clients left out:", s.left_out);
    list("Notes:", s.notes);
    out.out << fmt::format(
        "Unknown facts (~): {}; smsup check reports the rules they leave unjudged as "
        "unknown-fact. Give them in FACTS.yaml (--facts).\n",
        s.unknown_facts);
  }
  return 0;
}

int run_inventory_schema(const SchemaOptions& o, Output& out) {
  require_one_of("--format", o.format, {"text", "json"});
  using inventory::schema::Object;
  if (o.format == "json") {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& k : inventory::schema::keys()) {
      nlohmann::ordered_json row{{"path", inventory::schema::path_of(k)},
                                 {"file", k.object == Object::client ? "clients CSV" : "inventory YAML"},
                                 {"object", inventory::schema::object_name(k.object)},
                                 {"key", k.name},
                                 {"type", k.type},
                                 {"unit", k.unit},
                                 {"required", k.required},
                                 {"default", k.def},
                                 {"allowed", k.allowed},
                                 {"unknown_allowed", k.unknown},
                                 {"meaning", k.meaning}};
      if (k.min != k.max) row["range"] = {k.min, k.max};
      rows.push_back(std::move(row));
    }
    out.out << nlohmann::ordered_json{{"format", "smsup-inventory/1"}, {"keys", rows}}.dump(1) << "\n";
    return 0;
  }
  out.out << "Every key of an smsup-inventory/1 inventory (docs/inventory.md explains each with an example).\n"
             "~ marks a fact unknown where the key allows it; check then reports the rules it leaves unjudged.\n";
  std::optional<Object> at;
  for (const auto& k : inventory::schema::keys()) {
    if (k.object != at) {
      at = k.object;
      out.out << "\n"
              << (k.object == Object::client
                      ? "Clients CSV (the file named by clients:), columns"
                      : fmt::format("Inventory YAML, {}", inventory::schema::object_name(k.object)))
              << ":\n";
    }
    std::string type(k.type);
    if (!k.unit.empty()) type += fmt::format(" ({})", k.unit);
    std::string need = k.required ? "required" : fmt::format("default {}", k.def);
    out.out << fmt::format("  {:<34} {}, {}{}\n", inventory::schema::path_of(k), type, need,
                           k.unknown ? ", ~ = unknown" : "");
    out.out << fmt::format("  {:<34}   values: {}\n", "", k.allowed);
    out.out << fmt::format("  {:<34}   {}\n", "", k.meaning);
  }
  return 0;
}

void register_inventory(CLI::App& app, Status& status) {
  auto* inv = app.add_subcommand("inventory",
                                 "Work on the inventory itself (collect it from the site databases; "
                                 "list the keys it may hold)");
  inv->require_subcommand(1);
  auto [sub, o] =
      add_verb(*inv, status, "collect",
               "Collect the inventory from the SMS 2003 site databases over ODBC, read-only: sites, site systems and "
               "roles, clients from the central site's database; database facts from each primary's own (--site-db); "
               "what no database holds from FACTS.yaml, else written as unknown (~). Writes DIR/inventory.yaml and "
               "DIR/clients.csv",
               run_inventory_collect);
  sub->add_option("--central", o->central,
                  "the central site's database: an ODBC connection string (DRIVER=FreeTDS;SERVER=...;"
                  "DATABASE=SMS_CEN;UID=...; the password in SMSUP_ODBC_PWD), sqlite:PATH or postgresql://...")
      ->required();
  sub->add_option("--site-db", o->site_dbs,
                  "CODE=CONN: a primary site's own database, for its database facts "
                  "(repeat for each primary)");
  sub->add_option("--facts", o->facts,
                  "FACTS.yaml: what no database holds, in the inventory's keys, by site code "
                  "and host; never overwritten");
  sub->add_option("--as-of", o->as_of, "the date the inventory stands for (YYYY-MM-DD), recorded in collected:");
  sub->add_option("-o,--out", o->out, "the folder to write inventory.yaml and clients.csv into")->required();
  sub->add_option("--format", o->format, "text or json (the summary on stdout)")->capture_default_str();

  auto [schema, so] = add_verb(
      *inv, status, "schema",
      "Every key an inventory may hold (the YAML's keys and the clients CSV's columns): path, type, unit, "
      "required or default, allowed values, whether ~ (unknown) is accepted, what it is for. The reader's own table",
      run_inventory_schema);
  schema->add_option("--format", so->format, "text (default, for people) or json (for programs)")
      ->capture_default_str();
}

}  // namespace smsup::cli
