#include "plan/step_kinds.h"

#include <array>
#include <stdexcept>

#include "plan/instructions_by_kind.h"
#include "plan/plan.h"

namespace smsup::plan {
namespace {

using K = Kind;
using S = Scope;
using M = Manual;
using T = TwinPart;
namespace rb = runbook;

// The estimates are an administrator's rule of thumb for hardware of 2006
// (restore and backup around 100-500 MB a minute, setup touching every site
// system): {base, per GB of database, per 1000 clients, per site system}.
// docs/plan.md explains each line.
constexpr std::array<KindRow, 29> kKinds{{
    {K::readiness, "readiness", S::hierarchy, M::never, true, {5, 0, 0, 0}, rb::readiness, T::clients, true},
    {K::legacy_to_advanced,
     "legacy-to-advanced",
     S::site,
     M::always,
     true,
     {30, 0, 20, 0},
     rb::legacy_to_advanced,
     T::clients,
     false},
    {K::os_sp1, "os-sp1", S::host, M::never, true, {45, 0, 0, 0}, rb::os_sp1, T::host, false},
    {K::dcom_slp, "dcom-slp", S::host, M::always, true, {10, 0, 0, 0}, rb::dcom_slp, T::host, false},
    {K::dcom_rp, "dcom-rp", S::host, M::always, true, {10, 0, 0, 0}, rb::dcom_rp, T::host, false},
    {K::dcom_sms_admins,
     "dcom-sms-admins",
     S::host,
     M::always,
     true,
     {10, 0, 0, 0},
     rb::dcom_sms_admins,
     T::host,
     false},
    {K::firewall_exceptions,
     "firewall-exceptions",
     S::host,
     M::never,
     true,
     {10, 0, 0, 0},
     rb::firewall,
     T::host,
     false},
    {K::scw_remote_wmi, "scw-remote-wmi", S::host, M::always, true, {15, 0, 0, 0}, rb::scw, T::host, false},
    {K::scw_sql_monitor, "scw-sql-monitor", S::host, M::always, true, {15, 0, 0, 0}, rb::scw, T::host, false},
    {K::scw_bits_dp, "scw-bits-dp", S::host, M::always, true, {15, 0, 0, 0}, rb::scw, T::host, false},
    {K::scw_cap_misdetect, "scw-cap-misdetect", S::host, M::always, true, {15, 0, 0, 0}, rb::scw, T::host, false},
    {K::scw_rerun, "scw-rerun", S::host, M::always, true, {20, 0, 0, 0}, rb::scw, T::host, false},
    {K::mp_reinstall, "mp-reinstall", S::host, M::always, true, {45, 0, 0, 0}, rb::mp_reinstall, T::host, false},
    {K::backup, "backup", S::site, M::never, true, {10, 2, 0, 0}, rb::backup, T::site, false},
    {K::replication_disable,
     "replication-disable",
     S::site,
     M::always,
     true,
     {15, 0, 0, 0},
     rb::replication_disable,
     T::site,
     false},
    {K::dbtest, "dbtest", S::site, M::never, true, {30, 10, 0, 0}, rb::dbtest, T::site, false},
    {K::disk_check, "disk-check", S::site, M::never, true, {5, 0, 0, 0}, rb::disk_check, T::site, true},
    {K::drw, "drw", S::site, M::always, true, {15, 0, 0, 2}, rb::drw, T::site, false},
    {K::upgrade, "upgrade", S::site, M::by_method, true, {30, 3, 1, 5}, rb::upgrade, T::upgrade, false},
    {K::settle, "settle", S::site, M::never, true, {30, 0, 0, 0}, rb::settle, T::upgrade, true},
    {K::verify, "verify", S::site, M::never, true, {10, 0, 0, 0}, rb::verify, T::upgrade, true},
    {K::replication_enable,
     "replication-enable",
     S::site,
     M::always,
     true,
     {20, 0, 0, 0},
     rb::replication_enable,
     T::site,
     false},
    {K::console_upgrade,
     "console-upgrade",
     S::host,
     M::always,
     true,
     {20, 0, 0, 0},
     rb::console_upgrade,
     T::host,
     false},
    // The CCIM cycle (25 h or 23 h) is added by the planner.
    {K::legacy_autoupgrade,
     "legacy-autoupgrade",
     S::site,
     M::never,
     true,
     {0, 0, 0, 0},
     rb::legacy_autoupgrade,
     T::clients,
     true},
    {K::advanced_push, "advanced-push", S::site, M::always, true, {60, 0, 10, 0}, rb::advanced_push, T::clients, false},
    {K::itmu, "itmu", S::hierarchy, M::always, true, {30, 0, 0, 0}, rb::itmu, T::clients, false},
    {K::remote_mp_997, "remote-mp-997", S::host, M::never, false, {}, rb::title_only, T::host, false},
    {K::kb906570, "kb906570", S::host, M::never, true, {15, 0, 0, 0}, rb::kb906570, T::host, false},
    {K::restore, "restore", S::site, M::never, false, {}, rb::title_only, T::site, false},
}};

constexpr bool rows_in_kind_order() {
  for (size_t i = 0; i < kKinds.size(); ++i) {
    if (static_cast<size_t>(kKinds[i].kind) != i) return false;
  }
  return true;
}
static_assert(rows_in_kind_order(), "row(Kind) indexes the table by Kind");

}  // namespace

std::span<const KindRow> kind_table() { return kKinds; }

const KindRow& row(Kind k) { return kKinds[static_cast<size_t>(k)]; }

std::string_view name(Kind k) { return row(k).name; }

const KindRow* find_kind(std::string_view n) {
  for (const auto& r : kKinds) {
    if (r.name == n) return &r;
  }
  return nullptr;
}

std::optional<Kind> kind_of(std::string_view n) {
  const KindRow* r = find_kind(n);
  return r ? std::optional<Kind>(r->kind) : std::nullopt;
}

bool is(const Step& s, Kind k) { return s.kind == name(k); }

}  // namespace smsup::plan
