// A sample site's logs, written with writer.h: what a site that finished its
// SP2 upgrade leaves behind (a sample, not a real site's logs). For tests,
// `smsup demo` and the benchmark; options break it in the ways verify must see.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "logs/entry.h"

namespace smsup::logs {

struct SampleSite {
  LocalTime setup_start;                  // first line of the setup run
  int bias_minutes = 420;                 // Pacific daylight time
  std::chrono::minutes finish_after{41};  // inbox manager milestone, after setup start
  int omit = 0;                           // milestone number left out (0: none)
  bool hman_before_setup = false;         // hman milestone only from a day earlier
  // hman milestone this long after setup start instead (0: its usual place,
  // after the component manager's milestone): 20 minutes puts it after setup
  // began but before the milestone it must follow.
  std::chrono::minutes hman_after{0};
  bool setup_without_times = false;  // SMSSetup.log as plain lines
  bool cmtrace = false;              // components write CMTrace instead of SMS lines
  std::string install_dir = "SMS";   // relative to the root
};

// Writes <root>/SMSSetup.log and <root>/<install_dir>/Logs/{sitecomp,hman,inboxmgr}.log.
void write_sample_site(const std::filesystem::path& root, const SampleSite& s);

}  // namespace smsup::logs
