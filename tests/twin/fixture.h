// A small hierarchy (CEN -> PR1 -> SEC secondary), clients and plans built by
// hand in the step kinds and ids of shared/spec/plan.md.
#pragma once

#include <string>
#include <vector>

#include "model/hierarchy.h"
#include "plan/plan.h"
#include "twin/log_sink.h"
#include "twin/twin.h"

namespace smsup::twin::test {

// CEN (primary, SP1, W2003 SP1 fixed), PR1 (primary child, SP1, W2003 RTM,
// remote MP under the computer account), SEC (secondary under PR1, W2000 SP4).
Hierarchy small_hierarchy();
Site& site(Hierarchy& h, std::string_view code);
SiteSystem& system(Hierarchy& h, std::string_view host);
// Adds n clients to a site.
void add_clients(Hierarchy& h, std::string_view site, int n, ClientKind kind, WinFamily os, int os_sp, SmsLevel version,
                 const std::string& prefix, bool autoupgrade_disabled = false);

plan::Step step(const std::string& site, const std::string& kind, std::vector<std::string> after = {},
                const std::string& object = "");
// The plan.md order for every site top-down: backup, dbtest, disk-check, drw
// (secondary / RTM), upgrade, settle, verify, console-upgrade, legacy-autoupgrade,
// advanced-push; then itmu.
plan::Plan straight_plan(const Hierarchy& h);

// Runs steps one after the other (as apply would).
std::vector<StepResult> run_all(Twin& t, const std::vector<plan::Step>& steps);
// The path of a site server's log in the sink.
std::string log_path(const Hierarchy& h, std::string_view site, std::string_view log);
std::string setup_path(std::string_view host);
bool any_line(const MemoryLogSink& s, const std::string& path, std::string_view needle);

}  // namespace smsup::twin::test
