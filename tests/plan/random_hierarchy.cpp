#include "random_hierarchy.h"

#include <fmt/format.h>

#include "inventory/inventory.h"

namespace smsup::testing {
namespace {

struct Dice {
  std::mt19937_64 rng;
  bool coin(double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
};

std::string code_of(int i) {
  static const char* digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return fmt::format("{}{}{}", digits[(i / 1296) % 36], digits[(i / 36) % 36], digits[i % 36]);
}

WinVersion server_os(Dice& d) {
  int r = d.pick(0, 9);
  if (r < 4) return {WinFamily::w2003, 0};
  if (r < 8) return {WinFamily::w2003, 1};
  return {WinFamily::w2000, 4};
}

SiteSystem system(Dice& d, const std::string& host, uint32_t roles) {
  SiteSystem s;
  s.host = host;
  s.os = server_os(d);
  s.roles = roles;
  s.bits = d.coin(0.5);
  s.firewall = d.coin(0.3);
  s.scw = d.coin(0.3);
  s.scw_before_role_change = s.scw && d.coin(0.3);
  s.sms_client_installed = d.coin(0.1);
  s.service_account = d.coin(0.6);
  s.firewall_exceptions = static_cast<uint32_t>(d.pick(0, 0x1FF)) & (d.coin(0.3) ? 0x1FFu : 0xFFu);
  s.dcom_fixed = static_cast<uint32_t>(d.pick(0, 7));
  return s;
}

uint32_t bits(std::initializer_list<Role> roles) {
  uint32_t b = 0;
  for (Role r : roles) b |= static_cast<uint32_t>(r);
  return b;
}

Site site(Dice& d, const Shape& shape, int i, const Hierarchy& h, std::vector<int>& primaries) {
  Site s;
  s.code = code_of(i);
  s.name = "Site " + s.code;
  s.path = fmt::format("sites[{}]", i);
  if (i > 0) {
    // Deep trees pick a recent primary as parent, wide ones an early one.
    int n = static_cast<int>(primaries.size());
    int lo = d.coin(shape.depth_bias) ? std::max(0, n - 3) : 0;
    int hi = d.coin(shape.depth_bias) ? n - 1 : std::min(n - 1, 2);
    s.parent = h.sites[primaries[d.pick(lo, std::max(lo, hi))]].code;
    s.type = d.coin(shape.secondary_share) ? SiteType::secondary : SiteType::primary;
  }
  const char* versions[] = {"rtm", "sp1", "sp2"};
  s.version = *parse_sms_version(d.coin(shape.sp2_share) ? "sp2" : versions[d.pick(0, 1)]);
  s.drw_passed = d.coin(0.5);
  s.security = d.coin(0.3) ? Security::advanced : Security::standard;
  s.advanced_security_ready = d.coin(0.3);
  if (d.coin(0.3)) s.method = static_cast<Method>(d.pick(0, 2));
  if (d.coin(0.1)) s.foreign_files = {"C:\\SMS\\scripts\\mine.vbs"};
  std::string h0 = s.code + "SRV";
  s.systems.push_back(system(d, h0, bits({Role::site_server, Role::provider})));
  if (d.coin(0.7)) s.systems[0].roles |= bits({Role::client_access_point});
  if (d.coin(0.5))
    s.systems.push_back(system(d, s.code + "MP", bits({Role::management_point})));
  else
    s.systems[0].roles |= bits({Role::management_point});
  if (d.coin(0.4))
    s.systems.push_back(system(d, s.code + "SLP", bits({Role::server_locator_point, Role::reporting_point})));
  if (d.coin(0.5)) s.systems.push_back(system(d, s.code + "DP", bits({Role::distribution_point})));
  if (s.type == SiteType::primary) {
    Database db;
    bool remote = d.coin(0.4);
    if (remote)
      s.systems.push_back(system(d, s.code + "SQL", bits({Role::database_server})));
    else
      s.systems[0].roles |= bits({Role::database_server});
    db.server = remote ? s.code + "SQL" : h0;
    db.name = "SMS_" + s.code;
    db.sql = *parse_sql_version("2000-sp4");
    db.replication = d.coin(0.2);
    db.data_mb = d.pick(200, 20000);
    db.log_mb = d.pick(50, 5000);
    db.free_disk_mb = d.pick(1000, 200000);
    db.autogrow = d.coin(0.9);
    if (d.coin(0.4)) db.dbtest = DbTestResult{db.data_mb + d.pick(0, 5000), db.log_mb + d.pick(0, 3000)};
    s.database = db;
    primaries.push_back(i);
  }
  for (int c = d.pick(0, 2); c > 0; --c) {
    const char* cv[] = {"rtm", "sp1", "sp2"};
    Console con;
    con.host = fmt::format("{}ADM{}", s.code, c);
    con.version = *parse_sms_version(cv[d.pick(0, 2)]);
    // Some consoles run on a firewalled Windows Server 2003 SP1 computer
    // (a firewall-exceptions step of their own); some are unknown.
    con.os = {d.coin(0.5) ? WinFamily::w2003 : WinFamily::xp, d.pick(0, 2)};
    con.firewall = d.coin(0.5);
    con.firewall_exceptions = static_cast<uint32_t>(d.pick(0, 0x1FF));
    if (d.coin(0.2)) con.unknown = static_cast<uint8_t>(ConsoleFact::firewall);
    s.consoles.push_back(std::move(con));
  }
  return s;
}

void add_clients(Dice& d, Hierarchy& h, const Shape& shape) {
  const WinVersion oses[] = {{WinFamily::win98, 0}, {WinFamily::nt4, 6}, {WinFamily::w2000, 3}, {WinFamily::w2000, 4},
                             {WinFamily::xp, 0},    {WinFamily::xp, 2},  {WinFamily::w2003, 1}, {WinFamily::vista, 0}};
  const SmsLevel levels[] = {SmsLevel::sms20, SmsLevel::rtm, SmsLevel::sp1, SmsLevel::sp2};
  for (size_t si = 0; si < h.sites.size(); ++si) {
    for (int k = d.pick(0, shape.clients_per_site); k > 0; --k) {
      Client c;
      c.name = fmt::format("{}-PC{}", h.sites[si].code, k);
      c.site = static_cast<int>(si);
      bool primary = h.sites[si].is_primary();
      c.kind = primary && d.coin(0.7) ? ClientKind::advanced : ClientKind::legacy;
      c.os = oses[d.pick(0, 7)];
      c.version = levels[d.pick(c.kind == ClientKind::advanced ? 1 : 0, 3)];
      c.autoupgrade_disabled = c.kind == ClientKind::legacy && d.coin(0.2);
      c.ie_tenths = d.coin(0.5) ? 50 : 60;
      h.clients.push_back(std::move(c));
    }
  }
}

}  // namespace

Hierarchy random_hierarchy(uint64_t seed, const Shape& shape) {
  Dice d{std::mt19937_64(seed)};
  Hierarchy h;
  h.name = fmt::format("Random{}", seed);
  h.method = static_cast<Method>(d.pick(0, 2));
  h.source = fmt::format("random-{}.yaml", seed);
  h.sha256 = fmt::format("{:064x}", seed);
  std::vector<int> primaries;
  for (int i = 0; i < shape.sites; ++i) h.sites.push_back(site(d, shape, i, h, primaries));
  add_clients(d, h, shape);
  inventory::link(h);
  return h;
}

}  // namespace smsup::testing
