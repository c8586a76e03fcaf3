// smsup check INVENTORY: the readiness report (shared/spec/rules.md).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/verbs.h"
#include "inventory/inventory.h"
#include "report/check_report.h"
#include "rules/finding.h"
#include "util/output_file.h"

namespace smsup::cli {
namespace {

struct CheckArgs {
  std::string inventory;
  std::string format = "text";
  std::string output;
  std::string as_of;
  bool with_os_sp1 = false;
};

Date today() { return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()); }

void write_report(std::ostream& out, const CheckArgs& a, const Hierarchy& h, const rules::Report& r,
                  const std::string& as_of, bool color) {
  if (a.format == "json") {
    report::write_check_json(out, h, r);
  } else if (a.format == "junit") {
    report::write_check_junit(out, h, r);
  } else {
    report::write_check_text(out, h, r, report::TextStyle{color, 5, as_of});
  }
}

// Whole or not at all, and never by renaming over a device (util/output_file.h).
void write_file(const std::string& path, const CheckArgs& a, const Hierarchy& h,
                const rules::Report& r, const std::string& as_of) {
  std::ostringstream out;
  write_report(out, a, h, r, as_of, false);
  write_output_file(path, "-o", out.str());
}

int run_check(const CheckArgs& a) {
  rules::Options opts;
  opts.with_os_sp1 = a.with_os_sp1;
  opts.as_of = today();
  if (!a.as_of.empty()) {
    auto d = parse_date(a.as_of);
    if (!d) throw InputError({}, "--as-of", "'" + a.as_of + "' is not a date; expected YYYY-MM-DD");
    opts.as_of = *d;
  }
  std::string as_of = to_string(opts.as_of);
  Hierarchy h = inventory::load(a.inventory);
  rules::Report r = rules::evaluate(h, opts);
  if (a.output.empty() || a.output == "-") {
    std::ios::sync_with_stdio(false);
    write_report(std::cout, a, h, r, as_of, a.format == "text" && use_color());
    std::cout.flush();
  } else {
    write_file(a.output, a, h, r, as_of);
    std::cerr << "smsup check: wrote " << a.output << " (" << (r.ready() ? "ready" : "not ready")
              << ": " << r.count(rules::Gravity::blocker) << " blocker(s))\n";
  }
  return r.ready() ? 0 : 1;
}

}  // namespace

void register_check(CLI::App& app, Status& status) {
  auto args = std::make_shared<CheckArgs>();
  auto* sub = app.add_subcommand(
      "check",
      "Readiness report: every rule of the SP2 upgrade checklist on every site, site system, "
      "console and client.\nExit status: 0 no blocker, 1 blockers, 2 bad input.");
  sub->add_option("INVENTORY", args->inventory, "the inventory YAML (smsup-inventory/1)")
      ->required();
  sub->add_option("--format", args->format, "text (default, for people), json or junit")
      ->check(CLI::IsMember({"text", "json", "junit"}));
  sub->add_option("-o,--output", args->output, "write the report to FILE instead of stdout");
  sub->add_option("--as-of", args->as_of,
                  "reference date for the age of backups, YYYY-MM-DD (default: today)");
  sub->add_flag("--with-os-sp1", args->with_os_sp1,
                "also apply the Windows Server 2003 SP1 rules to Windows Server 2003 hosts the "
                "plan moves to SP1");
  sub->callback([args, &status] { status.code = run_check(*args); });
}

}  // namespace smsup::cli
