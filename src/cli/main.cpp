// smsup: the SMS 2003 SP2 upgrade checklist as software.
// Everything else is the library smsup_cli (verbs.h): this file turns the
// command line into one verb's run and its outcome into the exit status.
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/add_verb.h"
#include "util/checked_output.h"
#include "util/closest.h"
#include "util/error.h"
#include "util/printable.h"

namespace smsup::cli {

namespace {

// The first word of the command line that should name a verb (or a verb of
// a verb, as in `logs grep`) and names none, with the nearest verb: CLI11
// alone says only that the argument was not expected.
std::optional<std::string> unknown_verb(const CLI::App& app, int argc, char** argv) {
  const CLI::App* at = &app;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word.empty() || word[0] == '-') return std::nullopt;  // an option: CLI11 judges it
    auto subs = at->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) return std::nullopt;
    std::vector<std::string> names;
    const CLI::App* next = nullptr;
    for (const auto* s : subs) {
      if (s->check_name(word)) next = s;
      if (!s->get_group().empty()) names.push_back(s->get_name());  // hidden verbs are not suggested
    }
    if (next != nullptr) {
      at = next;
      continue;
    }
    // A word where a positional argument may stand is not a verb.
    if (!at->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty()) return std::nullopt;
    std::string where = at == &app ? "" : at->get_name() + " ";
    if (auto near = closest(word, names))
      return fmt::format("'{}{}' is not a verb; did you mean '{}'?", where, word, *near);
    return fmt::format("'{}{}' is not a verb; run smsup {}--help for the list", where, word, where);
  }
  return std::nullopt;
}

// The verbs the command line selected, the application first.
std::vector<const CLI::App*> selected(const CLI::App& app) {
  std::vector<const CLI::App*> chain{&app};
  while (true) {
    auto subs = chain.back()->get_subcommands();
    if (subs.empty()) break;
    chain.push_back(subs.back());
  }
  return chain;
}

// "logs grep " for the chain [smsup, logs, grep].
std::string verb_words(const std::vector<const CLI::App*>& chain) {
  std::string verb;
  for (size_t i = 1; i < chain.size(); ++i) verb += chain[i]->get_name() + " ";
  return verb;
}

