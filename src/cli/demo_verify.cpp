// Demo stage: prove completion from the logs the twin wrote during the
// rehearsal (demo-out/twin), site by site, with the reader `smsup verify` uses.
#include <chrono>

#include <fmt/ostream.h>

#include "cli/demo.h"
#include "inventory/inventory.h"
#include "logs/verify.h"

namespace smsup::cli {

int demo_verify(const DemoContext& ctx, Output& out) {
  Hierarchy h = inventory::load(ctx.example.string());
  auto twin = ctx.out / "twin";
  if (!std::filesystem::exists(twin)) {
    fmt::print(out.out, "verify: no twin logs in {} (the rehearse stage did not run)\n", twin.c_str());
    return 1;
  }
  fmt::print(out.out, "Completion milestones in the logs the twin wrote during the rehearsal ({}):\n\n", twin.c_str());
  fmt::print(out.out, "  site  site server   milestones  settle   result\n");
  int verified = 0;
  for (const auto& s : h.sites) {
    const auto& server = s.site_server().host;
    auto root = twin / server / "C";
    auto r = logs::verify_site(root, s.install_dir, std::nullopt);
    int found = 0;
    for (const auto& m : r.milestones) found += m.state == logs::MilestoneState::Found;
    long minutes =
        r.settle ? static_cast<long>(std::chrono::duration_cast<std::chrono::minutes>(*r.settle).count()) : -1;
    fmt::print(out.out, "  {:<4}  {:<12}  {} of 6      {:>4} min  {}\n", s.code.c_str(), server.c_str(), found, minutes,
               r.verified ? "verified" : "NOT verified");
    verified += r.verified ? 1 : 0;
  }
  const auto& central = h.sites[static_cast<size_t>(h.central)];
  fmt::print(out.out,
             "\n{} of {} sites verified. The full report of one site:\n"
             "  smsup verify {} --logs {}\n",
             verified, h.sites.size(), central.code.c_str(), (twin / central.site_server().host / "C").c_str());
  return verified == static_cast<int>(h.sites.size()) ? 0 : 1;
}

}  // namespace smsup::cli
