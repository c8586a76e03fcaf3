// `smsup status`: what a journal says about a run, for people (text) and
// programs (JSON, format smsup-status/1). Reads only; safe while apply runs.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "run/journal.h"

namespace smsup::run {

nlohmann::json status_json(const Journal& j);
// Every step that is not pending or succeeded, or every step with `all`.
std::string status_text(const Journal& j, bool all, bool color);
// Every event (state changes, lease takeovers), oldest first: when, step,
// state, by what (executor, driver, probe, confirm, retry, lease), who and
// from which host, and the detail. JSON: format smsup-events/1.
nlohmann::json events_json(const Journal& j);
std::string events_text(const Journal& j);
// 0 when every step succeeded, 1 otherwise.
int status_code(const Journal& j);

}  // namespace smsup::run
