// What the twin keeps (shared/spec/twin.md, "What it keeps"): plain data,
// saved and loaded as a whole. The behaviour lives in the step and event
// handlers; this file only names things.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/client_fate.h"
#include "model/hierarchy.h"
#include "plan/plan.h"
#include "twin/vtime.h"

namespace smsup::twin {

// The client classification lives in the model, shared with the planner.
using ::smsup::ClientFate;

enum class SiteState { running, upgrading, settling, upgraded, failed, down };
std::string_view to_string(SiteState s);
std::optional<SiteState> parse_site_state(std::string_view s);

struct Backup {
  VTime time = 0;                          // kNever-free; negative: taken before the twin started
  bool with_replication = false;           // taken while replication was on (its copy cannot be tested)
  bool has_site_files = true;              // Backup SMS Site Server copies the SMS folder tree
  std::vector<std::string> foreign_files;  // the non-SMS files of that tree it copied
};

struct SiteDb {
  std::string server;
  std::string name;
  SqlVersion sql;
  bool replication = false;
  int64_t data_mb = 0;
  int64_t log_mb = 0;
  int64_t free_disk_mb = 0;
  bool autogrow = true;
  // What the SP2 upgrade really adds: the inventory's dbtest block when it
  // has one; else the site database's own migration when the twin has one
  // (site_databases.h); else the estimate (model/db_growth.h).
  int64_t growth_data_mb = 0;
  int64_t growth_log_mb = 0;
  std::string growth_from = "estimate";  // "inventory dbtest", "site database" or "estimate"
  // What the operator knows without a test: the disk rule's estimate.
  int64_t estimate_mb = 0;
  // Known to the operator: measured by a test (inventory or dbtest step).
  bool growth_measured = false;
  int64_t clients_held = 0;         // clients whose inventory it holds (own and below)
  std::string file;                 // the site database (SiteDatabases::where), "" without
  bool sp1_compatible = true;       // false after /testdbupgrade ran on the original
  std::vector<std::string> copies;  // tested copies "SQL02/SMS_CEN_TEST"
};

// The six milestones of shared/spec/logs.md, in order.
constexpr int kMilestones = 6;

struct TwinSite {
  std::string code;
  int parent = -1;
  bool primary = true;
  SmsLevel version = SmsLevel::sp1;
  SiteState state = SiteState::running;
  Method method = Method::interactive;
  bool drw_passed = false;
  int http_port = 80;
  bool client_auth = false;
  std::string install_dir = "C:\\SMS";
  std::string server;  // site server host
  std::optional<SiteDb> db;
  std::vector<Backup> backups;
  std::vector<std::string> foreign_files;
  std::vector<std::string> lost_files;
  std::vector<std::string> restored_files;  // lost, then copied back from a backup (rehearse --recover)
  // How old the last backup was when the (last) upgrade began; -1: none yet.
  VTime backup_age_at_upgrade = -1;
  // A same-server database test stops the SMS services and detaches the
  // database until then: no other step of the site may start before it.
  VTime services_down_until = 0;
  int systems = 1;
  int64_t clients = 0;
  // The upgrade in progress or done.
  VTime setup_start = kNever;
  VTime setup_end = kNever;
  VTime reinstall_start = kNever;  // the (last) start of component reinstallation
  int gen = 0;                     // bumps when activity restarts the reinstallation
  int reinstall_restarts = 0;
  std::array<VTime, kMilestones> milestones{kNever, kNever, kNever, kNever, kNever, kNever};
  bool verified = false;
  bool itmu = false;
  std::string failure;           // why the site is failed/down
  VTime expected_done = kNever;  // when the last milestone is due
  VTime ccim_ready_at = kNever;  // SP2 client files on the CAP: Legacy Clients can upgrade
  // What a restore from backup brings back.
  SmsLevel version_before = SmsLevel::sp1;
  std::optional<SiteDb> db_before;
};

enum class HostProblem : uint32_t {
  slp_dcom = 1u << 0,       // SLP lookups fail (IUSR lacks Local Launch/Activation)
  rp_dcom = 1u << 1,        // reports fail (SMS Reporting Users lack Local Launch/Activation)
  admins_dcom = 1u << 2,    // non-administrators cannot open the console
  remote_mp_997 = 1u << 3,  // site server reads the remote MP's registry with error 997
  mp_1603 = 1u << 4,        // MP setup failed with 1603 (client installed first)
};
std::string_view describe(HostProblem p);

struct TwinHost {
  std::string host;
  int site = -1;
  WinVersion os;
  uint32_t roles = 0;
  uint32_t dcom_fixed = 0;
  uint32_t firewall_exceptions = 0;
  bool firewall = false;
  bool scw = false;
  bool service_account = true;
  bool sms_client_installed = false;
  bool kb906570 = false;
  bool sp1_grouped = false;        // moved to SP1 in one group with its site server
  std::vector<std::string> fixes;  // step kinds applied, for the report
  uint32_t problems = 0;           // HostProblem bits
  bool has(Role r) const { return (roles & static_cast<uint32_t>(r)) != 0; }
  bool fixed(DcomFix f) const { return (dcom_fixed & static_cast<uint32_t>(f)) != 0; }
};

struct TwinConsole {
  std::string host;
  int site = -1;
  SmsLevel version = SmsLevel::sp1;
  // The console's computer; an unknown OS or firewall is taken as no firewall.
  WinVersion os{WinFamily::xp, 0};
  bool firewall = false;
  uint32_t firewall_exceptions = 0;  // FirewallException bits
  bool firewalled() const { return firewall && w2003_sp1(os); }
  bool allows(FirewallException e) const {
    return !firewalled() || (firewall_exceptions & static_cast<uint32_t>(e)) != 0;
  }
};

// Clients that behave alike, simulated together (see campaign.h).
struct Cohort {
  int32_t site = -1;
  ClientKind kind = ClientKind::advanced;
  ClientFate fate = ClientFate::push;
  SmsLevel version = SmsLevel::sp1;
  int16_t cycle_h = 0;  // CCIM period: 25 (SMS 2003) or 23 (SMS 2.0); 0 none
  int16_t phase_h = 0;  // hour of the cycle at which this cohort's CCIM runs
  int32_t http_port = 80;
  int32_t from_site = -1;  // site it was reassigned from, -1 none
  bool cut_off = false;    // its HTTP port no longer reaches its site
  bool rejected = false;   // heartbeats and inventory rejected (moved off client auth/encryption)
  // Windows Firewall on a Windows Server 2003 SP1 client without File and
  // Printer Sharing: Client Push Installation fails on it. Unknown counts as off.
  bool push_blocked = false;
  int64_t count = 0;
  int64_t upgraded = 0;   // reached SP2 so far
  int64_t scheduled = 0;  // upgrades scheduled (batches) so far
};

// Clients of a cohort that reach SP2 at one instant.
struct Batch {
  int32_t cohort = -1;
  int64_t count = 0;
  VTime time = 0;
  bool applied = false;
};

// One run of a plan step on the twin.
struct StepRun {
  plan::Step step;
  int site = -1;
  int attempt = 1;
  bool ok = false;
  bool hung = false;
  bool finished = false;  // its end event has been processed
  std::string message;
  VTime start = 0;
  VTime end = 0;
};

}  // namespace smsup::twin
