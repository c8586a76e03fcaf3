// `smsup twin db`: an SMS 2003 SP1 site database for N clients, in SQLite or
// PostgreSQL, for dbtest, the twin and anyone rehearsing a database upgrade.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/verbs.h"
#include "dbtest/pg_conn.h"
#include "dbtest/site_db.h"
#include "util/error.h"

namespace smsup::cli {

void register_twin_db(CLI::App& twin, Status& status) {
  auto* sub = twin.add_subcommand(
      "db",
      "Generate an SMS 2003 SP1 site database with N clients' discovery, inventory and "
      "status messages (SQLite file or PostgreSQL database)");
  struct Opts {
    int64_t clients = 1000;
    std::string engine = "sqlite", out, db, site = "CEN", format = "text";
    uint64_t seed = 1;
    bool replication = false;
    int64_t site_data_mb = -1, site_log_mb = -1;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--clients", o->clients, "Number of clients")
      ->required()
      ->check(CLI::Range(int64_t{0}, int64_t{100000000}));
  sub->add_option("--engine", o->engine, "sqlite or postgresql")
      ->check(CLI::IsMember({"sqlite", "postgresql"}))
      ->capture_default_str();
  sub->add_option("-o,--output", o->out, "SQLite file to create (must not exist)");
  sub->add_option("--db", o->db,
                  "PostgreSQL database to fill: postgresql://HOST[:PORT]/DB (empty)");
  sub->add_option("--seed", o->seed, "Seed: the same seed gives the same rows")
      ->capture_default_str();
  sub->add_option("--site", o->site, "Site code")->capture_default_str();
  sub->add_flag("--replication", o->replication,
                "Mark replication enabled (SQLite: SiteSettings; PostgreSQL: a publication)");
  sub->add_option("--site-data-mb", o->site_data_mb,
                  "Make it a stand-in for a real site database of this many MB of data (SQLite): "
                  "dbtest then also reports the growth at that size")
      ->check(CLI::Range(int64_t{0}, int64_t{1000000000}));
  sub->add_option("--site-log-mb", o->site_log_mb, "The stand-in's real log size in MB (with --site-data-mb)")
      ->check(CLI::Range(int64_t{0}, int64_t{1000000000}));
  sub->add_option("--format", o->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub->callback([o, &status] {
    dbtest::GenerateOptions g{o->clients, o->seed, o->site, o->replication, o->site_data_mb, o->site_log_mb};
    if ((o->site_data_mb >= 0) != (o->site_log_mb >= 0)) {
      throw InputError({}, o->site_data_mb >= 0 ? "--site-log-mb" : "--site-data-mb",
                       "a stand-in needs both --site-data-mb and --site-log-mb");
    }
    if (o->site_data_mb >= 0 && o->engine != "sqlite") {
      throw InputError({}, "--site-data-mb", "stand-ins are SQLite files (--engine sqlite)");
    }
    auto t0 = std::chrono::steady_clock::now();
    dbtest::GenerateStats st;
    std::string where;
    dbtest::Sizes sz;
    if (o->engine == "sqlite") {
      if (o->out.empty() || !o->db.empty()) {
        throw InputError({}, "-o", "--engine sqlite writes a file: give -o PATH (not --db)");
      }
      st = dbtest::generate_sqlite(o->out, g);
      sz = dbtest::measure_sqlite(o->out);
      where = o->out;
    } else {
      if (o->db.empty() || !o->out.empty()) {
        throw InputError(
            {}, "--db",
            "--engine postgresql fills a database: give --db postgresql://... (not -o)");
      }
      st = dbtest::generate_postgresql(o->db, g);
      where = dbtest::redact_url(o->db);
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (o->format == "json") {
      nlohmann::ordered_json j{{"engine", o->engine}, {"clients", st.clients},
                       {"rows", st.rows},     {"seed", o->seed},
                       {"site", o->site},     {"replication", o->replication},
                       {"seconds", secs}};
      if (o->engine == "sqlite") j["path"] = where, j["data_bytes"] = sz.data_bytes;
      if (o->site_data_mb >= 0) j["stands_for"] = {{"data_mb", o->site_data_mb}, {"log_mb", o->site_log_mb}};
      std::puts(j.dump(2).c_str());
    } else {
      std::printf(
          "%s",
          fmt::format("smsup twin db: site {} with {} clients ({} rows) in {} [{}] in {:.1f} s\n",
                      o->site, st.clients, st.rows, where, o->engine, secs)
              .c_str());
      if (o->engine == "sqlite") std::printf("  data %.1f MB\n", sz.data_mb());
      if (o->replication) std::printf("  replication: enabled (dbtest will refuse it)\n");
      if (o->site_data_mb >= 0) {
        std::printf("%s", fmt::format("  stands for a site database of {} MB data and {} MB log\n", o->site_data_mb,
                                      o->site_log_mb)
                              .c_str());
      }
    }
    status.code = 0;
  });
}

}  // namespace smsup::cli
