// `smsup show PLAN`: the runbook (Markdown), the JSON with its schedule, a
// Graphviz graph, or a text Gantt chart.
#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/plan.h"
#include "plan/plan.h"
#include "plan/render.h"
#include "plan/schedule.h"
#include "util/error.h"
#include "util/output_file.h"

namespace smsup::cli {

int run_show(const ShowOptions& a, Output& out) {
  require_one_of("--format", a.format, {"md", "json", "dot", "gantt"});
  require_range("--width", a.width, 10, 400);
  auto p = plan::load(a.plan);
  plan::Schedule s;
  try {
    s = plan::schedule(p);
  } catch (const std::invalid_argument& e) {
    throw InputError({a.plan, 0, 0}, "steps", e.what());
  }
  std::string text;
  if (a.format == "md")
    text = plan::render_markdown(p, s);
  else if (a.format == "json")
    text = plan::render_json(p, s);
  else if (a.format == "dot")
    text = plan::render_dot(p, s);
  else
    text = plan::render_gantt(p, s, a.width);
  if (a.out.empty()) {
    out.out << text;
    return 0;
  }
  write_output_file(a.out, "-o", text);
  return 0;
}

void register_show(CLI::App& app, Status& status) {
  auto [sub, a] =
      add_verb(app, status, "show", "Show a plan: runbook (md), json, Graphviz (dot) or Gantt chart", run_show);
  sub->add_option("plan", a->plan, "Plan file written by smsup plan")->required();
  sub->add_option("--format", a->format, "md (runbook), json, dot or gantt")->capture_default_str();
  sub->add_option("-o,--out", a->out, "Write to this file instead of standard output");
  sub->add_option("--width", a->width, "Columns of the Gantt timeline (10 to 400)")->capture_default_str();
}

}  // namespace smsup::cli
