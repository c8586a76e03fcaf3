#include "logs/sample.h"

#include <fstream>
#include <string>

#include "logs/milestones.h"
#include "logs/writer.h"

namespace smsup::logs {
namespace {

using namespace std::chrono;

struct Writer {
  const SampleSite& s;
  std::string component;
  std::uint32_t thread;
  std::string out;
  void line(LocalTime t, std::string_view message, Severity sev = Severity::Info) {
    out += s.cmtrace ? cmtrace_line(message, component, t, s.bias_minutes, thread, sev, "sitecomp.cpp:42")
                     : sms_line(message, component, t, s.bias_minutes, thread);
  }
};

void save(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

}  // namespace

void write_sample_site(const std::filesystem::path& root, const SampleSite& s) {
  const LocalTime t0 = s.setup_start;
  auto keep = [&](int n) { return s.omit != n; };

  std::string setup;
  auto setup_entry = [&](LocalTime t, std::string_view m) {
    setup += s.setup_without_times ? std::string(m) + "\r\n" : setup_line(m, t);
  };
  setup_entry(t0, "SMS Setup Started....");
  setup_entry(t0 + seconds(5), "Upgrading site server from SMS 2003 SP1 to SMS 2003 SP2.");
  setup_entry(t0 + minutes(2), "Updating the SMS site database.");
  setup_entry(t0 + minutes(9), "Installing SMS services and components.");
  if (keep(1)) setup_entry(t0 + minutes(12), "SMS Setup completed successfully.");
  save(root / "SMSSetup.log", setup);

  auto logs = root / s.install_dir / "Logs";
  Writer sc{s, "SMS_SITE_COMPONENT_MANAGER", 2216, {}};
  sc.line(t0 - hours(1),
          "Waiting for changes to the \"C:\\SMS\\Inboxes\\Sitectrl.box\" or \"C:\\SMS\\Inboxes\\Sitecomp.box\" "
          "directories, updates will be batched 5 seconds.");
  sc.line(t0 + minutes(12), "Received a site shutdown transaction.");
  if (keep(2)) sc.line(t0 + minutes(12) + seconds(3), "Processing site shutdown transaction...");
  sc.line(t0 + minutes(13), "Stopping component SMS_INBOX_MANAGER.");
  if (keep(3)) sc.line(t0 + minutes(14), "Site shutdown complete.");
  sc.line(t0 + minutes(15), "Reinstalling component SMS_HIERARCHY_MANAGER.");
  sc.line(t0 + minutes(16), "Failed to connect to the registry of CAP \\\\CAP01, will retry.", Severity::Error);
  if (keep(4))
    sc.line(t0 + s.finish_after - minutes(11),
            "Waiting for changes to the \"C:\\SMS\\Inboxes\\Sitectrl.box\" or \"C:\\SMS\\Inboxes\\Sitecomp.box\" "
            "directories, updates will be batched 5 seconds.");
  save(logs / "sitecomp.log", sc.out);

  Writer hm{s, "SMS_HIERARCHY_MANAGER", 3012, {}};
  LocalTime hman_at = s.hman_before_setup         ? t0 - hours(24)
                      : s.hman_after > minutes(0) ? t0 + s.hman_after
                                                  : t0 + s.finish_after - minutes(8);
  hm.line(hman_at - minutes(1), "Updating the site's entry in Active Directory.");
  if (keep(5)) hm.line(hman_at, "Wait for site control changes for maximum 3600 seconds...");
  save(logs / "hman.log", hm.out);

  Writer ib{s, "SMS_INBOX_MANAGER", 1844, {}};
  ib.line(t0 + s.finish_after - minutes(2), "Copied C:\\SMS\\inboxes\\clicomp.box to \\\\CAP01\\CAP_LAB\\Clicomp.box.");
  if (keep(6))
    ib.line(t0 + s.finish_after,
            "Waiting for changes inbox definition, inbox rules and inbox replication files, max wait = 3600 seconds.");
  save(logs / "inboxmgr.log", ib.out);
}

}  // namespace smsup::logs
