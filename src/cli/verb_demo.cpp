// `smsup demo`: the whole path on the bundled example hierarchy, stage by
// stage (check, plan, rehearse, apply, verify, dbtest).
#include <unistd.h>

#include <array>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/add_verb.h"
#include "cli/checks.h"
#include "cli/demo.h"
#include "util/error.h"

namespace smsup::cli {
namespace {

namespace fs = std::filesystem;

fs::path find_example(const std::string& given) {
  if (!given.empty()) return given;
  std::array<char, 4096> buf{};
  ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  std::vector<fs::path> candidates{"examples/contoso/contoso.yaml"};
  if (n > 0) {
    fs::path exe(std::string(buf.data(), static_cast<size_t>(n)));
    candidates.push_back(exe.parent_path() / "../examples/contoso/contoso.yaml");
    candidates.push_back(exe.parent_path() / "../share/smsup/examples/contoso/contoso.yaml");
  }
  for (const auto& c : candidates) {
    if (fs::exists(c)) return fs::weakly_canonical(c);
  }
  throw InputError({}, "--example",
                   "cannot find examples/contoso/contoso.yaml; run from the source tree or "
                   "name it with --example");
}

}  // namespace

int run_demo(const DemoOptions& o, Output& out) {
  require_date("--as-of", o.as_of);
  if (!o.example.empty()) require_file("--example", o.example);
  DemoContext ctx{find_example(o.example), o.out, o.as_of};
  fs::create_directories(ctx.out);
  struct Stage {
    const char* name;
    int (*run)(const DemoContext&, Output&);
  };
  const std::array<Stage, 7> stages{{{"check", demo_check},
                                     {"plan", demo_plan},
                                     {"dbtest", demo_dbtest},
                                     {"rehearse", demo_rehearse},
                                     {"apply", demo_apply},
                                     {"verify", demo_verify},
                                     {"report", demo_report}}};
  int failed = 0;
  for (const auto& st : stages) {
    fmt::print(out.out, "\n==== smsup demo: {} ====\n\n", st.name);
    out.out.flush();
    int rc = st.run(ctx, out);
    if (rc != 0) {
      fmt::print(out.out, "\n!! demo stage {} did not go as expected (status {})\n", st.name, rc);
      ++failed;
    }
  }
  fmt::print(out.out, "\nDemo files are in {}\n", ctx.out.string());
  return failed == 0 ? 0 : 1;
}

void register_demo(CLI::App& app, Status& status) {
  auto [sub, o] =
      add_verb(app, status, "demo", "Run the whole path on the bundled example hierarchy (examples/contoso)", run_demo);
  sub->add_option("--out", o->out, "Folder for the demo's files")->capture_default_str();
  sub->add_option("--example", o->example, "Inventory to use instead of examples/contoso");
  sub->add_option("--as-of", o->as_of, "Reference date of the example (YYYY-MM-DD)")->capture_default_str();
}

}  // namespace smsup::cli
