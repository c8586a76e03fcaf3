// `smsup demo`: the whole path on the bundled example hierarchy, stage by
// stage (check, plan, dbtest, rehearse, apply, verify), each stage in its
// own file (demo_<stage>.cpp).
#pragma once

#include <filesystem>
#include <string>

#include "cli/output.h"

namespace smsup::cli {

struct DemoOptions {
  std::string out = "demo-out";      // the demo's folder
  std::string example;               // default: examples/contoso/contoso.yaml
  std::string as_of = "2006-06-12";  // YYYY-MM-DD
};
// 0 every stage went as expected, 1 some did not.
int run_demo(const DemoOptions& o, Output& out);

// What a stage works on. A stage writes what it did to `out` and returns 0
// when its part of the demo went as expected.
struct DemoContext {
  std::filesystem::path example;  // examples/contoso/contoso.yaml
  std::filesystem::path out;      // the demo's output folder
  std::string as_of;              // reference date for the example, YYYY-MM-DD
};
int demo_check(const DemoContext& ctx, Output& out);
int demo_plan(const DemoContext& ctx, Output& out);
int demo_rehearse(const DemoContext& ctx, Output& out);
int demo_apply(const DemoContext& ctx, Output& out);
int demo_verify(const DemoContext& ctx, Output& out);
int demo_dbtest(const DemoContext& ctx, Output& out);
int demo_report(const DemoContext& ctx, Output& out);

}  // namespace smsup::cli
