// Demo stage: verify a site's completion milestones. Until the twin writes a
// site's logs, the logs verified here are a sample written with logs/writer.h.
#include <cstdio>

#include "cli/verbs.h"
#include "logs/sample.h"
#include "logs/time.h"
#include "logs/verify.h"
#include "logs/writer.h"

namespace smsup::cli {

int demo_verify(const DemoContext& ctx) {
  using namespace smsup::logs;
  auto root = ctx.out / "verify-example" / "LAB" / "C";
  SampleSite s;
  s.setup_start = make_local_time(2006, 6, 5, 9, 40, 0);
  write_sample_site(root, s);
  VerifyResult r = verify_site(root, "C:\\SMS", std::nullopt);
  std::printf("verify: sample logs of a finished site (written by smsup, not by a real site) in %s\n",
              root.string().c_str());
  int found = 0;
  for (const auto& m : r.milestones) found += m.state == MilestoneState::Found;
  std::printf("verify: %d of 6 milestones found, 30-minute rule %s: %s\n", found,
              r.settle_ok ? "met" : "not met", r.verified ? "verified" : "NOT verified");
  std::printf("verify: try `smsup verify LAB --logs %s`\n", root.string().c_str());
  return r.verified ? 0 : 1;
}

}  // namespace smsup::cli
