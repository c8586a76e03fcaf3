// `smsup demo`: the whole path on the bundled example hierarchy, stage by
// stage (check, plan, rehearse, apply, verify, dbtest).
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fmt/format.h>

#include "cli/verbs.h"
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

void register_demo(CLI::App& app, Status& status) {
  auto* sub = app.add_subcommand(
      "demo", "Run the whole path on the bundled example hierarchy (examples/contoso)");
  struct Opts {
    std::string out = "demo-out";
    std::string example;
    std::string as_of = "2006-06-12";
  };
  auto opts = std::make_shared<Opts>();
  sub->add_option("--out", opts->out, "Folder for the demo's files")->capture_default_str();
  sub->add_option("--example", opts->example, "Inventory to use instead of examples/contoso");
  sub->add_option("--as-of", opts->as_of, "Reference date of the example (YYYY-MM-DD)")
      ->capture_default_str();
  sub->callback([opts, &status] {
    DemoContext ctx{find_example(opts->example), opts->out, opts->as_of};
    fs::create_directories(ctx.out);
    struct Stage {
      const char* name;
      int (*run)(const DemoContext&);
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
      std::printf("\n==== smsup demo: %s ====\n\n", st.name);
      std::fflush(stdout);
      int rc = st.run(ctx);
      if (rc != 0) {
        std::printf("\n!! demo stage %s did not go as expected (status %d)\n", st.name, rc);
        ++failed;
      }
    }
    std::printf("\nDemo files are in %s\n", ctx.out.c_str());
    status.code = failed == 0 ? 0 : 1;
  });
}

}  // namespace smsup::cli
