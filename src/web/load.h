// Reading what `smsup report` and `smsup serve` show: the files the options
// name, checked, with the readiness rules run on the inventory and the client
// forecast made when there is no rehearsal.
#pragma once

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "web/report.h"

namespace smsup::web {

struct Sources {
  std::string inventory, plan, rehearsal, journal, as_of, logs;
  int days = 14;                     // client forecast, without a rehearsal
  std::ostream* progress = nullptr;  // where to say what is being read (none: quiet)
};

struct Loaded {
  std::optional<Hierarchy> hierarchy;
  std::optional<rules::Report> readiness;
  std::optional<plan::Plan> plan;
  std::optional<nlohmann::json> rehearsal;
  std::map<std::string, double> rehearsal_min;  // step durations of the rehearsal
  std::optional<std::vector<run::JournalStep>> journal;
  std::optional<run::Eta> eta;
  std::optional<std::vector<Evidence>> evidence;
  std::optional<std::vector<std::array<int64_t, 2>>> client_days;
  std::string logs;  // the folder evidence is read from, "" for none
  Inputs inputs;     // points into the members above: do not copy a Loaded
  Loaded() = default;
  Loaded(const Loaded&) = delete;
  Loaded& operator=(const Loaded&) = delete;
};

// Reads everything; InputError (file, line, option) on bad input, or when
// nothing at all is given.
void load(const Sources& s, Loaded& out);

}  // namespace smsup::web
