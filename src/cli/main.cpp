// smsup: the SMS 2003 SP2 upgrade checklist as software.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "cli/verbs.h"
#include "util/closest.h"
#include "util/error.h"

namespace smsup::cli {

bool use_color() { return isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr; }

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
    if (!at->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty())
      return std::nullopt;
    std::string where = at == &app ? "" : at->get_name() + " ";
    if (auto near = closest(word, names)) return fmt::format("'{}{}' is not a verb; did you mean '{}'?", where, word, *near);
    return fmt::format("'{}{}' is not a verb; run smsup {}--help for the list", where, word, where);
  }
  return std::nullopt;
}

}  // namespace
}  // namespace smsup::cli

int main(int argc, char** argv) {
  using namespace smsup::cli;
  CLI::App app{
      "smsup: plan, rehearse, run and verify the upgrade of an SMS 2003 hierarchy to SP2.\n"
      "Exit status: 0 done and fine, 1 done and not fine, 2 could not do it.",
      "smsup"};
  app.set_version_flag("--version", std::string("smsup ") + SMSUP_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);
  Status status;
  register_check(app, status);
  register_plan(app, status);
  register_show(app, status);
  register_rehearse(app, status);
  register_apply(app, status);
  register_verify(app, status);
  register_logs(app, status);
  register_dbtest(app, status);
  register_clients(app, status);
  register_twin(app, status);
  register_demo(app, status);
  register_inventory(app, status);
  register_report(app, status);
  register_serve(app, status);
  register_journal(app, status);
  if (auto bad = unknown_verb(app, argc, argv)) {
    std::fprintf(stderr, "smsup: %s\n", bad->c_str());
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
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const smsup::InputError& e) {
    std::fprintf(stderr, "smsup: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "smsup: %s\n", e.what());
    return 2;
  }
  return status.code;
}
