// `smsup status`: what a journal says about a run, for people (text) and
// programs (JSON, format smsup-status/1). Reads only; safe while apply runs.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "run/eta.h"
#include "run/journal.h"

namespace smsup::run {

// What status shows of a journal besides its steps: its plan's facts (fixed
// once bound) and the apply holding its lease.
struct StatusHead {
  std::string plan_path, plan_digest, hierarchy, target, created;
  std::optional<LockHolder> holder;
};
// The plan's facts and the holder, read from the journal.
StatusHead read_head(const Journal& j);
// The plan's facts only (holder left empty).
StatusHead read_head_facts(const Journal& j);

// What one look at a journal shows. The steps are read from the journal
// once, by the caller, and everything below is computed from that one read
// (a `status` of a 2,000-step PostgreSQL journal read them three times, and
// serve four times at every change).
struct StatusRead {
  std::vector<JournalStep> steps;
  std::optional<Eta> eta;  // nullopt: the plan file cannot be read
  StatusHead head;
};
// The steps, the ETA from them and the journal's plan, and the head.
StatusRead read_status(const Journal& j);

// `j` gives only its name (shown(), spec()): nothing is read from it.
nlohmann::json status_json(const Journal& j, const StatusHead& head, const std::vector<JournalStep>& steps,
                           const std::optional<Eta>& eta);
// Every step that is not pending or succeeded, or every step with `all`.
std::string status_text(const Journal& j, const StatusHead& head, const std::vector<JournalStep>& steps,
                        const std::optional<Eta>& eta, bool all, bool color);
// The same, with the head read from `j`.
nlohmann::json status_json(const Journal& j, const std::vector<JournalStep>& steps, const std::optional<Eta>& eta);
std::string status_text(const Journal& j, const std::vector<JournalStep>& steps, const std::optional<Eta>& eta,
                        bool all, bool color);
// Every event (state changes, lease takeovers), oldest first: when, step,
// state, by what (executor, driver, probe, confirm, retry, lease), who and
// from which host, and the detail. JSON: format smsup-events/1.
nlohmann::json events_json(const Journal& j);
std::string events_text(const Journal& j);
// 0 when every step succeeded, 1 otherwise.
int status_code(const std::vector<JournalStep>& steps);

}  // namespace smsup::run
