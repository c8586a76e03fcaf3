#include "pg_cluster.h"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "support.h"

namespace fs = std::filesystem;

namespace smsup::test {

// ---- PostgreSQL --------------------------------------------------------

namespace {
std::string g_why_not;
std::unique_ptr<PgCluster> g_cluster;
bool g_tried = false;

int free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

std::string find_pg_bin() {
  for (const char* v : {"17", "16", "15", "14", "13"}) {
    std::string b = std::string("/usr/lib/postgresql/") + v + "/bin";
    if (fs::exists(b + "/initdb") && fs::exists(b + "/pg_ctl")) return b;
  }
  return {};
}
}  // namespace

PgCluster* PgCluster::get() {
  if (!g_tried) {
    g_tried = true;
    std::unique_ptr<PgCluster> c(new PgCluster());
    if (c->start()) g_cluster = std::move(c);
  }
  return g_cluster.get();
}

const std::string& PgCluster::why_not() { return g_why_not; }

bool PgCluster::start() {
  bin_ = find_pg_bin();
  if (bin_.empty()) {
    g_why_not =
        "no initdb/pg_ctl under /usr/lib/postgresql/*/bin (install package postgresql: "
        "scripts/deps.sh)";
    return false;
  }
  std::string tmpl = "/tmp/smsup-pg-XXXXXX";
  if (!mkdtemp(tmpl.data())) return g_why_not = "mkdtemp failed", false;
  dir_ = tmpl;
  std::vector<std::string> as;  // initdb refuses to run as root
  if (geteuid() == 0) {
    passwd* pw = getpwnam("postgres");
    if (!pw) return g_why_not = "running as root and there is no 'postgres' user for initdb", false;
    if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) return g_why_not = "chown failed", false;
    as = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  }
  port_ = free_port();
  auto cmd = [&](std::vector<std::string> a) {
    a.insert(a.begin(), as.begin(), as.end());
    return smsup::test::run(a);
  };
  auto r = cmd({bin_ + "/initdb", "-D", dir_ + "/data", "-A", "trust", "-U", "postgres", "--no-sync"});
  if (r.status != 0) return g_why_not = "initdb failed: " + r.err, false;
  r = cmd({bin_ + "/pg_ctl", "-D", dir_ + "/data", "-l", dir_ + "/log", "-w", "-t", "60", "-o",
           "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " + dir_ +
               " -c fsync=off -c full_page_writes=off",
           "start"});
  if (r.status != 0) return g_why_not = "pg_ctl start failed: " + r.err, false;
  user_ = "postgres";
  return true;
}

PgCluster::~PgCluster() {
  std::vector<std::string> a{bin_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w", "stop"};
  if (geteuid() == 0) a.insert(a.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
  smsup::test::run(a);
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string PgCluster::url(const std::string& db) const {
  return "postgresql://" + user_ + "@127.0.0.1:" + std::to_string(port_) + "/" + db;
}

std::string PgCluster::psql(const std::string& db, const std::string& sql) {
  PGconn* c = PQconnectdb(url(db).c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string e = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("psql " + db + ": " + e);
  }
  PGresult* r = PQexec(c, sql.c_str());
  auto st = PQresultStatus(r);
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    std::string e = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    throw std::runtime_error("psql " + db + ": " + e + " in " + sql);
  }
  std::string out;
  for (int i = 0; i < PQntuples(r); ++i) {
    for (int j = 0; j < PQnfields(r); ++j) out += (j ? "|" : "") + std::string(PQgetvalue(r, i, j));
    out += "\n";
  }
  PQclear(r);
  PQfinish(c);
  return out;
}

void PgCluster::create_db(const std::string& name) {
  psql("postgres", "DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
  psql("postgres", "CREATE DATABASE \"" + name + "\"");
}

std::string PgCluster::checksum(const std::string& db) {
  std::string sum = psql(db, "SELECT string_agg(pubname, ',') FROM pg_publication");
  sum += psql(db,
              "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = "
              "current_database()");
  std::istringstream tables(psql(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"));
  for (std::string t; std::getline(tables, t);) {
    sum += t + ":" +
           psql(db, "SELECT md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM \"" + t + "\" x");
  }
  sum += psql(db,
              "SELECT string_agg(indexname || indexdef, ',' ORDER BY indexname) FROM pg_indexes "
              "WHERE schemaname = 'public'");
  return sum;
}

}  // namespace smsup::test
