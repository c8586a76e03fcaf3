#include "logs/generate.h"

#include <cstdio>
#include <string>
#include <string_view>

#include "logs/writer.h"
#include "util/error.h"

namespace smsup::logs {
namespace {

struct Line {
  std::string_view component;
  std::string_view message;
  Severity severity;
};

// What a busy SMS 2003 site server writes, roughly in these proportions.
constexpr Line kLines[] = {
    {"SMS_SITE_COMPONENT_MANAGER", "Checking the status of component SMS_DISTRIBUTION_MANAGER on server LAB01.",
     Severity::Info},
    {"SMS_SITE_COMPONENT_MANAGER", "Component SMS_DISTRIBUTION_MANAGER is installed and running on LAB01.",
     Severity::Info},
    {"SMS_DISTRIBUTION_MANAGER", "Found package properties updated notification for package LAB00012", Severity::Info},
    {"SMS_DISTRIBUTION_MANAGER", "Package LAB00012 does not have a preferred sender.", Severity::Info},
    {"SMS_DISTRIBUTION_MANAGER",
     "The source directory \\\\LAB01\\Source$\\Office2003 for package LAB00012 does not exist.", Severity::Info},
    {"SMS_INBOX_MANAGER", "Copied C:\\SMS\\inboxes\\clicomp.box\\ccm.ccr to \\\\CAP01\\CAP_LAB\\clicomp.box\\ccm.ccr",
     Severity::Info},
    {"SMS_INBOX_MANAGER", "Inbox source is local on LAB01", Severity::Info},
    {"SMS_HIERARCHY_MANAGER", "Processing site control file: Site LAB", Severity::Info},
    {"SMS_HIERARCHY_MANAGER", "Updating the site's entry in Active Directory: cn=SMS-Site-LAB", Severity::Info},
    {"SMS_EXECUTIVE", "Thread \"SMS_COURIER_SENDER\" id:2812 started", Severity::Info},
    {"SMS_POLICY_PROVIDER", "Policy assignment {1b3f2a55-9e80-4c6e-a1cd-0ef2e0b9b5a4} updated", Severity::Info},
    {"SMS_LAN_SENDER", "Warning: cannot connect to \\\\CHILD01\\SMS_SITE, will retry in 30 minutes", Severity::Warning},
    {"SMS_SQL_MONITOR", "SQL Server connection failed, error 17; retrying", Severity::Error},
    {"SMS_DISCOVERY_DATA_MANAGER", "Processing file 0000A1F3.DDR from the inbox", Severity::Info},
    {"SMS_STATUS_MANAGER", "Processed 25 status messages in 0.12 seconds", Severity::Info},
};

constexpr std::string_view kMilestoneLines[][2] = {
    {"SMS_SETUP", "SMS Setup completed successfully."},
    {"SMS_SITE_COMPONENT_MANAGER", "Processing site shutdown transaction..."},
    {"SMS_SITE_COMPONENT_MANAGER", "Site shutdown complete."},
    {"SMS_SITE_COMPONENT_MANAGER",
     "Waiting for changes to the \"C:\\SMS\\Inboxes\\Sitectrl.box\" or \"C:\\SMS\\Inboxes\\Sitecomp.box\" directories, "
     "updates will be batched 5 seconds."},
    {"SMS_HIERARCHY_MANAGER", "Wait for site control changes for maximum 3600 seconds..."},
    {"SMS_INBOX_MANAGER",
     "Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds."},
};

}  // namespace

GeneratedLog generate_log(const std::filesystem::path& path, Format format, std::uint64_t bytes, LocalTime start) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) throw InputError({path.string(), 0, 0}, "-o", "cannot create the file");
  GeneratedLog g;
  g.first = g.last = start;
  std::string buf;
  buf.reserve(8u << 20);
  auto emit = [&](std::string_view component, std::string_view message, Severity sev) {
    auto thread = static_cast<std::uint32_t>(1000 + (g.entries % 7) * 311);
    buf += format == Format::CmTrace ? cmtrace_line(message, component, g.last, 420, thread, sev, "smsutil.cpp:210")
                                     : sms_line(message, component, g.last, 420, thread);
    ++g.entries;
    g.last += Millis(1 + static_cast<int>(g.entries % 13));
  };
  constexpr std::size_t kCount = sizeof(kLines) / sizeof(kLines[0]);
  std::uint64_t written = 0;
  while (written + buf.size() < bytes) {
    // A "Waiting for changes" about every 50,000 lines, as sitecomp does hourly.
    if (g.entries % 50'000 == 49'999) {
      auto m = kMilestoneLines[g.entries / 50'000 % 6];
      emit(m[0], m[1], Severity::Info);
    } else {
      const Line& l = kLines[(g.entries * 7 + g.entries / 3) % kCount];
      emit(l.component, l.message, l.severity);
    }
    if (buf.size() >= (4u << 20)) {
      written += std::fwrite(buf.data(), 1, buf.size(), f);
      buf.clear();
    }
  }
  for (const auto& m : kMilestoneLines) emit(m[0], m[1], Severity::Info);
  written += std::fwrite(buf.data(), 1, buf.size(), f);
  bool ok = std::fclose(f) == 0;
  if (!ok) throw InputError({path.string(), 0, 0}, "-o", "cannot write the file");
  g.bytes = written;
  return g;
}

}  // namespace smsup::logs
