// add_verb(): the one place a verb is added to the command line (see
// cli/verbs.h for the shape every verb has). Included by the files that
// declare options; it brings in CLI11.
#pragma once

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
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

// For an unsigned 64-bit option (a seed): CLI11 (2.1) reads "-1" as
// 2^64-1 and a number past 2^64 as 2^64-1, both silently; the text is
// checked first, so a seed given is the seed used.
inline CLI::Validator whole_number_u64() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
          return "'" + text + "' is not a whole number from 0 to 18446744073709551615";
        return {};
      },
      "", "whole number");
}

}  // namespace smsup::cli
