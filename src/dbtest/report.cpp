// The dbtest report: verdicts, text for people, JSON for programs, and the
// dispatch on the --db scheme.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "dbtest/dbtest.h"
#include "util/error.h"

namespace smsup::dbtest {
namespace {
constexpr int64_t kMiB = 1024 * 1024;
int64_t mb_up(int64_t bytes) { return (bytes + kMiB - 1) / kMiB; }
double mb(int64_t bytes) { return static_cast<double>(bytes) / static_cast<double>(kMiB); }
// An estimate in words, rounded as an estimate should be: "40 s", "12 min", "1 h 38 min".
std::string about(double seconds) {
  auto s = static_cast<int64_t>(seconds + 0.5);
  if (s < 90) return fmt::format("{} s", std::max<int64_t>(s, 1));
  auto min = (s + 30) / 60;
  if (min < 90) return fmt::format("{} min", min);
  return fmt::format("{} h {} min", min / 60, min % 60);
}
}  // namespace

int64_t Report::data_mb_after() const { return site ? site->after.data_mb_after : mb_up(after.data_bytes); }
int64_t Report::log_mb_after() const { return site ? site->after.log_mb_after : mb_up(after.log_bytes); }
int64_t Report::growth_mb() const { return site ? site->growth_mb() : mb_up(growth_bytes()); }

bool Report::checks_ok() const {
  for (const auto& c : checks) {
    if (!c.ok) return false;
  }
  return true;
}

std::optional<double> Report::seconds_at_site_size() const {
  int64_t stand_in = before.data_bytes + before.log_bytes;
  if (!site || !migration_ok || stand_in <= 0) return std::nullopt;
  double real = static_cast<double>(site->data_mb + site->log_mb) * static_cast<double>(kMiB);
  return migration_seconds * real / static_cast<double>(stand_in);
}

std::optional<bool> Report::fits() const {
  if (!free_disk_mb) return std::nullopt;
  return growth_mb() <= *free_disk_mb;
}

Report run(const Options& opts) {
  const std::string& db = opts.db;
  if (db.rfind("sqlite:", 0) == 0 && db.size() > 7) return run_sqlite(db.substr(7), opts);
  if (db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0) {
    return run_postgresql(db, opts);
  }
  throw InputError({}, "--db", "expected sqlite:PATH or postgresql://HOST/DB, got '" + db + "'");
}

std::string format_text(const Report& r) {
  std::string out = fmt::format("smsup dbtest: {} database {}\n", r.engine, r.database);
  for (const auto& c : r.cleaned) out += fmt::format("  cleaned     {} (left by a run that died)\n", c);
  out += fmt::format("  copy        {} ({})\n", r.copy, r.copy_kept ? "kept" : "dropped");
  out += fmt::format("  migration   {}: {} in {:.1f} s\n", r.migration, r.migration_ok ? "ok" : "FAILED",
                     r.migration_seconds);
  if (!r.migration_ok) out += fmt::format("              {}\n", r.migration_error);
  out += fmt::format("  {:<10}{:>12}{:>12}{:>12}\n", "", "before", "after", "growth");
  out += fmt::format("  {:<10}{:>9.1f} MB{:>9.1f} MB{:>+9.1f} MB\n", "data", mb(r.before.data_bytes),
                     mb(r.after.data_bytes), mb(r.after.data_bytes - r.before.data_bytes));
  out += fmt::format("  {:<10}{:>9.1f} MB{:>9.1f} MB{:>+9.1f} MB\n", "log", mb(r.before.log_bytes),
                     mb(r.after.log_bytes), mb(r.after.log_bytes - r.before.log_bytes));
  if (r.site) {
    const SiteScale& s = *r.site;
    out += fmt::format("  site        a stand-in for a site database of {} MB data and {} MB log; at that size:\n",
                       s.data_mb, s.log_mb);
    out += fmt::format("  {:<10}{:>9} MB{:>9} MB{:>+9} MB\n", "data", s.data_mb, s.after.data_mb_after,
                       s.after.data_mb_after - s.data_mb);
    out += fmt::format("  {:<10}{:>9} MB{:>9} MB{:>+9} MB\n", "log", s.log_mb, s.after.log_mb_after,
                       s.after.log_mb_after - s.log_mb);
  }
  for (const auto& c : r.checks) {
    out += fmt::format("  check       {:<32} {} ({})\n", c.name, c.ok ? "ok" : "FAILED", c.detail);
  }
  if (r.fits()) {
    out += fmt::format("  disk        growth {} MB, free {} MB: {}\n", r.growth_mb(), *r.free_disk_mb,
                       *r.fits() ? "fits" : "DOES NOT FIT");
  }
  out += fmt::format("  time        copy {:.1f} s, migration {:.1f} s, checks {:.1f} s\n", r.copy_seconds,
                     r.migration_seconds, r.check_seconds);
  if (auto real = r.seconds_at_site_size()) {
    // A stand-in: its own time says nothing of the real database's.
    double stand_in = mb(r.before.data_bytes + r.before.log_bytes);
    out += fmt::format(
        "  result      {} on this {:.1f} MB stand-in in {:.1f} s\n",
        r.passed() ? "PASSED: the database part of the upgrade succeeds" : "FAILED: fix this before the upgrade",
        stand_in, r.total_seconds);
    out += fmt::format(
        "  real size   for the real {} MB ({} MB data, {} MB log) the migration would take about {} "
        "(an estimate: the stand-in's {:.1f} MB/s, scaled by size)\n",
        r.site->data_mb + r.site->log_mb, r.site->data_mb, r.site->log_mb, about(*real),
        stand_in / std::max(r.migration_seconds, 1e-9));
  } else {
    out += fmt::format(
        "  result      {} in {:.1f} s\n",
        r.passed() ? "PASSED: the database part of the upgrade will succeed" : "FAILED: fix this before the upgrade",
        r.total_seconds);
  }
  out += fmt::format(
      "\nFor the inventory (database:):\n  dbtest:\n    data_mb_after: {}\n"
      "    log_mb_after: {}\n",
      r.data_mb_after(), r.log_mb_after());
  return out;
}

std::string format_json(const Report& r) {
  using json = nlohmann::ordered_json;
  auto sizes = [](const Sizes& s) { return json{{"data_bytes", s.data_bytes}, {"log_bytes", s.log_bytes}}; };
  json checks = json::array();
  for (const auto& c : r.checks) checks.push_back({{"name", c.name}, {"ok", c.ok}, {"detail", c.detail}});
  json j{
      {"engine", r.engine},
      {"database", r.database},
      {"copy", {{"name", r.copy}, {"kept", r.copy_kept}}},
      {"cleaned", r.cleaned},
      {"migration",
       {{"name", r.migration}, {"ok", r.migration_ok}, {"error", r.migration_error}, {"seconds", r.migration_seconds}}},
      {"before", sizes(r.before)},
      {"after", sizes(r.after)},
      {"growth_bytes", r.growth_bytes()},
      {"site", r.site ? json{{"data_mb", r.site->data_mb},
                             {"log_mb", r.site->log_mb},
                             {"data_mb_after", r.site->after.data_mb_after},
                             {"log_mb_after", r.site->after.log_mb_after},
                             {"growth_mb", r.site->growth_mb()},
                             {"estimated_migration_seconds",
                              r.seconds_at_site_size() ? json(*r.seconds_at_site_size()) : json(nullptr)},
                             {"empty_baseline",
                              {{"data_bytes_before", r.site->empty.before},
                               {"data_bytes_after", r.site->empty.after},
                               {"log_bytes", r.site->empty.log}}}}
                      : json(nullptr)},
      {"growth_mb", r.growth_mb()},
      {"checks", checks},
      {"free_disk_mb", r.free_disk_mb ? json(*r.free_disk_mb) : json(nullptr)},
      {"fits", r.fits() ? json(*r.fits()) : json(nullptr)},
      {"passed", r.passed()},
      {"seconds",
       {{"copy", r.copy_seconds},
        {"migration", r.migration_seconds},
        {"check", r.check_seconds},
        {"total", r.total_seconds}}},
      {"dbtest", {{"data_mb_after", r.data_mb_after()}, {"log_mb_after", r.log_mb_after()}}}};
  return j.dump(2) + "\n";
}

}  // namespace smsup::dbtest
