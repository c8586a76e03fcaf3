// `smsup demo`, stage report: the whole demo as one HTML file
// (demo-out/report.html), and the command that serves the apply's journal live.
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fstream>

#include "cli/demo.h"
#include "web/load.h"
#include "web/report.h"

namespace smsup::cli {

namespace fs = std::filesystem;

int demo_report(const DemoContext& ctx, Output& out) {
  web::Sources s;
  s.inventory = ctx.example.string();
  s.as_of = ctx.as_of;
  if (fs::exists(ctx.out / "plan.json")) s.plan = (ctx.out / "plan.json").string();
  if (fs::exists(ctx.out / "rehearsal.json")) s.rehearsal = (ctx.out / "rehearsal.json").string();
  if (fs::exists(ctx.out / "apply-journal.db")) s.journal = (ctx.out / "apply-journal.db").string();
  auto html_path = ctx.out / "report.html";
  fmt::print(out.out, "$ smsup report --inventory {}{}{}{} --as-of {} -o {}\n", s.inventory,
             s.plan.empty() ? "" : " --plan " + s.plan, s.rehearsal.empty() ? "" : " --rehearsal " + s.rehearsal,
             s.journal.empty() ? "" : " --journal " + s.journal, s.as_of, html_path.string());
  web::Loaded d;
  web::load(s, d);
  std::string html = web::render_page(d.inputs);
  std::ofstream(html_path, std::ios::binary | std::ios::trunc) << html;
  fmt::print(out.out,
             "Wrote {} ({:.1f} MB): readiness, the hierarchy, the plan's Gantt chart against the apply's "
             "timeline, the rehearsal, the client curve and each site's completion evidence, in one file "
             "that loads nothing (open it in a browser, mail it, print it).\n",
             html_path.string(), static_cast<double>(html.size()) / 1e6);
  if (!s.journal.empty()) {
    fmt::print(out.out,
               "\nTo watch and steer the run live (confirm, mark failed, retry), serve its journal:\n"
               "  smsup serve --journal {}\nand open http://127.0.0.1:8040/\n",
               s.journal);
  }
  return html.size() > 0 && d.inputs.plan ? 0 : 1;
}

}  // namespace smsup::cli
