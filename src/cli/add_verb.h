// add_verb(): the one place a verb is added to the command line (see
// cli/verbs.h for the shape every verb has). Included by the files that
// declare options; it brings in CLI11.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <utility>

#include "cli/output.h"
#include "cli/verbs.h"

namespace smsup::cli {

// The shape of every verb: adds `name` under `parent` with a fresh Options
// struct for register_<verb> to declare its options into; when the verb is
// run, its exit status is run(options, standard_output()).
template <typename Options>
std::pair<CLI::App*, std::shared_ptr<Options>> add_verb(CLI::App& parent, Status& status, const std::string& name,
                                                        const std::string& help, int (*run)(const Options&, Output&)) {
  auto o = std::make_shared<Options>();
  auto* sub = parent.add_subcommand(name, help);
  sub->callback([o, run, &status] { status.code = run(*o, standard_output()); });
  return {sub, o};
}

}  // namespace smsup::cli
