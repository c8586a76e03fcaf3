// `smsup report -o FILE`: the campaign as one self-contained HTML file; and
// `smsup serve --journal J`: its live page, JSON API and steering (src/web).
#pragma once

#include <string>

#include "cli/output.h"
#include "web/load.h"
#include "web/server.h"

namespace smsup::cli {

struct ReportOptions {
  web::Sources sources;  // at least one of them; days 1..3650
  std::string output;    // -o FILE
};
// 0 written (bad input throws).
int run_report(const ReportOptions& o, Output& out);

struct ServeOptions {
  web::ServeOptions web;  // journal required
};
// Serves until SIGINT or SIGTERM; 0 when stopped so.
int run_serve(const ServeOptions& o, Output& out);

}  // namespace smsup::cli
