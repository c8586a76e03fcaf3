#include "collect/collect.h"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <ctime>
#include <exception>
#include <cctype>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>

#include "collect/facts.h"
#include "collect/mapping.h"
#include "collect/odbc_source.h"
#include "collect/pipeline.h"
#include "collect/queries.h"
#include "inventory/inventory.h"
#include "util/error.h"
#include "model/versions.h"
#include "util/output_file.h"
#include "util/text.h"

namespace smsup::collect {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// A free-text name (a site's name as typed in the SMS console) as one line:
// a tab or a line break typed into it becomes a space, since the inventory
// holds one line of text per value and refuses control characters.
std::string one_line_text(std::string s) {
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return s;
}

// "SERVER/DATABASE" for messages.
std::string where(const Source& s) {
  return s.database().empty() ? s.server() : fmt::format("{} (database {})", s.server(), s.database());
}

// Runs a statement, turning the engine's refusal into bad input that names
// the server, the database and what was being read.
void run(Source& src, std::string_view sql, std::string_view what, const std::string& option, const RowFn& each) {
  try {
    src.select(sql, each);
  } catch (const QueryError& e) {
    throw InputError({}, option, fmt::format("{}: reading {} failed: {}", where(src), what, e.what()));
  }
}

// A whole number a column returned (ODBC gives every column as text).
// SQL Server sends what its int columns hold; another engine (an SQLite file
// made by hand, a view of text columns) may hold anything, which is named
// with what was read instead of ending in std::stoll's bare "stoll".
int64_t whole(const Source& src, std::string_view text, std::string_view what, std::string_view column,
              const std::string& option, int64_t lo, int64_t hi) {
  const std::string t = trimmed(text);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || v < lo || v > hi) {
    throw InputError({}, option,
                     fmt::format("{}: reading {} failed: {} is '{}'; expected a whole number from {} to {}", where(src),
                                 what, column, text, lo, hi));
  }
  return v;
}

// The views and columns the collector reads, before reading anything: a
// missing one is named with the SMS version that has it.
void check_views(Source& src, const std::string& option) {
  int missing_views = 0;
  std::string first_missing;
  for (const auto& need : central_views()) {
    auto cols = src.columns(need.view);
    if (cols.empty()) {
      ++missing_views;
      if (first_missing.empty()) first_missing = std::string(need.view);
      continue;
    }
    std::set<std::string> have;
    for (const auto& c : cols) have.insert(lower(c));
    for (auto col : need.columns) {
      if (!have.contains(lower(col))) {
        throw InputError({}, option,
                         fmt::format("{}: view {} has no column {}; the collector reads it, and {} has it "
                                     "(a database of another SMS version, or a view changed by hand?)",
                                     where(src), need.view, col, need.since));
      }
    }
  }
  if (missing_views == static_cast<int>(central_views().size())) {
    throw InputError({}, option,
                     fmt::format("{}: not an SMS 2003 site database (none of the views v_Site, "
                                 "v_SystemResourceList, v_R_System, ... is there); refused",
                                 where(src)));
  }
  if (missing_views > 0) {
    std::string since;
    for (const auto& need : central_views()) {
      if (need.view == first_missing) since = std::string(need.since);
    }
    throw InputError({}, option,
                     fmt::format("{}: no view {}; an SMS 2003 central site database has it ({}). Is this the "
                                 "central site's SMS_<code> database?",
                                 where(src), first_missing, since));
  }
}

struct SystemRow {
  std::string host;
  uint32_t roles = 0;
};

struct SiteRow {
  std::string code, name, parent, version, server, install_dir;
  int type = 2;
  std::vector<SystemRow> systems;
  std::string db_server;
  YAML::Node database;  // filled from its own database, if read
  std::string last_backup;
  bool db_read = false;
};

struct OsRow {
  std::string caption, csd, os_name;
};

