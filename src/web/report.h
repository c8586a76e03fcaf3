// The campaign as one self-contained HTML document (`smsup report`) and the
// live page of `smsup serve`: readiness findings, the hierarchy as an SVG
// tree, the plan as an SVG Gantt chart, the rehearsal, the client adoption
// curve, each site's completion evidence and the ETA. Whatever inputs are
// given is shown; the rest is left out. All CSS, SVG and script inline; the
// page fetches nothing (its Content-Security-Policy says so). Pure text
// generation: the caller reads the inputs and writes the result.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/hierarchy.h"
#include "plan/plan.h"
#include "rules/finding.h"
#include "run/eta.h"
#include "run/journal.h"

namespace smsup::web {

// One site's completion evidence: the six milestones of docs/logs.md.
struct Evidence {
  std::string site, server;
  bool verified = false;
  bool logs_found = false;
  struct Milestone {
    std::string label, state, file, time;
    uint64_t line = 0;
  };
  std::array<Milestone, 6> milestones;
  std::vector<std::string> notes;
};

// Reads each site's logs where the twin writes them: <root>/<site server>/C.
// Sites whose folder is absent have logs_found = false.
std::vector<Evidence> collect_evidence(const Hierarchy& h, const std::filesystem::path& root);

struct Inputs {
  std::string title = "SMS 2003 SP2 upgrade";
  std::vector<std::string> sources;  // what was read, for the header
  const Hierarchy* hierarchy = nullptr;
  const rules::Report* readiness = nullptr;  // needs hierarchy
  std::string as_of;
  const plan::Plan* plan = nullptr;
  const nlohmann::json* rehearsal = nullptr;  // smsup-rehearsal/1
  const std::vector<run::JournalStep>* journal = nullptr;
  std::string journal_path;
  const run::Eta* eta = nullptr;
  const std::vector<Evidence>* evidence = nullptr;
  // Client adoption forecast by day when there is no rehearsal: [sp2, total].
  const std::vector<std::array<int64_t, 2>>* client_days = nullptr;
  double now = 0;  // Unix seconds
};

struct PageOptions {
  bool live = false;      // served by `smsup serve`: polls the API
  bool controls = false;  // confirm / mark failed / retry buttons (live only)
  std::string version;    // the journal's version the page shows (live only)
};

// The whole document.
std::string render_page(const Inputs& in, const PageOptions& opt = {});
// The parts of the page that change while a campaign runs (ETA, operations,
// tree, Gantt chart, evidence): what `serve` sends when the journal changed.
std::string render_live(const Inputs& in, const PageOptions& opt);

// Each site's state for the tree: ready, blocked, upgrading, waiting,
// verified, failed (or "unknown" when no input says).
std::map<std::string, std::string> site_states(const Inputs& in);

}  // namespace smsup::web
