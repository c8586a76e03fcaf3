// `smsup twin db`: an SMS 2003 SP1 site database for N clients, in SQLite or
// PostgreSQL, for dbtest, the twin and anyone rehearsing a database upgrade.
#include <fmt/format.h>

#include <fmt/ostream.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/twin.h"
#include "dbtest/pg_conn.h"
#include "dbtest/site_db.h"
#include "util/error.h"

namespace smsup::cli {

int run_twin_db(const TwinDbOptions& o, Output& out) {
  require_one_of("--engine", o.engine, {"sqlite", "postgresql"});
  require_one_of("--format", o.format, {"text", "json"});
  require_range("--clients", o.clients, 0, 100'000'000);
  if (o.site_data_mb != -1) require_range("--site-data-mb", o.site_data_mb, 0, 1'000'000'000);
  if (o.site_log_mb != -1) require_range("--site-log-mb", o.site_log_mb, 0, 1'000'000'000);
  if ((o.site_data_mb >= 0) != (o.site_log_mb >= 0)) {
    throw InputError({}, o.site_data_mb >= 0 ? "--site-log-mb" : "--site-data-mb",
                     "a stand-in needs both --site-data-mb and --site-log-mb");
  }
  if (o.site_data_mb >= 0 && o.engine != "sqlite") {
    throw InputError({}, "--site-data-mb", "stand-ins are SQLite files (--engine sqlite)");
  }
  if (o.engine == "sqlite" && (o.out.empty() || !o.db.empty())) {
    throw InputError({}, "-o", "--engine sqlite writes a file: give -o PATH (not --db)");
  }
  if (o.engine == "postgresql" && (o.db.empty() || !o.out.empty())) {
    throw InputError({}, "--db", "--engine postgresql fills a database: give --db postgresql://... (not -o)");
  }
  dbtest::GenerateOptions g{o.clients, o.seed, o.site, o.replication, o.site_data_mb, o.site_log_mb};
  auto t0 = std::chrono::steady_clock::now();
  dbtest::GenerateStats st;
  std::string where;
  dbtest::Sizes sz;
  if (o.engine == "sqlite") {
    st = dbtest::generate_sqlite(o.out, g);
    sz = dbtest::measure_sqlite(o.out);
    where = o.out;
  } else {
    st = dbtest::generate_postgresql(o.db, g);
    where = dbtest::redact_url(o.db);
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (o.format == "json") {
    nlohmann::ordered_json j{{"engine", o.engine}, {"clients", st.clients},        {"rows", st.rows}, {"seed", o.seed},
                             {"site", o.site},     {"replication", o.replication}, {"seconds", secs}};
    if (o.engine == "sqlite") j["path"] = where, j["data_bytes"] = sz.data_bytes;
    if (o.site_data_mb >= 0) j["stands_for"] = {{"data_mb", o.site_data_mb}, {"log_mb", o.site_log_mb}};
    out.out << j.dump(2) << "\n";
    return 0;
  }
  fmt::print(out.out, "smsup twin db: site {} with {} clients ({} rows) in {} [{}] in {:.1f} s\n", o.site, st.clients,
             st.rows, where, o.engine, secs);
  if (o.engine == "sqlite") fmt::print(out.out, "  data {:.1f} MB\n", sz.data_mb());
  if (o.replication) out.out << "  replication: enabled (dbtest will refuse it)\n";
  if (o.site_data_mb >= 0) {
    fmt::print(out.out, "  stands for a site database of {} MB data and {} MB log\n", o.site_data_mb, o.site_log_mb);
  }
  return 0;
}

void register_twin_db(CLI::App& twin, Status& status) {
  auto [sub, o] = add_verb(twin, status, "db",
                           "Generate an SMS 2003 SP1 site database with N clients' discovery, inventory and "
                           "status messages (SQLite file or PostgreSQL database)",
                           run_twin_db);
  sub->add_option("--clients", o->clients, "Number of clients (0 to 100000000)")->required();
  sub->add_option("--engine", o->engine, "sqlite or postgresql")->capture_default_str();
  sub->add_option("-o,--output", o->out, "SQLite file to create (must not exist)");
  sub->add_option("--db", o->db, "PostgreSQL database to fill: postgresql://HOST[:PORT]/DB (empty)");
  sub->add_option("--seed", o->seed, "Seed: the same seed gives the same rows")
      ->capture_default_str()
      ->check(whole_number_u64());
  sub->add_option("--site", o->site, "Site code")->capture_default_str();
  sub->add_flag("--replication", o->replication,
                "Mark replication enabled (SQLite: SiteSettings; PostgreSQL: a publication)");
  sub->add_option("--site-data-mb", o->site_data_mb,
                  "Make it a stand-in for a real site database of this many MB of data (SQLite): "
                  "dbtest then also reports the growth at that size");
  sub->add_option("--site-log-mb", o->site_log_mb, "The stand-in's real log size in MB (with --site-data-mb)");
  sub->add_option("--format", o->format, "text or json")->capture_default_str();
}

}  // namespace smsup::cli