// CSV field: quoted when it holds a comma, a quote or a line break. Values
// come from the database and are treated as hostile text.
void csv_field(std::string& out, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Values still unknown (~) in the sites, after the overlay.
int count_unknown(const YAML::Node& n) {
  int c = 0;
  if (n.IsMap()) {
    for (const auto& kv : n) {
      auto key = kv.first.as<std::string>();
      if (key == "parent" || key == "last_backup") continue;  // ~ means none there
      c += kv.second.IsNull() ? 1 : count_unknown(kv.second);
    }
  } else if (n.IsSequence()) {
    for (const auto& e : n) c += count_unknown(e);
  }
  return c;
}

std::string utc_now() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Sites, parents before children: the order people read a hierarchy in.
std::vector<size_t> top_down(const std::vector<SiteRow>& sites) {
  std::vector<size_t> out;
  std::vector<bool> done(sites.size(), false);
  std::vector<std::string> level{""};
  while (!level.empty()) {
    std::vector<std::string> next;
    for (const auto& parent : level) {
      for (size_t i = 0; i < sites.size(); ++i) {
        if (!done[i] && sites[i].parent == parent) {
          done[i] = true;
          out.push_back(i);
          next.push_back(sites[i].code);
        }
      }
    }
    level = std::move(next);
  }
  for (size_t i = 0; i < sites.size(); ++i) {
    if (!done[i]) out.push_back(i);  // a cycle: the loader names it
  }
  return out;
}

void write_file(const fs::path& p, std::string_view bytes) { write_output_file(p, "-o", bytes); }

// What the clients' side gets: its own copies, as it runs beside the thread
// that reads the sites.
struct ClientsInput {
  std::string conn;  // --central
  std::function<std::unique_ptr<Source>(const std::string&, const std::string&)> open;
  std::unordered_map<std::string, int> site_types;  // site code: 1 secondary, 2 primary
  std::string client_tail;                          // the CSV's columns no database holds
  fs::path csv_path;
  std::function<void(int64_t)> progress;
};

struct ClientsRead {
  int64_t clients = 0, dup_count = 0, left_count = 0;
  std::vector<std::string> duplicates, left_out;
  std::unique_ptr<OutputFileWriter> csv;  // written to its temporary file, not yet put in place
};

// The clients, streamed into the CSV as they are read (1 MB at a time).
void read_clients(const ClientsInput& in, Source& src, ClientsRead& out) {
  const std::string kCentral = "--central";
  const Queries& q = queries(src.dialect());
  out.csv = std::make_unique<OutputFileWriter>(in.csv_path, "-o");
  std::string csv =
      "name,site,kind,os,os_sp,arch,ie,client_version,autoupgrade_disabled,reassign_to,http_port,firewall\n";
  csv.reserve(1 << 20);
  std::string last_name;
  int64_t rows = 0;
  constexpr size_t kListed = 200;  // names listed in the report; the count is exact
  int64_t& dup_count = out.dup_count;
  int64_t& left_count = out.left_count;
  auto leave_out = [&](std::string why) {
    ++left_count;
    if (out.left_out.size() < kListed) out.left_out.push_back(std::move(why));
  };
  // What a client's values mean is a function of the values alone, and a
  // million clients have a few hundred distinct combinations of type,
  // version, OS, service pack, architecture and IE: each is mapped (and
  // checked with the loader's own rules) once. Bounded, for a database where
  // every row differs.
  struct Mapped {
    enum Problem : uint8_t { none, version, type, os } problem = none;
    bool advanced = false;
    std::string detail;  // the value refused, for the message
    std::string fields;  // ",kind,os,os_sp,arch,ie,client_version,...\n"
  };
  auto map_client = [&](const Row& r) {
    Mapped m;
    std::string version_text = r.null(4) ? "" : trimmed(r[4]);
    auto version = sms_version_of(version_text);
    // What the CSV says must load: the loader reads a build it keeps as
    // text by its own rule (the nearest level at or below).
    if (!version || !parse_sms_version(*version)) {
      m.problem = Mapped::version;
      m.detail = version_text;
      return m;
    }
    std::string type = r.null(3) ? "" : trimmed(r[3]);
    std::string_view kind;
    if (type == "1")
      kind = "advanced";
    else if (type == "0")
      kind = "legacy";
    else if (type.empty() && *version == "sms20")
      kind = "legacy";  // SMS 2.0 clients: NULL type
    else {
      m.problem = Mapped::type;
      m.detail = type;
      return m;
    }
    m.advanced = kind == "advanced";
    auto os = os_of(r.null(6) ? "" : r[6], r.null(5) ? "" : r[5]);
    if (!os) {
      m.problem = Mapped::os;
      m.detail = r.null(5) ? "" : r.str(5);
      return m;
    }
    m.fields += ',';
    m.fields += kind;
    m.fields += ',';
    m.fields += to_string(*os);
    m.fields += ',';
    m.fields += std::to_string(os_sp_of(r.null(7) ? "" : r[7]));
    m.fields += ',';
    m.fields += arch_of(r.null(8) ? "" : r[8]) == Arch::x64 ? "x64" : "x86";
    m.fields += ',';
    m.fields += ie_of(r.null(9) ? "" : r[9]);
    m.fields += ',';
    csv_field(m.fields, *version);
    // Client-side settings no database holds (collect.md): unknown.
    m.fields += in.client_tail;
    return m;
  };
  std::unordered_map<std::string, Mapped> mapped;
  constexpr size_t kMappedMax = 1 << 16;
  std::string key;
  Mapped uncached;
  std::string last_site_raw, site_code;
  int site_type = 0;
  bool site_known = false, site_cached = false;
  run(src, q.clients, "the clients (v_R_System and its inventory views)", kCentral, [&](const Row& r) {
    if (++rows % 65536 == 0 && in.progress) in.progress(rows);
    std::string_view name = r.null(1) ? std::string_view{} : r[1];
    if (name.empty()) {
      leave_out(fmt::format("ResourceID {}: no Netbios_Name0", r[0]));
      return;
    }
    // NetBIOS names are case-insensitive, and so is SQL Server's usual
    // collation: PC1 and pc1 sort together and are one machine.
    if (util::iequal(name, last_name)) {
      ++dup_count;
      if (out.duplicates.size() < kListed) {
        out.duplicates.push_back(fmt::format("{}: another row (ResourceID {}, assigned site {}) left out", name, r[0],
                                             r.null(2) ? "none" : r[2]));
      }
      return;
    }
    last_name.assign(name);
    if (!inventory::windows_host_name(name)) {
      leave_out(fmt::format("{}: not a name a Windows computer can have (NetBIOS or DNS rules)", name));
      return;
    }
    std::string_view site_raw = r.null(2) ? std::string_view{} : r[2];
    if (!site_cached || site_raw != last_site_raw) {
      site_cached = true;
      last_site_raw.assign(site_raw);
      site_code = upper(trimmed(site_raw));
      auto it = in.site_types.find(site_code);
      site_known = it != in.site_types.end();
      if (site_known) site_type = it->second;
    }
    if (!site_known) {
      leave_out(fmt::format("{}: assigned site '{}' is not in v_Site", name, site_code));
      return;
    }
    key.clear();
    for (size_t i = 3; i <= 9; ++i) {
      std::string_view v = r.null(i) ? std::string_view{} : r[i];
      uint32_t n = static_cast<uint32_t>(v.size());
      key.append(reinterpret_cast<const char*>(&n), sizeof n);
      key += v;
    }
    const Mapped* m;
    if (auto it = mapped.find(key); it != mapped.end()) {
      m = &it->second;
    } else if (mapped.size() < kMappedMax) {
      m = &mapped.emplace(key, map_client(r)).first->second;
    } else {
      uncached = map_client(r);
      m = &uncached;
    }
    if (m->problem == Mapped::version) {
      leave_out(fmt::format("{}: client version '{}' is not an SMS 2.0 or 2003 version", name, m->detail));
      return;
    }
    if (m->problem == Mapped::type) {
      leave_out(fmt::format("{}: Client_Type0 '{}' is neither 0 (Legacy) nor 1 (Advanced)", name, m->detail));
      return;
    }
    if (m->advanced && site_type != 2) {
      leave_out(fmt::format("{}: an Advanced Client assigned to secondary site {}", name, site_code));
      return;
    }
    if (m->problem == Mapped::os) {
      leave_out(fmt::format("{}: operating system unknown (no hardware inventory, '{}')", name, m->detail));
      return;
    }
    csv_field(csv, name);
    csv += ',';
    csv += site_code;
    csv += m->fields;
    ++out.clients;
    if (csv.size() >= (1 << 20) - 4096) {
      out.csv->write(csv);
      csv.clear();
    }
  });
  out.csv->write(csv);
  csv = {};
  if (in.progress) in.progress(rows);
  if (dup_count > static_cast<int64_t>(out.duplicates.size())) {
    out.duplicates.push_back(fmt::format("... and {} more", dup_count - static_cast<int64_t>(out.duplicates.size())));
  }
  if (left_count > static_cast<int64_t>(out.left_out.size())) {
    out.left_out.push_back(fmt::format("... and {} more", left_count - static_cast<int64_t>(out.left_out.size())));
  }
}

// The clients are read beside the rest (docs/collect.md, "Two connections"):
// in a thread of their own, on a connection of their own to the central
// database, and within that the rows are fetched in one more thread
// (PipelinedSource) while they are mapped and written. Each connection is
// used by one thread at a time, never by two at once. What the ODBC stack
// promises for that, as checked in its sources:
// - unixODBC 2.3 (DriverManager/__handles.c, SQLConnect.c): a connection's
//   calls are serialized by the driver manager at the level odbcinst.ini's
//   `Threading` gives (0 none, 1 statement, 2 connection, 3 the whole
//   process); without the key (Debian's entries have none) it is 0 once
//   connected, so two connections run at the same time and the driver
//   must be safe with one connection per thread. The handle lists are
//   always under the manager's own lock.
// - SQLite (libsqliteodbc 0.9998, sqlite3odbc.c): on Unix the driver takes no
//   lock of its own ("assume that we are single-threaded or the driver
//   manager provides serialization"); every connection has its own sqlite3
//   handle and the driver no other mutable global state, and Debian's
//   SQLite is built THREADSAFE=1 (`PRAGMA compile_options`): one connection
//   per thread is safe. Its SQLCancel frees the statement under the
//   fetching thread's feet, which is why a stop here waits for the current
//   row block instead of cancelling.
// - PostgreSQL (psqlodbc 13, connection.h, environ.h): built with pthreads
//   (POSIX_MULTITHREAD_SUPPORT; Debian's psqlodbcw.so links
//   pthread_mutex_lock): a lock per connection and per statement.
// - FreeTDS (tdsodbc 1.3, src/odbc/odbc.c; user guide "Threading in
//   unixODBC"): thread-safe builds (`tsql -C`: "Thread safety: yes"), a lock
//   per handle; the guide recommends Threading = 1 so that the driver
//   manager does not serialize every call.
class ClientsJob {
 public:
  explicit ClientsJob(ClientsInput in) : in_(std::move(in)) {
    thread_ = std::thread([this] { body(); });
  }
  ~ClientsJob() {
    stop();
    if (thread_.joinable()) thread_.join();
  }
  ClientsJob(const ClientsJob&) = delete;
  ClientsJob& operator=(const ClientsJob&) = delete;

  // The clients are not wanted any more (an error that comes before them
  // in the sequential order is reported): the thread ends at its next block
  // of rows, or after the driver call it is in.
  void stop() {
    std::lock_guard lock(m_);
    stopped_ = true;
    if (pipe_) pipe_->stop();
  }
  // Waits for the clients to be read; throws their error, if any.
  ClientsRead& wait() {
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(error_);
    return out_;
  }

 private:
  void body() {
    try {
      {
        std::lock_guard lock(m_);
        if (stopped_) throw Stopped{};
      }
      auto src = in_.open(in_.conn, "--central");
      PipelinedSource pipe(*src);
      {
        std::lock_guard lock(m_);
        if (stopped_) throw Stopped{};
        pipe_ = &pipe;
      }
      struct Forget {
        ClientsJob& job;
        ~Forget() {
          std::lock_guard lock(job.m_);
          job.pipe_ = nullptr;
        }
      } forget{*this};
      read_clients(in_, pipe, out_);
    } catch (...) {
      error_ = std::current_exception();
    }
  }

  ClientsInput in_;
  ClientsRead out_;
  std::exception_ptr error_;
  std::mutex m_;
  bool stopped_ = false;
  PipelinedSource* pipe_ = nullptr;
  std::thread thread_;
};

}  // namespace

