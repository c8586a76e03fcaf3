// `smsup report`: the campaign as one self-contained HTML file (src/web).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/verbs.h"
#include "util/error.h"
#include "web/load.h"
#include "web/report.h"
#include "util/output_file.h"

namespace smsup::cli {

namespace fs = std::filesystem;

struct ReportOptions {
  web::Sources sources;
  std::string output;
};

int run_report(const ReportOptions& o, std::FILE* out) {
  web::Sources s = o.sources;
  s.progress = isatty(STDERR_FILENO) != 0;
  web::Loaded d;
  web::load(s, d);
  std::string html = web::render_page(d.inputs);
  write_output_file(o.output, "-o", html);
  std::fprintf(out, "smsup report: wrote %s (%.1f MB)\n", o.output.c_str(), static_cast<double>(html.size()) / 1e6);
  return 0;
}

void register_report(CLI::App& app, Status& status) {
  auto o = std::make_shared<ReportOptions>();
  auto& s = o->sources;
  auto* sub = app.add_subcommand(
      "report",
      "The campaign as ONE self-contained HTML file (readiness, hierarchy tree, Gantt chart, "
      "rehearsal, client curve, completion evidence, ETA) to open, mail or print");
  sub->add_option("--inventory", s.inventory, "the inventory YAML (default: the one the plan names, if readable)");
  sub->add_option("--plan", s.plan, "the plan file (default: the one the journal is bound to)");
  sub->add_option("--rehearsal", s.rehearsal, "a rehearsal as JSON (smsup rehearse PLAN --format json)");
  sub->add_option("--journal", s.journal, "the journal of a run (smsup apply): actual timeline, states and ETA");
  sub->add_option("--logs", s.logs,
                  "folder of the sites' logs, laid out as the twin writes them (<folder>/<site server>/C); "
                  "default: <journal>.twin when it exists");
  sub->add_option("--as-of", s.as_of, "reference date of the readiness rules, YYYY-MM-DD (default: the plan's, else today)");
  sub->add_option("--days", s.days, "days of the client forecast when there is no rehearsal")
      ->capture_default_str()
      ->check(CLI::Range(1, 3650));
  sub->add_option("-o,--output", o->output, "the HTML file to write, e.g. REPORT.html")->required();
  sub->callback([o, &status] { status.code = run_report(*o, stdout); });
}

}  // namespace smsup::cli
