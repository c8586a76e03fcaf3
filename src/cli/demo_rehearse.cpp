// `smsup demo` stage: rehearse the example's plan on a fresh twin, then again
// with an injected fault, showing the recovery.
#include <fstream>
#include <filesystem>
#include <fmt/format.h>

#include <fmt/ostream.h>

#include "cli/demo.h"
#include "cli/twin_dir.h"
#include "inventory/inventory.h"
#include "plan/plan.h"
#include "plan/step_kinds.h"
#include "sitedb/sqlite_site_databases.h"
#include "twin/file_sink.h"
#include "twin/rehearsal.h"
#include "util/error.h"

#include "plan/planner.h"

namespace smsup::cli {
namespace {

namespace fs = std::filesystem;

// The plan the demo's plan stage wrote, or one made here with every blocker
// waived (the example carries blockers on purpose).
std::optional<plan::Plan> demo_plan_of(const DemoContext& ctx, const Hierarchy& h) {
  fs::path written = ctx.out / "plan.json";
  if (fs::exists(written)) return plan::load(written.string());
  plan::Options o;
  o.as_of = ctx.as_of;
  for (int round = 0; round < 3; ++round) {
    try {
      plan::Plan p = plan::plan_hierarchy(h, o);
      p.inventory = ctx.example.string();
      p.inventory_sha256 = h.sha256;
      return p;
    } catch (const plan::Refused& r) {
      for (const auto& f : r.blockers()) o.waived.emplace_back(f.rule);
    }
  }
  return std::nullopt;
}

twin::Rehearsal rehearse_into(const plan::Plan& p, const Hierarchy& h, const fs::path& dir, const std::string& faults,
                              bool recover, twin::Twin*& keep, std::unique_ptr<twin::Twin>& holder, Output& out) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  fs::create_directories(dir);
  twin::TwinOptions o;
  o.faults = twin::parse_faults(faults);
  holder = std::make_unique<twin::Twin>(twin::Twin::from(h, o));
  keep = holder.get();
  twin::FileLogSink sink(dir);
  holder->set_log_sink(&sink);
  sitedb::SqliteSiteDatabases dbs(dir / sitedb::kSiteDatabasesDir, o.seed);
  attach_with_progress(*holder, dbs, out);
  twin::RehearseOptions ro;
  ro.recover = recover;
  ro.days = 7;
  auto r = twin::rehearse(p, *holder, ro);
  sink.flush();
  holder->set_log_sink(nullptr);
  holder->attach_databases(nullptr);
  return r;
}

}  // namespace

int demo_rehearse(const DemoContext& ctx, Output& out) {
  Hierarchy h = inventory::load(ctx.example.string());
  auto p = demo_plan_of(ctx, h);
  if (!p) {
    fmt::print(out.out, "The planner refused the example even with its blockers waived: nothing to rehearse.\n");
    return 1;
  }
  twin::Twin* t = nullptr;
  std::unique_ptr<twin::Twin> holder;
  fmt::print(out.out, "1. The plan on a fresh twin of {} (logs in {}):\n\n", h.name.c_str(),
             (ctx.out / "twin").c_str());
  auto r1 = rehearse_into(*p, h, ctx.out / "twin", "", false, t, holder, out);
  out.out << (to_text(r1, *t, *p).c_str());

  // The fault: the database step of the first primary child site's upgrade.
  std::string victim;
  for (const auto& s : p->steps) {
    int i = h.find_site(s.site);
    if (plan::is(s, plan::Kind::upgrade) && i >= 0 && h.sites[static_cast<size_t>(i)].is_primary() &&
        !h.sites[static_cast<size_t>(i)].is_central()) {
      victim = s.site;
      break;
    }
  }
  if (victim.empty()) return 0;
  std::string fault = "upgrade@" + victim + "=fail";
  fmt::print(out.out,
             "\n2. Again with --faults {} --recover: setup fails in {}'s database step, the site is\n"
             "   restored from the backup the plan took, and the upgrade runs again:\n\n",
             fault.c_str(), victim.c_str());
  auto r2 = rehearse_into(*p, h, ctx.out / "twin-fault", fault, true, t, holder, out);
  bool recovered = false;
  for (const auto& s : r2.steps) {
    if (s.id == victim + "/upgrade") {
      fmt::print(out.out, "  {}: {} after {} attempt(s); {}\n", s.id.c_str(), s.status.c_str(), s.attempts,
                 s.recovery.empty() ? "no recovery needed" : s.recovery.c_str());
      recovered = s.status == "ok" && s.attempts == 2;
    }
  }
  // The faulty run, recovered, for the report stage (smsup report --rehearsal).
  std::ofstream(ctx.out / "rehearsal.json", std::ios::binary | std::ios::trunc) << to_json(r2, *t, *p).dump(1) << "\n";
  fmt::print(out.out, "  result: {}; same outcome as without the fault: {}\n",
             r2.fully_upgraded ? "fully upgraded" : "not fully upgraded",
             r2.fully_upgraded == r1.fully_upgraded ? "yes" : "no");
  return recovered ? 0 : 1;
}

}  // namespace smsup::cli