Summary collect(const Options& opts) {
  auto t0 = std::chrono::steady_clock::now();
  auto open = opts.open ? opts.open : [](const std::string& conn, const std::string& option) {
    return open_odbc(parse_connection(conn, option), option);
  };
  Summary sum;
  const std::string kCentral = "--central";
  // Bad options first, before any connection.
  std::set<std::string> db_codes;
  for (const auto& d : opts.site_dbs) {
    if (!db_codes.insert(d.code).second) {
      throw InputError({}, "--site-db", fmt::format("site {} is given twice", d.code));
    }
  }
  if (!opts.facts.empty() && !fs::exists(opts.facts)) throw InputError({opts.facts, 0, 0}, "--facts", "no such file");
  YAML::Node facts = opts.facts.empty() ? YAML::Node() : load_facts(opts.facts);
  // Client-side settings: unknown (~) unless FACTS.yaml gives them.
  std::string client_tail;
  {
    std::string autoupgrade = "~", port = "~", firewall = "~";
    client_defaults(facts, opts.facts, autoupgrade, port, firewall);
    client_tail = "," + autoupgrade + ",," + port + "," + firewall + "\n";
  }
  std::error_code ec;
  fs::create_directories(opts.out, ec);
  if (ec) throw InputError({opts.out.string(), 0, 0}, "-o", "cannot create the folder: " + ec.message());

  auto central = open(opts.central, kCentral);
  const Queries& q = queries(central->dialect());
  check_views(*central, kCentral);

  // Sites.
  std::vector<SiteRow> sites;
  std::unordered_map<std::string, size_t> by_code;
  run(*central, q.sites, "v_Site", kCentral, [&](const Row& r) {
    SiteRow s;
    s.code = upper(trimmed(r[0]));
    s.name = r.null(1) ? "" : one_line_text(trimmed(r[1]));
    s.parent = r.null(2) ? "" : upper(trimmed(r[2]));
    if (s.parent == s.code) s.parent.clear();
    std::string type = trimmed(r[3]);
    if (type == "1")
      s.type = 1;
    else if (type == "2")
      s.type = 2;
    else {
      throw InputError({}, kCentral,
                       fmt::format("{}: v_Site: site {} has Type {}; SMS 2003 knows 1 (secondary) and 2 "
                                   "(primary) only: a database of a later product (ConfigMgr) is refused",
                                   where(*central), s.code, type));
    }
    std::string version = r.null(4) ? "" : trimmed(r[4]);
    if (version.empty() && !r.null(5)) version = "2.50." + trimmed(r[5]);
    auto v = sms_version_of(version);
    if (!v) {
      throw InputError({}, kCentral,
                       fmt::format("{}: v_Site: site {} has version '{}', not an SMS 2.0 or SMS 2003 version "
                                   "(2.00.x or 2.50.x): a database of another product or version is refused",
                                   where(*central), s.code, version));
    }
    s.version = *v;
    s.server = trimmed(r[6]);
    s.install_dir = r.null(7) ? "" : trimmed(r[7]);
    if (by_code.contains(s.code)) {
      throw InputError({}, kCentral, fmt::format("{}: v_Site: site {} appears twice", where(*central), s.code));
    }
    by_code[s.code] = sites.size();
    sites.push_back(std::move(s));
  });
  if (sites.empty()) {
    throw InputError(
        {}, kCentral,
        fmt::format("{}: v_Site is empty; an SMS site database lists at least its own site", where(*central)));
  }
  for (const auto& s : sites) {
    if (!s.parent.empty() && !by_code.contains(s.parent)) {
      throw InputError({}, kCentral,
                       fmt::format("{}: v_Site: site {} reports to {} (ReportingSiteCode), which is not in "
                                   "v_Site; is this the central site's database? (a child site's database "
                                   "does not hold its parent)",
                                   where(*central), s.code, s.parent));
    }
  }

  // The clients, on a connection of their own, in a thread of their own,
  // while this thread reads the rest. Errors are reported as the sequential
  // order (sites, site systems, clients, obsolete count, each primary's
  // database, the inventory written and loaded back) has them: the first
  // one only, whatever the threads' timing.
  sum.inventory = opts.out / "inventory.yaml";
  sum.clients_csv = opts.out / "clients.csv";
  ClientsInput clients_in{opts.central, open, {}, client_tail, sum.clients_csv, opts.progress};
  for (const auto& s : sites) clients_in.site_types.emplace(s.code, s.type);
  ClientsJob clients(std::move(clients_in));

  std::unordered_map<std::string, OsRow> system_os;
  try {
    // Site systems and roles.
    run(*central, q.systems, "v_SystemResourceList", kCentral, [&](const Row& r) {
      std::string code = upper(trimmed(r[0]));
      std::string host = trimmed(r[1]);
      auto it = by_code.find(code);
      if (it == by_code.end() || host.empty()) return;  // a system of a deleted site
      // An FQDN names the same host as its first label.
      if (auto dot = host.find('.'); dot != std::string::npos) host = host.substr(0, dot);
      host = upper(host);
      auto& site = sites[it->second];
      auto role = role_of(r.null(2) ? "" : r[2]);
      SystemRow* sys = nullptr;
      for (auto& s : site.systems) {
        if (s.host == host) sys = &s;
      }
      if (!sys) sys = &site.systems.emplace_back(SystemRow{host, 0});
      if (role) sys->roles |= static_cast<uint32_t>(*role);
      if (role == Role::database_server) site.db_server = host;
    });

    run(*central, q.system_os, "v_R_System (site systems)", kCentral, [&](const Row& r) {
      auto name = upper(trimmed(r[0]));
      if (system_os.contains(name)) return;
      system_os[name] = OsRow{r.null(1) ? "" : r.str(1), r.null(2) ? "" : r.str(2), r.null(3) ? "" : r.str(3)};
    });
  } catch (...) {
    clients.stop();  // this error comes before any of theirs
    throw;
  }

  // After the clients in the sequential order: an error here is reported
  // only when the clients were read without one (this thread then waits for
  // them: no longer than the sequential collect took to get here).
  YAML::Node root, collected;
  std::vector<std::pair<std::string, std::string>> parts;  // the inventory's top-level keys, emitted
  std::string yaml_head;
  int unknown = 0;
  try {
    // On this connection: the clients' one has the client rows to read.
    run(*central, q.obsolete, "obsolete client records", kCentral, [&](const Row& r) {
      sum.obsolete =
          r.null(0) ? 0 : whole(*central, r[0], "obsolete client records", "the count", kCentral, 0, INT64_MAX);
    });

    // Each primary's own database: its database facts.
    YAML::Node site_dbs_node(YAML::NodeType::Sequence);
    for (const auto& d : opts.site_dbs) {
      std::string option = "--site-db " + d.code;
      auto it = by_code.find(d.code);
      if (it == by_code.end()) throw InputError({}, "--site-db", fmt::format("no site {} in v_Site", d.code));
      auto& site = sites[it->second];
      if (site.type != 2) {
        throw InputError({}, "--site-db",
                         fmt::format("site {} is a secondary site; it has no database of its own", d.code));
      }
      auto src = open(d.conn, option);
      const Queries& sq = queries(src->dialect());
      YAML::Node db;
      std::string product_version, product_level, db_name;
      int published = 0;
      bool got = false;
      run(*src, sq.server, "the server's version (SERVERPROPERTY, DATABASEPROPERTYEX)", option, [&](const Row& r) {
        got = true;
        db_name = r.null(0) ? "" : trimmed(r[0]);
        product_version = r.null(1) ? "" : trimmed(r[1]);
        product_level = r.null(2) ? "" : trimmed(r[2]);
        published = (!r.null(4) && trimmed(r[4]) == "1") || (!r.null(5) && trimmed(r[5]) == "1") ? 1 : 0;
      });
      if (!got) throw InputError({}, option, fmt::format("{}: the server's version was not returned", where(*src)));
      int64_t data_pages = 0, log_pages = 0;
      bool autogrow = false;
      int files = 0;
      run(*src, sq.files, "the database files (sysfiles)", option, [&](const Row& r) {
        if (r.null(1) || trimmed(r[1]).empty()) return;
        ++files;
        // sysfiles' int columns: a file's size in 8 KiB pages, its growth, its status bits.
        constexpr std::string_view files_what = "the database files (sysfiles)";
        int64_t size = whole(*src, r[1], files_what, "size", option, 0, INT32_MAX);
        int64_t growth = r.null(3) ? 0 : whole(*src, r[3], files_what, "growth", option, INT32_MIN, INT32_MAX);
        int64_t status = r.null(4) ? 0 : whole(*src, r[4], files_what, "status", option, INT32_MIN, INT32_MAX);
        bool log = (status & 0x40) != 0;
        (log ? log_pages : data_pages) += size;
        // Autogrow when every file may grow is what the rule means: a data
        // file that cannot grow stops the upgrade even if the log can.
        if (files == 1)
          autogrow = growth != 0;
        else
          autogrow = autogrow && growth != 0;
      });
      run(*src, sq.last_backup, "the last full backup (msdb backupset)", option, [&](const Row& r) {
        if (!r.null(0) && r[0].size() >= 10) site.last_backup = std::string(r[0].substr(0, 10));
      });
      if (!db_name.empty()) db["name"] = db_name;
      auto sql = sql_version_of(product_version, product_level);
      if (sql)
        db["sql"] = *sql;
      else
        db["sql"] = YAML::Null;
      if (!sql) {
        sum.notes.push_back(
            fmt::format("{}: SQL Server {} {} cannot be named from the database{}; give database.sql in "
                        "FACTS.yaml",
                        d.code, product_version, product_level,
                        product_version.starts_with("8.00.760") ? " (SP3 and SP3a share 8.00.760)" : ""));
      }
      db["replication"] = published != 0;
      db["data_mb"] = data_pages * 8 / 1024;
      db["log_mb"] = log_pages * 8 / 1024;
      db["autogrow"] = files > 0 && autogrow;
      site.database = db;
      site.db_read = true;
      sum.site_databases.push_back(d.code);
      YAML::Node src_node;
      src_node["site"] = d.code;
      src_node["engine"] = std::string(to_string(src->dialect()));
      src_node["server"] = src->server();
      src_node["database"] = src->database();
      site_dbs_node.push_back(src_node);
    }

    // The inventory.
    root["format"] = "smsup-inventory/1";
    std::string central_code;
    for (const auto& s : sites) {
      if (s.parent.empty()) central_code = s.code;
    }
    root["hierarchy"] = central_code.empty() ? std::string("SMS hierarchy") : "SMS hierarchy of " + central_code;
    collected["by"] = "smsup " + opts.tool_version;
    collected["at"] = utc_now();
    if (!opts.as_of.empty()) collected["as_of"] = opts.as_of;
    collected["central"]["engine"] = std::string(to_string(central->dialect()));
    collected["central"]["server"] = central->server();
    collected["central"]["database"] = central->database();
    collected["central"]["read"] = "sites, site systems and roles, clients";
    collected["site_databases"] = site_dbs_node;
    if (!opts.facts.empty()) collected["facts"] = opts.facts;
    // The counts of the clients: set when they are read (below).
    for (const char* k : {"clients", "duplicate_client_rows", "obsolete_client_rows", "clients_left_out"}) {
      collected[k] = 0;
    }
    root["collected"] = collected;
    YAML::Node sites_node(YAML::NodeType::Sequence);
    for (size_t i : top_down(sites)) {
      const auto& s = sites[i];
      YAML::Node n;
      n["code"] = s.code;
      if (!s.name.empty()) n["name"] = s.name;
      n["type"] = s.type == 2 ? "primary" : "secondary";
      n["parent"] = s.parent.empty() ? YAML::Node(YAML::NodeType::Null) : YAML::Node(s.parent);
      n["version"] = s.version;
      // Site control settings and hand-checked facts: not in any view.
      n["security"] = YAML::Null;
      n["advanced_security_ready"] = YAML::Null;
      n["http_port"] = YAML::Null;
      n["client_auth_encryption"] = YAML::Null;
      n["drw_passed"] = YAML::Null;
      if (!s.install_dir.empty()) n["install_dir"] = s.install_dir;
      n["foreign_files"] = YAML::Null;
      if (!s.last_backup.empty())
        n["last_backup"] = s.last_backup;
      else
        n["last_backup"] = YAML::Null;
      if (s.type == 2) {
        YAML::Node db;
        // No SQL Server role listed: the database is local to the site server.
        std::string server = s.db_server;
        for (const auto& sys : s.systems) {
          if (server.empty() && (sys.roles & static_cast<uint32_t>(Role::site_server))) server = sys.host;
        }
        db["server"] = server;
        if (s.db_read) {
          for (const auto& kv : s.database) db[kv.first.as<std::string>()] = kv.second;
        } else {
          for (const char* k : {"sql", "replication", "data_mb", "log_mb", "autogrow"}) db[k] = YAML::Null;
        }
        // The volumes' free space: only SMS's last report of it is in a view.
        db["free_disk_mb"] = YAML::Null;
        n["database"] = db;
      }
      YAML::Node systems(YAML::NodeType::Sequence);
      for (const auto& sys : s.systems) {
        YAML::Node y;
        y["host"] = sys.host;
        auto os = system_os.find(sys.host);
        std::optional<WinFamily> family;
        if (os != system_os.end()) family = os_of(os->second.caption, os->second.os_name);
        if (family) {
          y["os"] = std::string(to_string(*family));
          y["os_sp"] = os->second.caption.empty() && os->second.csd.empty() ? YAML::Node(YAML::NodeType::Null)
                                                                            : YAML::Node(os_sp_of(os->second.csd));
          y["edition"] = std::string(edition_of(os->second.caption) == Edition::standard     ? "standard"
                                     : edition_of(os->second.caption) == Edition::enterprise ? "enterprise"
                                     : edition_of(os->second.caption) == Edition::datacenter ? "datacenter"
                                                                                             : "advanced");
        } else {
          y["os"] = YAML::Null;  // not an SMS client: no inventory of its OS
        }
        YAML::Node roles(YAML::NodeType::Sequence);
        for (uint32_t bit = 1; bit != 0 && bit <= static_cast<uint32_t>(Role::database_server); bit <<= 1) {
          if (sys.roles & bit) roles.push_back(std::string(to_string(static_cast<Role>(bit))));
        }
        roles.SetStyle(YAML::EmitterStyle::Flow);
        y["roles"] = roles;
        for (const char* k : {"bits", "firewall", "scw", "scw_before_role_change", "sms_client_installed",
                              "service_account", "firewall_exceptions", "dcom_fixed"}) {
          y[k] = YAML::Null;
        }
        systems.push_back(y);
        ++sum.systems;
      }
      n["systems"] = systems;
      n["consoles"] = YAML::Null;
      sites_node.push_back(n);
      ++sum.sites;
      (s.type == 2 ? sum.primaries : sum.secondaries)++;
    }
    root["sites"] = sites_node;
    if (!opts.facts.empty()) apply_facts(root, facts, opts.facts);
    unknown = count_unknown(root["sites"]);
    sum.hierarchy = root["hierarchy"].as<std::string>();

    // Emitted key by key (the same text as the whole map), so that collected:
    // can be emitted again with the clients' counts without the sites.
    for (const auto& kv : root) {
      YAML::Node one;
      one[kv.first.as<std::string>()] = kv.second;
      YAML::Emitter out;
      out << one;
      parts.emplace_back(kv.first.as<std::string>(), out.c_str());
    }
    yaml_head = fmt::format(
        "# Collected by smsup inventory collect from the SMS site database{}.\n"
        "# ~ marks a fact no database holds: give it in FACTS.yaml (--facts) and collect again;\n"
        "# smsup check reports each rule it cannot judge without it as unknown-fact.\n",
        opts.site_dbs.empty() ? "" : "s");
    auto text = [&] {
      std::string yaml = yaml_head;
      for (const auto& [key, part] : parts) {
        yaml += part;
        yaml += "\n";
      }
      return yaml;
    };
    // What was written must load: the contract of every other verb. The sites
    // are loaded back with the ordinary loader; the clients' rows were checked
    // as they were written, by the loader's own rules (names, versions) and by
    // construction (every other field is one the loader reads), so that a
    // million rows are not parsed a second time.
    // A refusal here is of the inventory as collected (a value the facts
    // gave is refused in FACTS.yaml's terms by apply_facts): it is said
    // without a line, since the file it would stand in is not written.
    try {
      Hierarchy h = inventory::load_text(text(), sum.inventory.string(), opts.out.string());
      (void)h;
    } catch (const InputError& e) {
      throw InputError(
          {opts.facts.empty() ? sum.inventory.string() : opts.facts, 0, 0}, e.field(),
          e.message() + (opts.facts.empty() ? std::string(" (in the inventory collected; nothing was written)")
                                            : std::string(" (in the inventory collected with these facts; nothing "
                                                          "was written)")));
    }
  } catch (...) {
    clients.wait();  // throws the clients' error, which comes first
    throw;
  }

  ClientsRead& read = clients.wait();
  sum.clients = read.clients;
  sum.duplicates = std::move(read.duplicates);
  sum.left_out = std::move(read.left_out);
  collected["clients"] = read.clients;
  collected["duplicate_client_rows"] = read.dup_count;
  collected["obsolete_client_rows"] = sum.obsolete;
  collected["clients_left_out"] = read.left_count;
  for (auto& [key, part] : parts) {
    if (key != "collected") continue;
    YAML::Node one;
    one["collected"] = collected;
    YAML::Emitter out;
    out << one;
    part = out.c_str();
  }
  std::string yaml = yaml_head;
  for (const auto& [key, part] : parts) {
    // The clients' file, named before the sites (the key's usual place).
    if (key == "sites") yaml += "clients: clients.csv\n";
    yaml += part;
    yaml += "\n";
  }
  read.csv->commit();
  write_file(sum.inventory, yaml);
  sum.unknown_facts = unknown;
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return sum;
}

}  // namespace smsup::collect
