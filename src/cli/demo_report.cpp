// `smsup demo`, stage report: the whole demo as one HTML file
// (demo-out/report.html), and the command that serves the apply's journal live.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/verbs.h"
#include "web/load.h"
#include "web/report.h"

namespace smsup::cli {

namespace fs = std::filesystem;

int demo_report(const DemoContext& ctx) {
  web::Sources s;
  s.inventory = ctx.example.string();
  s.as_of = ctx.as_of;
  if (fs::exists(ctx.out / "plan.json")) s.plan = (ctx.out / "plan.json").string();
  if (fs::exists(ctx.out / "rehearsal.json")) s.rehearsal = (ctx.out / "rehearsal.json").string();
  if (fs::exists(ctx.out / "apply-journal.db")) s.journal = (ctx.out / "apply-journal.db").string();
  auto html_path = ctx.out / "report.html";
  std::printf("$ smsup report --inventory %s%s%s%s --as-of %s -o %s\n", s.inventory.c_str(),
              s.plan.empty() ? "" : (" --plan " + s.plan).c_str(),
              s.rehearsal.empty() ? "" : (" --rehearsal " + s.rehearsal).c_str(),
              s.journal.empty() ? "" : (" --journal " + s.journal).c_str(), s.as_of.c_str(), html_path.c_str());
  web::Loaded d;
  web::load(s, d);
  std::string html = web::render_page(d.inputs);
  std::ofstream(html_path, std::ios::binary | std::ios::trunc) << html;
  std::printf("Wrote %s (%.1f MB): readiness, the hierarchy, the plan's Gantt chart against the apply's "
              "timeline, the rehearsal, the client curve and each site's completion evidence, in one file "
              "that loads nothing (open it in a browser, mail it, print it).\n",
              html_path.c_str(), static_cast<double>(html.size()) / 1e6);
  if (!s.journal.empty()) {
    std::printf("\nTo watch and steer the run live (confirm, mark failed, retry), serve its journal:\n"
                "  smsup serve --journal %s\nand open http://127.0.0.1:8040/\n",
                s.journal.c_str());
  }
  return html.size() > 0 && d.inputs.plan ? 0 : 1;
}

}  // namespace smsup::cli
