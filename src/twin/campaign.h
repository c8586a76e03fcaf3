// The client campaign: what each client will do once its site is SP2, in the
// checklist's terms, and the cohorts the twin simulates them as.
//
// Why cohorts: a million clients times thirty days of 25-hour CCIM cycles is
// ~30 million client-cycles. Clients that share a site, kind, fate, version,
// HTTP port, reassignment and CCIM phase (the hour of the cycle their CCIM
// runs at) behave identically, so the twin keeps one Cohort per such group and
// computes when it reaches SP2 with arithmetic: the first cycle instant after
// the site's client files are on the CAP is phase + k * period. A cohort's
// upgrade is one event; a push is one event per cohort per hour of pushing.
// The naive mode (one event per client per cycle) gives the same counts and is
// kept as the benchmark's baseline and as a test oracle.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/hierarchy.h"
#include "twin/state.h"

namespace smsup::twin {

// CCIM period in hours: 23 for SMS 2.0 clients, 25 for SMS 2003 clients.
int ccim_period_h(SmsLevel v);
// The hour of the cycle at which this client's CCIM runs (deterministic per seed).
int ccim_phase_h(std::string_view name, uint64_t seed, int period_h);
// First CCIM instant strictly after `ready` for a cohort with this phase and period.
VTime next_cycle(VTime ready, int phase_h, int period_h);

// Groups h's clients into cohorts. `client_cohort`, when given, receives each
// client's cohort index (naive mode). Planned reassignments (reassign_to) are
// taken as done when the campaign starts: the cohort belongs to the new site
// and remembers where it came from.
std::vector<Cohort> build_cohorts(const Hierarchy& h, uint64_t seed, std::vector<int32_t>* client_cohort = nullptr);

}  // namespace smsup::twin