// The first option on the command line that the selected verb does not have,
// with the nearest one it has: CLI11 says only "--waiv was not expected", or,
// when the option was meant to give a required one, that the required one
// is missing.
std::optional<std::string> unknown_option(const CLI::App& app, int argc, char** argv) {
  auto chain = selected(app);
  std::vector<std::string> names;
  for (const auto* at : chain) {
    for (const auto* o : at->get_options()) {
      for (const auto& l : o->get_lnames()) names.push_back("--" + l);
      for (const auto& n : o->get_snames()) names.push_back("-" + n);
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string_view word = argv[i];
    if (word == "--") break;
    // Not an option: a word, a lone dash, or a negative number.
    if (word.size() < 2 || word[0] != '-' || (word[1] >= '0' && word[1] <= '9')) continue;
    std::string name(word.substr(0, word.find('=')));
    if (name.size() > 2 && name[1] != '-') name = name.substr(0, 2);  // -ofile: the option -o
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    std::string verb = verb_words(chain);
    std::string of = verb.empty() ? "smsup" : verb.substr(0, verb.size() - 1);
    if (auto near = smsup::closest(name, names))
      return fmt::format("'{}' is not an option of {}; did you mean '{}'?", name, of, *near);
    return fmt::format("'{}' is not an option of {}; see smsup {}--help", name, of, verb);
  }
  return std::nullopt;
}

// CLI11 says "Could not convert: --sites = 1e99" and nothing of what the
// option takes: say which option, the value given and the option's own help
// line (which gives its range), as for any other bad value.
std::optional<std::string> conversion_message(const CLI::App& app, const CLI::ConversionError& e) {
  static constexpr std::string_view kHead = "Could not convert: ";
  std::string_view what = e.what();
  if (!what.starts_with(kHead)) return std::nullopt;
  what.remove_prefix(kHead.size());
  auto eq = what.find(" = ");
  if (eq == std::string_view::npos) return std::nullopt;
  std::string name(what.substr(0, eq)), value(what.substr(eq + 3));
  auto chain = selected(app);
  std::string verb = verb_words(chain);
  for (auto at = chain.rbegin(); at != chain.rend(); ++at) {
    for (const auto* o : (*at)->get_options()) {
      if (o->get_name() != name) continue;
      return fmt::format("{}: '{}' is not a value it takes ({}); see smsup {}--help", name, value, o->get_description(),
                         verb);
    }
  }
  return fmt::format("{}: '{}' is not a value it takes; see smsup {}--help", name, value, verb);
}

// CLI11 names a missing required option by one spelling ("--out is
// required"), which need not be the one the documents use (-o): name every
// spelling the user can type, and the verb's --help.
std::optional<std::string> missing_option(const CLI::App& app, const CLI::RequiredError& e) {
  static constexpr std::string_view kTail = " is required";
  std::string_view what = e.what();
  if (!what.ends_with(kTail)) return std::nullopt;
  std::string name(what.substr(0, what.size() - kTail.size()));
  auto chain = selected(app);
  std::string verb = verb_words(chain);
  for (auto at = chain.rbegin(); at != chain.rend(); ++at) {
    for (const auto* o : (*at)->get_options()) {
      if (o->get_positional() || o->get_name() != name) continue;
      std::string all = o->get_name(false, true);
      for (auto& c : all) {
        if (c == ',') c = '/';
      }
      return fmt::format("{} is required; see smsup {}--help", all, verb);
    }
  }
  return std::nullopt;
}

// The exit status once the verb has run: its own, unless what it wrote to
// standard output never arrived (a full disk, a pipe closed under it), which
// is "could not do it", said on standard error.
int delivered(int code) {
  try {
    flush_checked(std::cout);
  } catch (const OutputError& e) {
    std::cerr << "smsup: " << e.what() << " (standard output)\n";
    return 2;
  }
  return code;
}

int run(int argc, char** argv) {
  // Every verb writes through std::cout and std::cerr (Output), never stdio;
  // std::cout through an FdOutput, which keeps the reason a write failed.
  // Never freed: std::cout is flushed at exit, after main's statics are gone.
  std::ios::sync_with_stdio(false);
  static auto* standard_out = new FdOutput(STDOUT_FILENO);
  std::cout.rdbuf(standard_out);
  CLI::App app{
      "smsup: plan, rehearse, run and verify the upgrade of an SMS 2003 hierarchy to SP2.\n"
      "Exit status: 0 done and fine, 1 done and not fine, 2 could not do it.",
      "smsup"};
  app.set_version_flag("--version", std::string("smsup ") + SMSUP_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);
  Status status;
  register_all(app, status);
  if (auto bad = unknown_verb(app, argc, argv)) {
    std::cerr << "smsup: " << *bad << "\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::RequiredError& e) {
    if (auto unknown = unknown_option(app, argc, argv)) {
      std::cerr << "smsup: " << *unknown << "\n";
      return 2;
    }
    if (auto named = missing_option(app, e)) {
      std::cerr << "smsup: " << *named << "\n";
      return 2;
    }
    app.exit(e);
    return 2;
  } catch (const CLI::ParseError& e) {
    if (auto unknown = unknown_option(app, argc, argv)) {
      std::cerr << "smsup: " << *unknown << "\n";
      return 2;
    }
    if (const auto* conversion = dynamic_cast<const CLI::ConversionError*>(&e)) {
      if (auto said = conversion_message(app, *conversion)) {
        std::cerr << "smsup: " << printable(*said) << "\n";
        return 2;
      }
    }
    if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr) {  // "--seed: '-5' is not ..." (cli/add_verb.h)
      std::cerr << "smsup: " << printable(e.what()) << "; see smsup " << verb_words(selected(app)) << "--help\n";
      return 2;
    }
    app.exit(e);
    return 2;
  } catch (const OutputError& e) {  // a long-running verb (a watch, a follow) whose output is gone
    std::cerr << "smsup: " << e.what() << " (standard output)\n";
    return 2;
  } catch (const std::exception& e) {  // smsup::InputError and the rest: one line, exit 2
    std::cout.flush();
    std::cerr << "smsup: " << e.what() << "\n";
    return 2;
  }
  return status.code;
}

}  // namespace
}  // namespace smsup::cli

int main(int argc, char** argv) { return smsup::cli::delivered(smsup::cli::run(argc, argv)); }
