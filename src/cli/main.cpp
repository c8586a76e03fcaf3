// smsup: the SMS 2003 SP2 upgrade checklist as software.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "cli/verbs.h"
#include "util/error.h"

namespace smsup::cli {

bool use_color() { return isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr; }

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
