// The step kinds of a plan (shared/spec/plan.md, "Steps") as a table, as the
// rules are (rules/rule.h, kRules): one row per kind, read by the planner,
// the estimates, the runbook, the twin, the fault injector and the demo. A
// kind's name is written in step_kinds.cpp and nowhere else; code names a
// kind by its Kind and compares names through kind_of() or name().
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "plan/estimates.h"

namespace smsup::plan {

struct Step;
struct Instructions;

enum class Kind : uint8_t {
  readiness,
  legacy_to_advanced,
  os_sp1,
  dcom_slp,
  dcom_rp,
  dcom_sms_admins,
  firewall_exceptions,
  scw_remote_wmi,
  scw_sql_monitor,
  scw_bits_dp,
  scw_cap_misdetect,
  scw_rerun,
  mp_reinstall,
  backup,
  replication_disable,
  dbtest,
  disk_check,
  drw,
  upgrade,
  settle,
  verify,
  replication_enable,
  console_upgrade,
  legacy_autoupgrade,
  advanced_push,
  itmu,
  // Not emitted by the planner, known to the twin (a hand-written plan may
  // hold them; the rehearsal adds restore to roll a failed upgrade back).
  remote_mp_997,
  kb906570,
  restore,
};

// Where a step of the kind runs: the id's scope (plan.md, "Steps").
enum class Scope : uint8_t {
  hierarchy,  // "*"
  site,       // a site code
  host,       // a site code, and the host or console as the id's object
};

enum class Manual : uint8_t {
  never,
  always,
  by_method,  // upgrade: interactive setup and console-initiated secondaries need a person
};

// Which part of the twin's simulation carries out the kind (twin/world.h).
enum class TwinPart : uint8_t { site, host, upgrade, clients };

struct KindRow {
  Kind kind;
  std::string_view name;  // as in step ids and plan files
  Scope scope;
  Manual manual;
  bool planned;                               // the planner emits it: one of plan.md's kinds
  Cost estimate;                              // the default estimate (estimates.h; docs/plan.md explains each)
  Instructions (*instructions)(const Step&);  // the runbook's text (instructions.h)
  TwinPart twin;
  // Found running after a crash, it may simply run again: it changes nothing
  // on the hosts or only checks (a shell driver still asks HOSTS.yaml).
  bool rerun_safe;
};

// Every row, in the order of plan.md's table (then the twin's own kinds).
std::span<const KindRow> kind_table();
const KindRow& row(Kind k);
std::string_view name(Kind k);
// The row of a kind name; nullptr for a name no row has.
const KindRow* find_kind(std::string_view name);
std::optional<Kind> kind_of(std::string_view name);
// True when the step's kind is k.
bool is(const Step& s, Kind k);

}  // namespace smsup::plan
