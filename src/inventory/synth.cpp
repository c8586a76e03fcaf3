#include "inventory/synth.h"

#include <array>
#include <fmt/format.h>
#include <fstream>
#include <vector>

#include "util/error.h"

namespace smsup::inventory {
namespace {

// splitmix64: a tiny, well-known generator whose output is the same on every
// platform (std:: distributions are not), so a seed always makes the same file.
struct Rng {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
  bool chance(int percent) { return below(100) < static_cast<uint64_t>(percent); }
};

std::string code_of(int i) {
  static constexpr std::string_view digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string c(3, 'A');
  for (int k = 2; k >= 0; --k) {
    c[static_cast<size_t>(k)] = digits[static_cast<size_t>(i % 36)];
    i /= 36;
  }
  return c;
}

struct SiteShape {
  std::string code;
  bool primary;
  int parent;  // -1 central
};

// About a third primary; primaries hang under earlier primaries (trees up to
// ~5 levels), secondaries under a random primary.
std::vector<SiteShape> shape(const SynthOptions& o) {
  Rng rng{o.seed * 7919 + 1};
  std::vector<SiteShape> sites;
  std::vector<int> primaries;
  int n = std::max(1, o.sites);
  for (int i = 0; i < n; ++i) {
    SiteShape s{code_of(i), i == 0 || i % 3 == 0, -1};
    if (i > 0) {
      if (s.primary) {
        // Prefer recent primaries for depth, the central site for width.
        size_t k = primaries.size();
        s.parent = rng.chance(30) ? primaries.front() : primaries[k - 1 - rng.below(std::min<size_t>(k, 4))];
      } else {
        s.parent = primaries[rng.below(primaries.size())];
      }
    }
    if (s.primary) primaries.push_back(i);
    sites.push_back(std::move(s));
  }
  return sites;
}

void write_site(fmt::memory_buffer& b, const SynthOptions& o, const std::vector<SiteShape>& all, size_t i, Rng& rng) {
  const auto& s = all[i];
  bool broken = o.messy && i > 0 && rng.chance(5);
  bool rtm = rng.chance(30);
  fmt::format_to(std::back_inserter(b), "  - code: {}\n    type: {}\n    parent: {}\n", s.code,
                 s.primary ? "primary" : "secondary", s.parent < 0 ? "~" : all[static_cast<size_t>(s.parent)].code);
  fmt::format_to(std::back_inserter(b), "    version: {}\n    drw_passed: {}\n", rtm ? "rtm" : "sp1",
                 rtm && !broken ? "true" : "false");
  fmt::format_to(std::back_inserter(b), "    last_backup: 2006-06-{:02}\n", 5 + rng.below(6));
  std::string host = s.code + "-SMS01";
  if (s.primary) {
    int64_t data = 500 + static_cast<int64_t>(rng.below(20000));
    int64_t log = data / 5;
    fmt::format_to(std::back_inserter(b),
                   "    database:\n      server: {}\n      sql: {}\n      replication: {}\n"
                   "      data_mb: {}\n      log_mb: {}\n      free_disk_mb: {}\n",
                   host, broken && rng.chance(50) ? "2000-sp3" : (rng.chance(70) ? "2000-sp4" : "2005"),
                   rng.chance(5) ? "true" : "false", data, log, data * 4 + 20000);
    if (rng.chance(50)) {
      fmt::format_to(std::back_inserter(b), "      dbtest:\n        data_mb_after: {}\n        log_mb_after: {}\n",
                     data + data / 3, log * 2);
    }
  }
  // Broken: Windows 2000 SP3. Otherwise Windows Server 2003 (SP0 or SP1) or
  // Windows 2000 SP4, all supported.
  bool w2003 = !broken && rng.chance(60);
  int sp = broken ? 3 : (w2003 ? static_cast<int>(rng.below(2)) : 4);
  fmt::format_to(std::back_inserter(b),
                 "    systems:\n      - host: {}\n        os: {}\n        os_sp: {}\n"
                 "        roles: [site_server{}, distribution_point, client_access_point]\n",
                 host, w2003 ? "w2003" : "w2000", sp, s.primary ? ", provider, management_point" : "");
  if (s.primary && rng.chance(40)) {
    fmt::format_to(std::back_inserter(b),
                   "      - host: {}-RPT01\n        os: w2003\n        os_sp: {}\n"
                   "        roles: [reporting_point, server_locator_point]\n",
                   s.code, rng.below(2));
  }
  if (s.primary && rng.chance(30)) {
    fmt::format_to(std::back_inserter(b), "    consoles:\n      - {{host: {}-ADM01, version: {}}}\n", s.code,
                   rng.chance(50) ? "sp1" : "rtm");
  }
}

// A YAML double-quoted scalar: whatever the name holds (a colon, a quote, a
// newline), it stays the hierarchy's name and never becomes YAML.
std::string yaml_quoted(const std::string& text) {
  std::string out = "\"";
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace

std::string synthetic_yaml(const SynthOptions& o, const std::string& clients_file) {
  auto sites = shape(o);
  Rng rng{o.seed};
  fmt::memory_buffer b;
  fmt::format_to(std::back_inserter(b),
                 "# Synthetic SMS 2003 hierarchy: smsup twin inventory --sites {} --clients {} "
                 "--seed {}{}\nformat: smsup-inventory/1\nhierarchy: {}\nmethod: update-quiet\n",
                 o.sites, o.clients, o.seed, o.messy ? " --messy" : "", yaml_quoted(o.name));
  if (o.clients > 0) fmt::format_to(std::back_inserter(b), "clients: {}\n", clients_file);
  fmt::format_to(std::back_inserter(b), "sites:\n");
  for (size_t i = 0; i < sites.size(); ++i) write_site(b, o, sites, i, rng);
  return fmt::to_string(b);
}

std::string synthetic_csv(const SynthOptions& o) {
  auto sites = shape(o);
  std::vector<size_t> primaries;
  for (size_t i = 0; i < sites.size(); ++i) {
    if (sites[i].primary) primaries.push_back(i);
  }
  struct Os {
    const char* name;
    int sp;
    int weight;
  };
  static constexpr std::array<Os, 9> kAdvanced{{{"xp", 2, 50},
                                                {"xp", 1, 15},
                                                {"xp", 0, 3},
                                                {"w2000", 4, 18},
                                                {"w2000", 3, 3},
                                                {"w2003", 1, 6},
                                                {"w2003", 0, 3},
                                                {"vista", 0, 1},
                                                {"nt4", 6, 1}}};
  static constexpr std::array<Os, 5> kLegacy{
      {{"win98", 0, 40}, {"nt4", 6, 30}, {"winme", 0, 5}, {"xp", 2, 15}, {"w2000", 4, 10}}};
  auto pick = [](const auto& table, Rng& rng) -> const Os& {
    uint64_t r = rng.below(100);
    for (const auto& e : table) {
      if (r < static_cast<uint64_t>(e.weight)) return e;
      r -= static_cast<uint64_t>(e.weight);
    }
    return table.front();
  };
  Rng rng{o.seed ^ 0xC11E27ull};
  fmt::memory_buffer b;
  b.reserve(static_cast<size_t>(o.clients) * 48 + 128);
  fmt::format_to(std::back_inserter(b), "name,site,kind,os,os_sp,ie,client_version,autoupgrade_disabled\n");
  for (int64_t i = 0; i < o.clients; ++i) {
    bool legacy = rng.chance(15);
    size_t site = legacy ? rng.below(sites.size()) : primaries[rng.below(primaries.size())];
    const Os& os = legacy ? pick(kLegacy, rng) : pick(kAdvanced, rng);
    const char* version = legacy && rng.chance(10) ? "sms20" : (rng.chance(25) ? "rtm" : "sp1");
    fmt::format_to(std::back_inserter(b), "C{:07},{},{},{},{},{},{},{}\n", i, sites[site].code,
                   legacy ? "legacy" : "advanced", os.name, os.sp, legacy ? (rng.chance(80) ? "5.5" : "5.0") : "6.0",
                   version, legacy && rng.chance(3) ? "true" : "");
  }
  return fmt::to_string(b);
}

SynthFiles write_synthetic(const SynthOptions& o, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError({dir.string(), 0, 0}, "", "cannot create folder: " + ec.message());
  SynthFiles f{dir / "inventory.yaml", dir / "clients.csv"};
  auto write = [](const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw InputError({p.string(), 0, 0}, "", "cannot write file");
  };
  write(f.inventory, synthetic_yaml(o, "clients.csv"));
  if (o.clients > 0) write(f.clients, synthetic_csv(o));
  return f;
}

}  // namespace smsup::inventory
