// `smsup report`: the campaign as one self-contained HTML file (src/web).
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/report.h"
#include "util/output_file.h"
#include "web/report.h"

namespace smsup::cli {

int run_report(const ReportOptions& o, Output& out) {
  require_range("--days", o.sources.days, 1, 3650);
  web::Sources s = o.sources;
  if (out.err_terminal) s.progress = &out.err;
  web::Loaded d;
  web::load(s, d);
  std::string html = web::render_page(d.inputs);
  write_output_file(o.output, "-o", html);
  fmt::print(out.out, "smsup report: wrote {} ({:.1f} MB)\n", o.output, static_cast<double>(html.size()) / 1e6);
  return 0;
}

void register_report(CLI::App& app, Status& status) {
  auto [sub, o] = add_verb(app, status, "report",
                           "The campaign as ONE self-contained HTML file (readiness, hierarchy tree, Gantt chart, "
                           "rehearsal, client curve, completion evidence, ETA) to open, mail or print",
                           run_report);
  auto& s = o->sources;
  sub->add_option("--inventory", s.inventory, "the inventory YAML (default: the one the plan names, if readable)");
  sub->add_option("--plan", s.plan, "the plan file (default: the one the journal is bound to)");
  sub->add_option("--rehearsal", s.rehearsal, "a rehearsal as JSON (smsup rehearse PLAN --format json)");
  sub->add_option("--journal", s.journal, "the journal of a run (smsup apply): actual timeline, states and ETA");
  sub->add_option("--logs", s.logs,
                  "folder of the sites' logs, laid out as the twin writes them (<folder>/<site server>/C); "
                  "default: <journal>.twin when it exists");
  sub->add_option("--as-of", s.as_of,
                  "reference date of the readiness rules, YYYY-MM-DD (default: the plan's, else today)");
  sub->add_option("--days", s.days, "days of the client forecast when there is no rehearsal (1 to 3650)")
      ->capture_default_str();
  sub->add_option("-o,--output", o->output, "the HTML file to write, e.g. REPORT.html")->required();
}

}  // namespace smsup::cli
