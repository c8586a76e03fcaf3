// Demo stage: prove completion from the logs the twin wrote during the
// rehearsal (demo-out/twin), site by site, with the reader `smsup verify` uses.
#include <chrono>
#include <cstdio>

#include "cli/verbs.h"
#include "inventory/inventory.h"
#include "logs/verify.h"

namespace smsup::cli {

int demo_verify(const DemoContext& ctx) {
  Hierarchy h = inventory::load(ctx.example.string());
  auto twin = ctx.out / "twin";
  if (!std::filesystem::exists(twin)) {
    std::printf("verify: no twin logs in %s (the rehearse stage did not run)\n", twin.c_str());
    return 1;
  }
  std::printf("Completion milestones in the logs the twin wrote during the rehearsal (%s):\n\n",
              twin.c_str());
  std::printf("  site  site server   milestones  settle   result\n");
  int verified = 0;
  for (const auto& s : h.sites) {
    const auto& server = s.site_server().host;
    auto root = twin / server / "C";
    auto r = logs::verify_site(root, s.install_dir, std::nullopt);
    int found = 0;
    for (const auto& m : r.milestones) found += m.state == logs::MilestoneState::Found;
    long minutes = r.settle
                       ? static_cast<long>(std::chrono::duration_cast<std::chrono::minutes>(*r.settle).count())
                       : -1;
    std::printf("  %-4s  %-12s  %d of 6      %4ld min  %s\n", s.code.c_str(), server.c_str(), found,
                minutes, r.verified ? "verified" : "NOT verified");
    verified += r.verified ? 1 : 0;
  }
  const auto& central = h.sites[static_cast<size_t>(h.central)];
  std::printf("\n%d of %zu sites verified. The full report of one site:\n"
              "  smsup verify %s --logs %s\n",
              verified, h.sites.size(), central.code.c_str(),
              (twin / central.site_server().host / "C").c_str());
  return verified == static_cast<int>(h.sites.size()) ? 0 : 1;
}

}  // namespace smsup::cli
